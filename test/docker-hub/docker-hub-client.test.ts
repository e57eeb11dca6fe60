import { afterEach, describe, expect, it } from "vitest";
import { inspect } from "node:util";
import { createDockerHubClient } from "../../engine/clients/docker-hub/index.js";
import { HttpError } from "../../engine/clients/http-error.js";
import { Secret, SecretSet } from "../../engine/model/secret.js";
import type { SandboxHandle } from "../../sandbox/server.js";
import { FakeClock, startDockerHub } from "../support/docker-hub-harness.js";

const TOKEN = "sbx-dckr-read-0123456789abcdef";
let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

function client(clock: FakeClock, token: string | null = TOKEN, secretSet?: SecretSet) {
  return createDockerHubClient({
    apiUrl: sandbox!.env.SOURCELINKS_DOCKER_HUB_API_URL,
    username: "acme-ci",
    token: token === null ? null : new Secret(token),
    clock,
    ...(secretSet ? { secretSet } : {}),
    transport: { sleep: clock.sleep },
  });
}

describe("Docker Hub client", () => {
  it("exchanges the access token for a bearer once and reads a private tag's tag_last_pushed", async () => {
    const clock = new FakeClock(Date.parse("2026-12-01T00:00:00Z"));
    sandbox = await startDockerHub(clock);
    const secrets = new SecretSet();
    const hub = client(clock, TOKEN, secrets);
    expect(await hub.tag("acme/api", "v1.2.3")).toMatchObject({ name: "v1.2.3", lastPushed: "2026-11-02T08:30:00.000Z" });
    expect(await hub.tag("acme/api", "latest")).toMatchObject({ lastPushed: "2026-11-01T12:00:00.000Z" });
    const counts = sandbox.counters().byEndpoint;
    expect(counts["POST /dockerhub/v2/auth/token"]).toBe(1);
    expect(counts["GET /dockerhub/v2/namespaces/:namespace/repositories/:repository/tags/:tag"]).toBe(2);
    // The bearer the exchange returned is a credential of the run from the moment it exists.
    const bearer = sandbox.world().dockerHub!.bearers[0]!.token;
    expect(secrets.values()).toEqual(expect.arrayContaining([TOKEN, bearer]));
    expect(inspect(hub, { depth: 5 })).not.toContain(TOKEN);
  });

  it("answers null for a missing tag and a missing repository, and reads recent tags newest first in one request", async () => {
    const clock = new FakeClock(Date.parse("2026-12-01T00:00:00Z"));
    sandbox = await startDockerHub(clock);
    const hub = client(clock);
    expect(await hub.tag("acme/api", "v9")).toBeNull();
    expect(await hub.tag("acme/nothing", "latest")).toBeNull();
    expect(await hub.recentTags("acme/nothing")).toBeNull();
    const before = sandbox.counters().requests;
    expect((await hub.recentTags("acme/api"))?.map((t) => t.name)).toEqual(["v1.2.3", "latest"]);
    expect(sandbox.counters().requests - before).toBe(1);
  });

  it("reads a public repository without a token, and a private one stays hidden from anonymous callers", async () => {
    const clock = new FakeClock(Date.parse("2026-12-01T00:00:00Z"));
    sandbox = await startDockerHub(clock);
    const anonymous = client(clock, null);
    expect(await anonymous.tag("acme/docs", "latest")).toMatchObject({ name: "latest" });
    expect(await anonymous.tag("acme/api", "latest")).toBeNull();
    expect(sandbox.counters().byEndpoint["POST /dockerhub/v2/auth/token"]).toBeUndefined();
  });

  it("refuses a wrong token with a typed error that names Docker Hub and never the token", async () => {
    const clock = new FakeClock(Date.parse("2026-12-01T00:00:00Z"));
    sandbox = await startDockerHub(clock);
    const wrong = "sbx-dckr-wrong-fedcba9876543210";
    const error = await client(clock, wrong)
      .tag("acme/api", "latest")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(401);
    expect((error as HttpError).service).toBe("docker-hub");
    expect(String(error)).toContain("Incorrect authentication credentials");
    expect(`${String(error)} ${inspect(error, { depth: 5 })}`).not.toContain(wrong);
  });

  it("waits for the window Docker Hub announces in X-RateLimit-* instead of being refused", async () => {
    const clock = new FakeClock(Date.parse("2026-12-01T00:00:00Z"));
    sandbox = await startDockerHub(clock, { limit: 3 });
    const hub = client(clock);
    // Three reads spend the user's window of three; the fourth waits for the reset.
    for (const tag of ["latest", "v1.2.3", "latest", "v1.2.3"]) expect(await hub.tag("acme/api", tag)).not.toBeNull();
    expect(sandbox.counters().byStatus["429"]).toBeUndefined();
    expect(clock.waits.some((ms) => ms > 0 && ms <= 60_000)).toBe(true);
  });

  it("after a 429 (another caller spent the window) waits until X-Retry-After and tries again", async () => {
    const clock = new FakeClock(Date.parse("2026-12-01T00:00:00Z"));
    sandbox = await startDockerHub(clock, { limit: 3 });
    const first = client(clock);
    for (let i = 0; i < 3; i++) await first.tag("acme/api", "latest");
    // A second client of the same user does not know the window is spent.
    const second = client(clock);
    expect(await second.tag("acme/api", "v1.2.3")).toMatchObject({ name: "v1.2.3" });
    expect(sandbox.counters().byStatus["429"]).toBe(1);
    expect(clock.waits).toContain(60_000);
  });
});
