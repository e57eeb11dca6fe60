/**
 * The YAML `export` writes: a `sourcelinks/v1` config of the live world, in the key order of
 * docs/configuration.md, with notes as a leading comment. Pure: the command gathers, this renders.
 */
import { Document } from "yaml";
import type { BuildServiceSpec, LinkSpec, OrgAccessSpec, ProvidersSpec, SweepSpec } from "../../engine/model/spec.js";

/** What an export found. */
export interface ExportedWorld {
  buildService: BuildServiceSpec;
  providers: ProvidersSpec;
  links: LinkSpec[];
  orgAccess: OrgAccessSpec[];
  /** Sweeps of the owners seen (`export --sweeps`); absent or empty: none written. */
  sweeps?: SweepSpec[];
  /** Things left out or adjusted, each a sentence (rendered as comments). */
  notes: string[];
}

/** Renders an export. */
export function exportToYaml(world: ExportedWorld): string {
  const bs = world.buildService;
  const oauthApps: Record<string, Record<string, string>> = {};
  if (bs.oauthApps.github) {
    const { clientId, name, clientSecretEnv } = bs.oauthApps.github;
    oauthApps["github"] = { clientId, name, ...(clientSecretEnv ? { clientSecretEnv } : {}) };
  }
  // The YAML names the Bitbucket consumer `key` (config/defaults.ts maps it to `clientId`).
  if (bs.oauthApps.bitbucket) oauthApps["bitbucket"] = { key: bs.oauthApps.bitbucket.clientId, name: bs.oauthApps.bitbucket.name };
  const value = {
    apiVersion: "sourcelinks/v1",
    buildService: {
      kind: bs.kind,
      apiUrl: bs.apiUrl,
      tokenEnv: bs.tokenEnv,
      webhookUrlPatterns: bs.webhookUrlPatterns,
      ...(bs.deployKeyTitlePatterns.length > 0 ? { deployKeyTitlePatterns: bs.deployKeyTitlePatterns } : {}),
      oauthApps,
    },
    providers: world.providers,
    links: world.links.map((l) => ({
      name: l.name,
      namespace: l.namespace,
      ...(l.team !== undefined ? { team: l.team } : {}),
      provider: l.provider,
      account: l.account,
      serviceAccount: l.serviceAccount,
      state: l.state,
      repositories: l.repositories,
      onRevoke: l.onRevoke,
    })),
    orgAccess: world.orgAccess.map((o) => ({ org: o.org, provider: o.provider, app: o.app, access: o.access })),
    // The default name (sweep-PROVIDER-OWNER) is left implicit.
    ...(world.sweeps !== undefined && world.sweeps.length > 0
      ? { sweeps: world.sweeps.map((s) => ({ provider: s.provider, owner: s.owner })) }
      : {}),
  };
  const doc = new Document(value);
  doc.commentBefore = [
    " Exported by `sourcelinks export` from the live world. `sourcelinks plan` on this file shows no changes;",
    " edit it (e.g. set state: revoked) and run `sourcelinks plan` to see what would change.",
    ...world.notes.map((n) => ` NOTE: ${n}`),
  ].join("\n");
  return doc.toString({ lineWidth: 0 });
}

/** A link name from a record: `<namespace>-<team>` or `<namespace>-<provider>-<account>`, valid as an identifier and unique. */
export function linkName(parts: { namespace: string; team: string | null; provider: string; account: string }, taken: Set<string>): string {
  const raw = parts.team !== null ? `${parts.namespace}-${parts.team}` : `${parts.namespace}-${parts.provider}-${parts.account}`;
  const base = raw.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "") || "link";
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}
