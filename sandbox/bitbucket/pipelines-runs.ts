/**
 * Pipelines of the sandbox's CI (sandbox/ci/runs.ts): `GET /repositories/{workspace}/{repo_slug}/pipelines/`,
 * in Bitbucket's page and pipeline shapes, sorted by `sort=-created_on` (newest first) or oldest first.
 */
import { withRepository } from "./auth.js";
import { paged } from "./wire.js";

/** `GET …/pipelines/`. */
export const listPipelines = withRepository((ctx, repo) => {
  const name = `${repo.workspace}/${repo.slug}`;
  const runs = (ctx.world.bitbucket.pipelines ?? []).filter((p) => p.repository === name);
  const ordered = ctx.url.searchParams.get("sort") === "-created_on" ? [...runs].reverse() : runs;
  return paged(
    ctx,
    ordered.map((run) => ({
      type: "pipeline",
      uuid: `{00000000-0000-4000-8000-${String(run.id).padStart(12, "0")}}`,
      build_number: runs.indexOf(run) + 1,
      created_on: run.startedAt,
      completed_on: run.finishedAt,
      state: {
        name: "COMPLETED",
        type: "pipeline_state_completed",
        result: { name: run.conclusion === "success" ? "SUCCESSFUL" : "FAILED" },
      },
      target: { type: "pipeline_ref_target", ref_type: run.refType, ref_name: run.refName, commit: { type: "commit", hash: run.headSha } },
      links: { html: { href: `https://bitbucket.org/${name}/pipelines/results/${runs.indexOf(run) + 1}` } },
    })),
  );
});
