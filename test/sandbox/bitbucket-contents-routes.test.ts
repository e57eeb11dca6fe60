/**
 * The sandbox's Bitbucket repository contents over loopback: a file committed on a new branch by
 * `POST …/src` (a form, as Bitbucket takes it), a pull request merged into the main branch and
 * announced to subscribers, Pipelines enabled, and secured variables whose values are never served.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { onCommitLanded, type CommitLanded } from "../../sandbox/git/landed.js";
import type { SandboxHandle } from "../../sandbox/server.js";
import { startHarness, testWorld, type TestCredentials } from "../support/bb-harness.js";

let sandbox: SandboxHandle;
let creds: TestCredentials;

beforeEach(async () => {
  const seeded = testWorld();
  creds = seeded.creds;
  sandbox = await startHarness(seeded.world);
});
afterEach(() => sandbox.close());

const REPO = "/repositories/acme-team/mobile";

async function call(
  method: string,
  path: string,
  body?: unknown,
  form?: Record<string, string>,
): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${creds.bitbucketEmail}:${creds.bitbucketPassword}`).toString("base64")}`,
  };
  let payload: string | null = null;
  if (form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(form).toString();
  } else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${sandbox.baseUrl}/bitbucket/2.0${path}`, { method, headers, body: payload });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A raw file.
  }
  return { status: res.status, text, json };
}

describe("Bitbucket repository contents in the sandbox", () => {
  it("commits a file on a new branch, opens a pull request and merges it into the main branch", async () => {
    const landed: CommitLanded[] = [];
    const stop = onCommitLanded((e) => landed.push(e));
    try {
      const repo = await call("GET", REPO);
      expect(repo.json.mainbranch).toEqual({ type: "branch", name: "main" });
      const commit = await call("POST", `${REPO}/src`, undefined, {
        message: "Add pipelines",
        branch: "sourcelinks/pipelines",
        "bitbucket-pipelines.yml": "pipelines: {}\n",
      });
      expect(commit.status).toBe(201);
      expect((await call("GET", `${REPO}/src/main/bitbucket-pipelines.yml`)).status).toBe(404);
      const branch = await call("GET", `${REPO}/refs/branches/sourcelinks/pipelines`);
      expect(branch.status).toBe(200);
      const head = (branch.json.target as { hash: string }).hash;
      expect((await call("GET", `${REPO}/src/${head}/bitbucket-pipelines.yml`)).text).toBe("pipelines: {}\n");

      const pr = await call("POST", `${REPO}/pullrequests`, {
        title: "Replace autobuilds",
        description: "why",
        source: { branch: { name: "sourcelinks/pipelines" } },
        destination: { branch: { name: "main" } },
      });
      expect(pr.status).toBe(201);
      const second = await call("POST", `${REPO}/pullrequests`, { title: "Again", source: { branch: { name: "sourcelinks/pipelines" } } });
      expect(second.status).toBe(400);
      const open = await call(
        "GET",
        `${REPO}/pullrequests?state=OPEN&q=${encodeURIComponent('source.branch.name="sourcelinks/pipelines"')}`,
      );
      expect((open.json.values as unknown[]).length).toBe(1);

      const merged = await call("POST", `${REPO}/pullrequests/${String(pr.json.id)}/merge`, {});
      expect(merged.status).toBe(200);
      expect(merged.json.state).toBe("MERGED");
      expect((await call("GET", `${REPO}/src/main/bitbucket-pipelines.yml`)).text).toBe("pipelines: {}\n");
      expect(landed.map((e) => [e.provider, e.repository, e.branch, e.via])).toEqual([
        ["bitbucket", "acme-team/mobile", "sourcelinks/pipelines", "push"],
        ["bitbucket", "acme-team/mobile", "main", "merge"],
      ]);
    } finally {
      stop();
    }
  });

  it("enables Pipelines and keeps a secured variable's value out of every answer", async () => {
    expect((await call("GET", `${REPO}/pipelines_config`)).json.enabled).toBe(false);
    expect((await call("PUT", `${REPO}/pipelines_config`, { enabled: true })).json.enabled).toBe(true);
    const created = await call("POST", `${REPO}/pipelines_config/variables`, {
      key: "DOCKERHUB_TOKEN",
      value: "hub-secret-value",
      secured: true,
    });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain("hub-secret-value");
    expect((await call("POST", `${REPO}/pipelines_config/variables`, { key: "DOCKERHUB_TOKEN", value: "x", secured: true })).status).toBe(
      409,
    );
    const updated = await call("PUT", `${REPO}/pipelines_config/variables/${encodeURIComponent(String(created.json.uuid))}`, {
      value: "next-value",
    });
    expect(updated.status).toBe(200);
    const listed = await call("GET", `${REPO}/pipelines_config/variables`);
    expect(listed.json.values).toEqual([{ type: "pipeline_variable", uuid: created.json.uuid, key: "DOCKERHUB_TOKEN", secured: true }]);
    expect(sandbox.world().bitbucket.repos.find((r) => r.slug === "mobile")?.variables?.[0]?.value).toBe("next-value");
  });
});
