import { afterEach, describe, expect, it } from "vitest";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import { verifyReplacements } from "../../engine/reconcile/verify-replacements.js";
import type { SandboxHandle } from "../../sandbox/server.js";
import { BUILDS, GITHUB_PAT, merged, readers, renderedFile, startVerifyWorld } from "./verify-harness.js";

const [api] = BUILDS as [BuildSpec];
let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function gh(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox!.env.SOURCELINKS_GITHUB_API_URL}${path}`, {
    method,
    headers: { authorization: `token ${GITHUB_PAT}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}

const file = renderedFile(api);
const content = Buffer.from(file.text).toString("base64");

describe("workflow runs in the sandbox", () => {
  it("merging the pull request runs the workflow on the merge commit; it pushes what the router chose, verified", async () => {
    sandbox = await startVerifyWorld();
    const main = (await gh("GET", "/repos/acme/api/git/ref/heads/main")) as { object: { sha: string } };
    await gh("POST", "/repos/acme/api/git/refs", { ref: "refs/heads/sourcelinks/docker-hub", sha: main.object.sha });
    await gh("PUT", `/repos/acme/api/contents/${file.path}`, { message: "Add the replacement", content, branch: "sourcelinks/docker-hub" });
    // The workflow filters pushes to main and v-tags: the proposal branch runs nothing.
    expect(sandbox.world().github.workflowRuns ?? []).toEqual([]);
    const pull = (await gh("POST", "/repos/acme/api/pulls", { title: "Replacement", head: "sourcelinks/docker-hub", base: "main" })) as {
      number: number;
    };
    const merge = (await gh("PUT", `/repos/acme/api/pulls/${pull.number}/merge`, {})) as { sha: string };
    const runs = (await gh("GET", `/repos/acme/api/actions/workflows/${file.path.split("/").pop()}/runs?head_sha=${merge.sha}`)) as {
      total_count: number;
      workflow_runs: { head_sha: string; head_branch: string; status: string; conclusion: string; html_url: string }[];
    };
    expect(runs.total_count).toBe(1);
    expect(runs.workflow_runs[0]).toMatchObject({ head_sha: merge.sha, head_branch: "main", status: "completed", conclusion: "success" });
    expect(runs.workflow_runs[0]!.html_url).toMatch(/^https:\/\/github\.com\/acme\/api\/actions\/runs\/\d+$/);
    const [verdict] = await verifyReplacements([api], [merged(api, merge.sha)], readers(sandbox));
    expect(verdict).toMatchObject({ state: "verified", tags: [{ name: "latest", fresh: true }] });
  });

  it("a push of the file straight to the default branch runs it too", async () => {
    sandbox = await startVerifyWorld();
    const commit = (await gh("PUT", `/repos/acme/api/contents/${file.path}`, {
      message: "Add the replacement",
      content,
      branch: "main",
    })) as {
      commit: { sha: string };
    };
    expect(sandbox.world().github.workflowRuns?.map((r) => [r.headSha, r.refName, r.pushed])).toEqual([
      [commit.commit.sha, "main", ["acme/api:latest"]],
    ]);
  });
});
