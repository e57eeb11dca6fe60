/**
 * The `github.apps` part of a sandbox seed: GitHub Apps with the public half of their key (a test
 * generates the pair at run time; no private key is ever committed) and their installations.
 *
 * ```yaml
 * github:
 *   apps:
 *     - id: 424242
 *       slug: sourcelinks-ci            # default app-<id>
 *       publicKey: |                    # PEM (SPKI), verifies the app's RS256 JWTs
 *         -----BEGIN PUBLIC KEY-----
 *         ...
 *       installations:
 *         - { id: 7001, owner: acme, permissions: { metadata: read, repository_hooks: write, administration: write } }
 * ```
 */
import { createPublicKey } from "node:crypto";
import type { GitHubAppPermissionLevel, GitHubAppState } from "../world.js";

/** A GitHub App in a seed. */
export interface SeedGitHubApp {
  id: number;
  slug?: string;
  publicKey: string;
  installations?: { id?: number; owner: string; permissions?: Record<string, GitHubAppPermissionLevel> }[];
}

/** Builds the apps of a seed; `problem` reports a bad reference at a path under `github.apps`. */
export function seedApps(
  apps: readonly SeedGitHubApp[],
  accounts: ReadonlySet<string>,
  nextId: () => number,
  problem: (path: (string | number)[], message: string) => void,
): GitHubAppState[] {
  const out: GitHubAppState[] = [];
  for (const [i, app] of apps.entries()) {
    if (out.some((a) => a.id === app.id)) problem(["github", "apps", i, "id"], `duplicate GitHub App id ${app.id}`);
    try {
      createPublicKey(app.publicKey);
    } catch {
      problem(["github", "apps", i, "publicKey"], "is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    const owners = new Set<string>();
    const installations = (app.installations ?? []).map((inst, j) => {
      if (!accounts.has(inst.owner))
        problem(["github", "apps", i, "installations", j, "owner"], `"${inst.owner}" is not a declared GitHub user or org`);
      if (owners.has(inst.owner.toLowerCase()))
        problem(["github", "apps", i, "installations", j, "owner"], `the app is installed on "${inst.owner}" once only`);
      owners.add(inst.owner.toLowerCase());
      return { id: inst.id ?? nextId(), owner: inst.owner, permissions: { ...(inst.permissions ?? { metadata: "read" }) } };
    });
    out.push({ id: app.id, slug: app.slug ?? `app-${app.id}`, publicKey: app.publicKey, installations });
  }
  return out;
}
