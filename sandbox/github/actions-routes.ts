/**
 * Workflow runs of the sandbox's CI (sandbox/ci/runs.ts):
 * `GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs` (by file name, with `head_sha`,
 * `branch`, `event` and `status` filters) and `GET /repos/{owner}/{repo}/actions/runs/{run_id}`, in
 * GitHub's shape (https://docs.github.com/rest/actions/workflow-runs), newest first, with ETags.
 */
import type { RouteContext } from "../router.js";
import { json, type Router } from "../router.js";
import type { CiRunState, GitHubRepoState } from "../world.js";
import { authed, repoFor } from "./auth.js";
import { conditional, notFound } from "./respond.js";

/** Registers the workflow-run routes. */
export function registerActionsRoutes(router: Router): void {
  router.add(
    "GET",
    "/repos/:owner/:repo/actions/workflows/:workflow_id/runs",
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "read");
      if (!found.ok) return found.response;
      const repo = found.value;
      const file = ctx.params["workflow_id"]!;
      const all = runsOf(ctx, repo).filter((r) => r.path === `.github/workflows/${file}`);
      if (all.length === 0) return notFound();
      const q = ctx.url.searchParams;
      const runs = all
        .filter((r) => (q.get("head_sha") ?? r.headSha) === r.headSha)
        .filter((r) => (q.get("branch") ?? r.refName) === r.refName)
        .filter((r) => (q.get("event") ?? r.event) === r.event)
        .filter((r) => {
          const status = q.get("status");
          return status === null || status === r.status || status === r.conclusion;
        })
        .reverse();
      const perPage = Math.min(Number(q.get("per_page") ?? 30) || 30, 100);
      return conditional(
        ctx,
        json(200, { total_count: runs.length, workflow_runs: runs.slice(0, perPage).map((r) => runWire(ctx, repo, r)) }),
      );
    }),
  );
  router.add(
    "GET",
    "/repos/:owner/:repo/actions/runs/:run_id",
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "read");
      if (!found.ok) return found.response;
      const run = runsOf(ctx, found.value).find((r) => String(r.id) === ctx.params["run_id"]);
      return run ? conditional(ctx, json(200, runWire(ctx, found.value, run))) : notFound();
    }),
  );
}

function runsOf(ctx: RouteContext, repo: GitHubRepoState): CiRunState[] {
  const name = `${repo.owner}/${repo.name}`;
  return (ctx.world.github.workflowRuns ?? []).filter((r) => r.repository === name);
}

/** A run as GitHub answers it; `html_url` on the github.com the API stands for. */
function runWire(ctx: RouteContext, repo: GitHubRepoState, run: CiRunState): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  return {
    id: run.id,
    name: run.path.slice(run.path.lastIndexOf("/") + 1),
    head_branch: run.refName,
    head_sha: run.headSha,
    path: run.path,
    display_title: `${run.event} ${run.refName}`,
    run_number: run.id,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    url: `${ctx.mountUrl}/repos/${full}/actions/runs/${run.id}`,
    html_url: `https://github.com/${full}/actions/runs/${run.id}`,
    created_at: run.startedAt,
    updated_at: run.finishedAt,
    run_started_at: run.startedAt,
    repository: { id: repo.id, full_name: full },
  };
}
