/**
 * A large generated world for the benchmark (docs/performance.md): N links over M repositories, each
 * repository with the build service's webhook and deploy key plus foreign webhooks, and some
 * repositories with enough hooks (120+) that listing them takes several pages at GitHub's default
 * `per_page` of 30 and two at `per_page=100`.
 */
import { loadSeed, type SeedDocument } from "./seed.js";
import type { World } from "./world.js";

/** Shape of a generated world. */
export interface ScaleWorldOptions {
  /** Build-service links, all GitHub, enabled, each on a service account `builder-<n>` (default 1,000). */
  links?: number;
  /** Repositories `scale/repo-<n>`, dealt round-robin to the links (default 5,000). */
  repositories?: number;
  /** Foreign webhooks (`https://ci.scale.example/hooks/<n>`) on every repository (default 1). */
  foreignHooksPerRepo?: number;
  /** How many repositories carry `hooksPerMultiPageRepo` hooks in all (default 20). */
  multiPageRepos?: number;
  /** Total hooks on a multi-page repository (default 120). */
  hooksPerMultiPageRepo?: number;
  /** Every how many repositories carry the build service's webhook and deploy key (default 1: all). */
  artifactsEvery?: number;
  /** The org is on GitHub Enterprise Cloud, with an audit log (default false). */
  auditLog?: boolean;
}

/** The GitHub OAuth app of generated worlds. */
export const SCALE_CLIENT_ID = "Iv1.5ca1ebe9c4000000";
/** The org owning every generated repository. */
export const SCALE_ORG = "scale";
/** The build-service namespace of every generated link. */
export const SCALE_NAMESPACE = "scale";

/** The seed document of a generated world (serializable as YAML for `sourcelinks sandbox --seed`). */
export function scaleSeed(options: ScaleWorldOptions = {}): SeedDocument {
  const links = options.links ?? 1000;
  const repositories = options.repositories ?? 5000;
  const foreign = options.foreignHooksPerRepo ?? 1;
  const multiPage = Math.min(options.multiPageRepos ?? 20, repositories);
  const bigHooks = options.hooksPerMultiPageRepo ?? 120;
  const artifactsEvery = options.artifactsEvery ?? 1;
  if (links < 1 || repositories < links) throw new RangeError("scale world: need 1 ≤ links ≤ repositories");

  const builders = Array.from({ length: links }, (_, i) => `builder-${i}`);
  const repos: NonNullable<NonNullable<SeedDocument["github"]>["repos"]> = [];
  const linkRepos: string[][] = builders.map(() => []);
  for (let r = 0; r < repositories; r++) {
    const name = `${SCALE_ORG}/repo-${r}`;
    linkRepos[r % links]!.push(name);
    const foreignCount = r < multiPage ? Math.max(foreign, bigHooks - 1) : foreign;
    repos.push({
      name,
      hooks: [
        ...(r % artifactsEvery === 0
          ? [
              {
                url: `https://cloud.docker.com/api/build/v1/vcs/${uuidFor(r)}/trigger/call/`,
                events: ["push", "pull_request"],
                secret: `sbx-hook-scale-${r}`,
                lastResponse: { code: 200, status: "active", message: "OK" },
              },
            ]
          : []),
        ...Array.from({ length: foreignCount }, (_, f) => ({ url: `https://ci.scale.example/hooks/${r}/${f}`, events: ["push"] })),
      ],
      deployKeys:
        r % artifactsEvery === 0 ? [{ title: "Docker Hub Builder", key: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIscale${r} sandbox` }] : [],
    });
  }
  return {
    operator: { github: "scale-admin", namespace: SCALE_NAMESPACE },
    oauthApps: [{ provider: "github", clientId: SCALE_CLIENT_ID, name: "Docker Hub Builder" }],
    github: {
      users: [{ login: "scale-admin", name: "Scale Admin" }, ...builders.map((login) => ({ login, pat: false }))],
      orgs: [
        {
          login: SCALE_ORG,
          owners: ["scale-admin"],
          members: builders,
          appAccess: { [SCALE_CLIENT_ID]: "granted" },
          ...(options.auditLog ? { auditLog: true } : {}),
        },
      ],
      repos,
    },
    buildService: {
      namespaces: [
        {
          name: SCALE_NAMESPACE,
          links: builders.map((account, i) => ({
            id: `scale-link-${i}`,
            provider: "github" as const,
            account,
            serviceAccount: true,
            state: "enabled" as const,
            repositories: linkRepos[i]!,
          })),
        },
      ],
    },
  };
}

/** A generated world, ready for `startSandbox({ seed })`. */
export function generateScaleWorld(options: ScaleWorldOptions = {}): World {
  return loadSeed(scaleSeed(options), "scale-world");
}

function uuidFor(n: number): string {
  const hex = n.toString(16).padStart(12, "0");
  return `5ca1e000-0000-4000-8000-${hex}`;
}
