/**
 * The note `export` writes for a link the build service lists as `unlinked` (pure): what is left of it,
 * as observed (the build service's webhooks and deploy keys on the repositories its record lists, and
 * its grant), and what declaring it would do. A link already cleaned up is said to be so, never sent
 * to a revocation with nothing to revoke.
 */
import type { ProviderKind } from "../../engine/model/spec.js";
import type { ProviderGrant } from "../../engine/model/observed.js";

/** What an export observed of one unlinked record. */
export interface UnlinkedRecordFacts {
  id: string;
  namespace: string;
  provider: ProviderKind;
  account: string;
  team: string | null;
  /** The repositories its record lists (those still existing). */
  repositories: readonly string[];
  /** The build service's webhooks and deploy keys on them; null when the provider is not configured (not read). */
  left: { webhooks: number; deployKeys: number; repositories: readonly string[] } | null;
  grant: ProviderGrant;
  /** Whether the build service still holds a token of the grant. */
  held: boolean;
  /** The exported live link of the same team, which superseded this record. */
  supersededBy?: string;
}

/** One sentence (or two) saying what is true of the record and what to do, if anything. */
export function unlinkedNote(f: UnlinkedRecordFacts): string {
  const who = `link ${f.id} in ${f.namespace} (${f.provider} account ${f.account}${f.team === null ? "" : `, team ${f.team}`})`;
  const grant = grantText(f);
  if (f.left === null)
    return `${who} is unlinked on the build service; ${grant}. Its repositories were not read (providers.${f.provider} is not configured), so whether it left webhooks or deploy keys is unknown.`;
  const artifacts = [plural(f.left.webhooks, "build-service webhook"), plural(f.left.deployKeys, "deploy key")].join(" and ");
  const where = `the ${plural(f.repositories.length, "repository", "repositories")} its record lists`;
  const nothingLeft = f.left.webhooks === 0 && f.left.deployKeys === 0;
  if (nothingLeft && (f.grant === "revoked" || !f.held))
    return `${who} is unlinked on the build service and nothing of it is left: no build-service webhook or deploy key on ${where}, and ${grant}. Nothing to declare for it.`;
  const state = nothingLeft
    ? `no build-service webhook or deploy key is left on ${where}`
    : `${artifacts} are left on ${f.left.repositories.join(", ")}`;
  const does = [
    nothingLeft ? null : "delete them",
    f.grant === "active" ? "revoke its grant" : f.grant === "unverifiable" && f.held ? "give the manual step that revokes its grant" : null,
  ].filter((d) => d !== null);
  // A team has one link: the exported one that superseded this record keeps the team's identity.
  const action =
    f.supersededBy !== undefined
      ? `team ${f.team} is now linked by ${f.supersededBy}, so this record cannot be declared on its own${nothingLeft ? "." : "; a sweep of the repositories' owners (export --sweeps) deletes these leftovers."}`
      : `declaring it with state: revoked makes plan ${does.join(" and ")}.`;
  return `${who} is unlinked on the build service; ${state}, and ${grant}: ${action}`;
}

function grantText(f: UnlinkedRecordFacts): string {
  if (!f.held) return "the build service holds no token of its grant";
  if (f.grant === "active") return "its grant is still active";
  if (f.grant === "revoked") return "its grant is revoked";
  return f.provider === "github"
    ? "whether its grant is still active could not be checked (that needs the OAuth app's client secret, SOURCELINKS_GITHUB_CLIENT_SECRET)"
    : "whether its grant is still active cannot be checked by API (Bitbucket has none)";
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
