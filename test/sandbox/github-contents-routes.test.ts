/**
 * The sandbox's GitHub repository contents over loopback: branches, files with GitHub's `sha` checks,
 * pull requests that merge into the default branch (announced to subscribers), the `workflow` scope
 * on `.github/workflows/`, and Actions secrets that must be real sealed boxes.
 */
import sodium from "libsodium-wrappers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { onCommitLanded, type CommitLanded } from "../../sandbox/git/landed.js";
import { startSandbox } from "../../sandbox/server.js";
import { fakeToken, githubFixtureWorld, type GitHubFixtureTokens } from "../support/github-harness.js";

let baseUrl: string;
let close: () => Promise<void>;
let reset: () => Promise<void>;
let tokens: GitHubFixtureTokens;
/** A classic PAT of the org owner with `repo` but not `workflow`. */
const noWorkflow = fakeToken("no-workflow");

beforeAll(async () => {
  const fixture = githubFixtureWorld(0);
  tokens = fixture.tokens;
  fixture.world.github.tokens.push({
    token: noWorkflow,
    login: "octo-admin",
    kind: "pat",
    clientId: null,
    revoked: false,
    scopes: ["repo"],
  });
  const sandbox = await startSandbox({ seed: fixture.world });
  baseUrl = `${sandbox.baseUrl}/github`;
  close = () => sandbox.close();
  reset = () => sandbox.reset();
});
afterAll(() => close());
beforeEach(() => reset());

