import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { beforeEach, describe, expect, it } from "vitest";
import { createGitHubClients } from "../../engine/clients/github/index.js";
import { HttpError } from "../../engine/clients/http-error.js";
import { JsonHttp } from "../../engine/clients/json-http.js";
import { Secret } from "../../engine/model/secret.js";
import { unreachableCode } from "../../engine/clients/unreachable.js";

/** A loopback port nothing listens on: bound, then released, so a connection is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let origin: string;
beforeEach(async () => {
  origin = `http://127.0.0.1:${await closedPort()}`;
});

const cannotReach = (service: string, method: string, url: string): string =>
  `${service}: ${method} ${url} failed: no response: the API at ${origin} cannot be reached (ECONNREFUSED); not retried: check the API URL (the config's apiUrl or its SOURCELINKS_*_API_URL override) and the network`;

describe("an API nothing listens on", () => {
  it("JsonHttp (build service, Bitbucket) fails at once with the URL, without a retry or a backoff", async () => {
    const sleeps: number[] = [];
    const http = new JsonHttp({
      service: "build-service",
      authorization: null,
      errorDetail: () => null,
      retries: 5,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const failure = http.request("GET", `${origin}/api/build/v1/acme/links/`);
    await expect(failure).rejects.toThrow(HttpError);
    await expect(failure).rejects.toThrow(cannotReach("build-service", "GET", `${origin}/api/build/v1/acme/links/`));
    expect(sleeps).toEqual([]);
  });

  it("the GitHub client fails with the URL, not as HTTP 500, and is not retried (a retry would wait 60 s and time the test out)", async () => {
    const { provider } = createGitHubClients({ apiUrl: origin, token: new Secret("sbx-unreachable-pat"), retryAfterBaseMs: 60_000 });
    await expect(provider.listWebhooks("acme/api")).rejects.toThrow(
      cannotReach("github", "GET", `${origin}/repos/acme/api/hooks?per_page=100`),
    );
  }, 10_000);
});

describe("unreachableCode", () => {
  it("finds the code in a cause chain or an AggregateError, and not in a dropped connection", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(unreachableCode(new TypeError("fetch failed", { cause: refused }))).toBe("ECONNREFUSED");
    expect(unreachableCode(new TypeError("fetch failed", { cause: new AggregateError([refused]) }))).toBe("ECONNREFUSED");
    expect(
      unreachableCode(new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) })),
    ).toBeUndefined();
    expect(unreachableCode(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toBeUndefined();
  });
});
