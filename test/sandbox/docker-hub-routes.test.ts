import { afterEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../sandbox/server.js";
import { FakeClock, startDockerHub } from "../support/docker-hub-harness.js";

const TOKEN = "sbx-dckr-read-0123456789abcdef";
let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function bearer(base: string): Promise<string> {
  const res = await fetch(`${base}/v2/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ identifier: "acme-ci", secret: TOKEN }),
  });
  expect(res.status).toBe(200);
  const { access_token } = (await res.json()) as { access_token: string };
  expect(access_token.split(".")).toHaveLength(3);
  return access_token;
}

describe("sandbox Docker Hub", () => {
  it("serves a private repository's tag with tag_last_pushed to a bearer of its namespace, and hides it from others", async () => {
    const clock = new FakeClock(Date.parse("2026-12-01T00:00:00Z"));
    sandbox = await startDockerHub(clock);
    const base = sandbox.env.SOURCELINKS_DOCKER_HUB_API_URL;
    const url = `${base}/v2/namespaces/acme/repositories/api/tags/v1.2.3`;
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(url, { headers: { authorization: "Bearer not-issued" } })).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${await bearer(base)}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "v1.2.3", tag_last_pushed: "2026-11-02T08:30:00.000Z", tag_status: "active" });
    const wrong = await fetch(`${base}/v2/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ identifier: "acme-ci", secret: "sbx-dckr-wrong" }),
    });
    expect(wrong.status).toBe(401);
  });

  it("announces X-RateLimit-* on each answer and refuses past the limit with 429 and X-Retry-After", async () => {
    const clock = new FakeClock(Date.parse("2026-12-01T00:00:00Z"));
    sandbox = await startDockerHub(clock, { limit: 2 });
    const url = `${sandbox.env.SOURCELINKS_DOCKER_HUB_API_URL}/v2/namespaces/acme/repositories/docs/tags/latest`;
    const reset = String(Math.ceil((clock.ms + 60_000) / 1000));
    const first = await fetch(url);
    expect([
      first.headers.get("x-ratelimit-limit"),
      first.headers.get("x-ratelimit-remaining"),
      first.headers.get("x-ratelimit-reset"),
    ]).toEqual(["2", "1", reset]);
    expect((await fetch(url)).headers.get("x-ratelimit-remaining")).toBe("0");
    const refused = await fetch(url);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-retry-after")).toBe(reset);
    clock.ms += 60_000;
    expect((await fetch(url)).status).toBe(200);
  });

  it("a push through /_sandbox/act creates the repository and moves tag_last_pushed to the sandbox's time", async () => {
    const clock = new FakeClock(Date.parse("2026-12-01T00:00:00Z"));
    sandbox = await startDockerHub(clock);
    const act = await fetch(`${sandbox.baseUrl}/_sandbox/act`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ as: "docker-hub", action: "push", image: "acme/new", tags: ["latest", "1.0"] }),
    });
    expect(act.status).toBe(200);
    const page = await fetch(`${sandbox.env.SOURCELINKS_DOCKER_HUB_API_URL}/v2/namespaces/acme/repositories/new/tags?page_size=1`);
    const body = (await page.json()) as { count: number; next: string | null; results: { tag_last_pushed: string }[] };
    expect(body.count).toBe(2);
    expect(body.next).toContain("page=2");
    expect(body.results[0]!.tag_last_pushed).toBe("2026-12-01T00:00:00.000Z");
  });
});
