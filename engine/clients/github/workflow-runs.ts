/**
 * A replacement workflow's runs on one commit: `GET /repos/{owner}/{repo}/actions/workflows/{file}/runs?head_sha=…`
 * (https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow). A read like
 * the others, so it is paced and ETag-cached: verifying again when nothing changed costs a 304.
 */
import type { ReplacementRun } from "../../model/replacement-run.js";
import { githubRepoUrl, splitGitHubRepository } from "../../model/requests.js";
import { HttpError } from "../http-error.js";
import type { ReplacementRunReader } from "../types.js";
import type { GitHubContext } from "./context.js";
import { MissingGitHubTokenError } from "./errors.js";

/** A workflow run as GitHub answers it (the fields read). */
interface WorkflowRunWire {
  id: number;
  html_url: string;
  head_sha: string;
  head_branch: string | null;
  status: string;
  conclusion: string | null;
  run_started_at?: string | null;
  created_at: string;
}

/** Runs of one workflow file on one commit. */
export class GitHubWorkflowRuns implements ReplacementRunReader {
  constructor(private readonly ctx: GitHubContext) {}

  /** The runs of `.github/workflows/{file}` (`path`) on `sha`; none when the workflow does not exist on the default branch yet (404). */
  async runs(repository: string, path: string, sha: string): Promise<ReplacementRun[]> {
    const { owner } = splitGitHubRepository(repository);
    const octokit = await this.ctx.forOwner(owner);
    if (octokit === null) throw new MissingGitHubTokenError(`reading the runs of ${path} in ${repository}`);
    const file = path.slice(path.lastIndexOf("/") + 1);
    const url = `${githubRepoUrl(this.ctx.apiUrl, repository)}/actions/workflows/${encodeURIComponent(file)}/runs?head_sha=${encodeURIComponent(sha)}&per_page=100`;
    try {
      const response = await this.ctx.call({ method: "GET", url }, () => octokit.request(`GET ${url}`), [], {
        owner,
        needed: `read the Actions runs of ${repository} (a fine-grained token with Actions: read, or a classic token with repo)`,
      });
      const body = response.data as { workflow_runs?: WorkflowRunWire[] };
      return (body.workflow_runs ?? []).map(toRun);
    } catch (error) {
      if (error instanceof HttpError && error.isGone) return [];
      throw error;
    }
  }
}

function toRun(wire: WorkflowRunWire): ReplacementRun {
  const status = wire.status === "completed" ? "completed" : wire.status === "in_progress" ? "in_progress" : "queued";
  return {
    id: String(wire.id),
    url: wire.html_url,
    headSha: wire.head_sha,
    ref: `refs/heads/${wire.head_branch ?? ""}`,
    startedAt: wire.run_started_at ?? wire.created_at,
    status,
    conclusion: wire.conclusion,
  };
}
