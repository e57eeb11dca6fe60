/** The GitHub clients: webhooks and deploy keys, OAuth grants, and org access observation. */
import type {
  AuditLogClient,
  OAuthGrantClient,
  OrgAccessProbe,
  OwnerClient,
  ReplacementClient,
  ReplacementRunReader,
  SourceProviderClient,
} from "../types.js";
import { GitHubAuditLogClient } from "./audit-log-client.js";
import { GitHubContext, type GitHubClientSettings } from "./context.js";
import { GitHubGrantClient } from "./grant-client.js";
import { GitHubOrgAccessProbe } from "./org-access-probe.js";
import { GitHubOwnerClient } from "./owner-client.js";
import { GitHubProviderClient } from "./provider-client.js";
import { GitHubWorkflowRuns } from "./workflow-runs.js";
import { GitHubReplacementClient } from "./replacement-client.js";

export type { GitHubClientSettings } from "./context.js";
export { isGitHubDotCom } from "./context.js";
export { MissingGitHubTokenError } from "./errors.js";
export { OAUTH_RESTRICTION_SIGNAL } from "./org-access-probe.js";
export type { ClientLogger } from "./safe-logger.js";
export { GitHubGrantClient, GitHubOrgAccessProbe, GitHubProviderClient };

/** The GitHub clients of one world, sharing pacing and the ETag cache. */
export interface GitHubClients {
  provider: SourceProviderClient;
  grants: OAuthGrantClient;
  orgAccess: OrgAccessProbe;
  owner: OwnerClient;
  /** The runs of replacement workflows. */
  runs: ReplacementRunReader;
  replacement: ReplacementClient;
  auditLog: AuditLogClient;
}

/**
 * Builds the GitHub clients. Nothing is sent and no Octokit is built until the first call; a null
 * token still constructs (calls that need it fail with "no GitHub token").
 *
 * @example
 * const gh = createGitHubClients({ apiUrl: env.SOURCELINKS_GITHUB_API_URL, token: new Secret(env.GITHUB_TOKEN), etagCache });
 * const { exists, items } = await gh.provider.listWebhooks("acme/api");
 */
export function createGitHubClients(settings: GitHubClientSettings): GitHubClients {
  const ctx = new GitHubContext(settings);
  return {
    provider: new GitHubProviderClient(ctx),
    grants: new GitHubGrantClient(ctx),
    orgAccess: new GitHubOrgAccessProbe(ctx),
    owner: new GitHubOwnerClient(ctx),
    runs: new GitHubWorkflowRuns(ctx),
    replacement: new GitHubReplacementClient(ctx),
    auditLog: new GitHubAuditLogClient(ctx),
  };
}