async function gh(
  method: string,
  path: string,
  body?: unknown,
  token = tokens.admin,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `token ${token}`,
      accept: "application/vnd.github+json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const b64 = (text: string): string => Buffer.from(text).toString("base64");
const WORKFLOW = ".github/workflows/docker-hub-acme-api.yml";

describe("GitHub repository contents in the sandbox", () => {
  it("creates a branch from the default branch, commits a file on it, opens a pull request and merges it into the default branch", async () => {
    const landed: CommitLanded[] = [];
    const stop = onCommitLanded((e) => landed.push(e));
    try {
      const main = await gh("GET", "/repos/acme/api/git/ref/heads/main");
      expect(main.status).toBe(200);
      const mainSha = (main.body.object as { sha: string }).sha;
      expect(mainSha).toMatch(/^[0-9a-f]{40}$/);

      const created = await gh("POST", "/repos/acme/api/git/refs", { ref: "refs/heads/sourcelinks/api", sha: mainSha });
      expect(created.status).toBe(201);
      expect((await gh("POST", "/repos/acme/api/git/refs", { ref: "refs/heads/sourcelinks/api", sha: mainSha })).status).toBe(422);
      expect((await gh("GET", "/repos/acme/api/git/ref/heads/sourcelinks/api")).status).toBe(200);

      const put = await gh("PUT", `/repos/acme/api/contents/${WORKFLOW}`, {
        message: "Add workflow",
        content: b64("name: one\n"),
        branch: "sourcelinks/api",
      });
      expect(put.status).toBe(201);
      const fileSha = (put.body.content as { sha: string }).sha;
      // Not on the default branch yet.
      expect((await gh("GET", `/repos/acme/api/contents/${WORKFLOW}`)).status).toBe(404);
      const onBranch = await gh("GET", `/repos/acme/api/contents/${WORKFLOW}?ref=sourcelinks/api`);
      expect(Buffer.from(String(onBranch.body.content), "base64").toString()).toBe("name: one\n");
      expect(onBranch.body.sha).toBe(fileSha);

      const pull = await gh("POST", "/repos/acme/api/pulls", {
        title: "Replace autobuilds",
        head: "sourcelinks/api",
        base: "main",
        body: "why",
      });
      expect(pull.status).toBe(201);
      expect(pull.body.number).toBe(1);
      const again = await gh("POST", "/repos/acme/api/pulls", { title: "Again", head: "sourcelinks/api", base: "main" });
      expect(again.status).toBe(422);
      const listed = await gh("GET", "/repos/acme/api/pulls?state=open&head=acme:sourcelinks/api");
      expect((listed.body as unknown as unknown[]).length).toBe(1);

      const merged = await gh("PUT", "/repos/acme/api/pulls/1/merge", {});
      expect(merged.status).toBe(200);
      expect(merged.body.merged).toBe(true);
      const onMain = await gh("GET", `/repos/acme/api/contents/${WORKFLOW}`);
      expect(onMain.status).toBe(200);
      expect(onMain.body.sha).toBe(fileSha);
      expect((await gh("GET", "/repos/acme/api/pulls/1")).body).toMatchObject({
        state: "closed",
        merged: true,
        merge_commit_sha: merged.body.sha,
      });
      expect((await gh("PUT", "/repos/acme/api/pulls/1/merge", {})).status).toBe(405);

      // The branch's creation is a push too (workflows run for a new branch), then the file's commit, then the merge.
      expect(landed.map((e) => [e.repository, e.branch, e.via, e.defaultBranch])).toEqual([
        ["acme/api", "sourcelinks/api", "push", false],
        ["acme/api", "sourcelinks/api", "push", false],
        ["acme/api", "main", "merge", true],
      ]);
      expect(landed[2]?.sha).toBe(merged.body.sha);
      expect(Buffer.from(landed[2]?.files[WORKFLOW] ?? "", "base64").toString()).toBe("name: one\n");
      expect(landed[2]?.pullRequest).toBe(1);
    } finally {
      stop();
    }
  });

  it("refuses an update without the file's sha (422) and with a stale one (409), as GitHub does", async () => {
    const first = await gh("PUT", "/repos/acme/api/contents/Dockerfile", { message: "add", content: b64("FROM scratch\n") });
    expect(first.status).toBe(201);
    const sha = (first.body.content as { sha: string }).sha;
    expect((await gh("PUT", "/repos/acme/api/contents/Dockerfile", { message: "edit", content: b64("FROM alpine\n") })).status).toBe(422);
    const stale = await gh("PUT", "/repos/acme/api/contents/Dockerfile", {
      message: "edit",
      content: b64("FROM alpine\n"),
      sha: "0".repeat(40),
    });
    expect(stale.status).toBe(409);
    const ok = await gh("PUT", "/repos/acme/api/contents/Dockerfile", { message: "edit", content: b64("FROM alpine\n"), sha });
    expect(ok.status).toBe(200);
    expect((await gh("PUT", "/repos/acme/api/contents/Dockerfile", { message: "x", content: b64("y"), branch: "nope" })).status).toBe(404);
  });

  it("refuses a workflow file to a token without the workflow scope, naming the scope, and takes other files", async () => {
    const refused = await gh("PUT", `/repos/acme/api/contents/${WORKFLOW}`, { message: "add", content: b64("on: push\n") }, noWorkflow);
    expect(refused.status).toBe(403);
    expect(String(refused.body.message)).toContain("without `workflow` scope");
    expect((await gh("PUT", "/repos/acme/api/contents/README.md", { message: "x", content: b64("x"), sha: "" }, noWorkflow)).status).toBe(
      409,
    );
    expect((await gh("PUT", "/repos/acme/api/contents/docs/x.md", { message: "x", content: b64("x") }, noWorkflow)).status).toBe(201);
  });

  it("opens a real sealed box to store an Actions secret and refuses a box sealed to another key", async () => {
    await sodium.ready;
    const key = await gh("GET", "/repos/acme/api/actions/secrets/public-key");
    expect(key.status).toBe(200);
    const sealed = sodium.crypto_box_seal(
      sodium.from_string("hub-token-value"),
      sodium.from_base64(String(key.body.key), sodium.base64_variants.ORIGINAL),
    );
    const put = await gh("PUT", "/repos/acme/api/actions/secrets/DOCKERHUB_TOKEN", {
      encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
      key_id: key.body.key_id,
    });
    expect(put.status).toBe(201);
    const other = sodium.crypto_box_keypair();
    const wrong = sodium.crypto_box_seal(sodium.from_string("x"), other.publicKey);
    const refused = await gh("PUT", "/repos/acme/api/actions/secrets/DOCKERHUB_TOKEN", {
      encrypted_value: sodium.to_base64(wrong, sodium.base64_variants.ORIGINAL),
      key_id: key.body.key_id,
    });
    expect(refused.status).toBe(422);
    const plain = await gh("PUT", "/repos/acme/api/actions/secrets/DOCKERHUB_TOKEN", {
      encrypted_value: b64("hub-token-value"),
      key_id: key.body.key_id,
    });
    expect(plain.status).toBe(422);
    const listed = await gh("GET", "/repos/acme/api/actions/secrets");
    expect(listed.body).toMatchObject({ total_count: 1, secrets: [{ name: "DOCKERHUB_TOKEN" }] });
    expect(JSON.stringify(listed.body)).not.toContain("hub-token-value");
  });

  it("selects an organization secret for a repository", async () => {
    await sodium.ready;
    const key = await gh("GET", "/orgs/acme/actions/secrets/public-key");
    const sealed = sodium.crypto_box_seal(
      sodium.from_string("npm"),
      sodium.from_base64(String(key.body.key), sodium.base64_variants.ORIGINAL),
    );
    const put = await gh("PUT", "/orgs/acme/actions/secrets/NPM_TOKEN", {
      encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
      key_id: key.body.key_id,
      visibility: "selected",
    });
    expect(put.status).toBe(201);
    const repo = await gh("GET", "/repos/acme/api");
    expect((await gh("PUT", `/orgs/acme/actions/secrets/NPM_TOKEN/repositories/${String(repo.body.id)}`)).status).toBe(204);
    const selected = await gh("GET", "/orgs/acme/actions/secrets/NPM_TOKEN/repositories");
    expect(selected.body).toMatchObject({ total_count: 1, repositories: [{ full_name: "acme/api" }] });
  });
});
