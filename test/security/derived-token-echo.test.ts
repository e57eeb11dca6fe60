/**
 * An OAuth token the CLI reads from the build service at run time (a link's credentials) is a secret
 * from that moment on, for every client: a hostile GitHub that learnt it (the proxy records it from the
 * build service's answer) and echoes it in its errors gets it printed nowhere. The CLI runs in process
 * against the demo world, without the OAuth app's client secret, so no grant check sends the token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../cli/io.js";
import { runCli } from "../../cli/program.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE } from "../support/cli-harness.js";
import { startHostileProxy, type HostileProxy } from "../support/hostile-proxy.js";

let sandbox: SandboxHandle;
let proxy: HostileProxy;
/** The OAuth tokens the build service handed out, as the proxy saw them. */
const tokens: string[] = [];
let echoed = 0;

beforeAll(async () => {
  sandbox = await startSandbox();
  proxy = await startHostileProxy(sandbox.baseUrl, (req) => {
    if (/^\/build\/api\/build\/v1\/[^/]+\/links\/[^/]+\/credentials\/$/.test(req.url.pathname)) {
      return async (_res, tools) => {
        const answer = await tools.forward();
        const token = (JSON.parse(answer.text || "{}") as { access_token?: unknown }).access_token;
        if (typeof token === "string") tokens.push(token);
        tools.send(answer.status, answer.headers, answer.text);
      };
    }
    if (!req.url.pathname.startsWith("/github/repos/") || tokens.length === 0) return undefined;
    echoed++;
    return (_res, tools) => tools.send(422, {}, { message: `Validation Failed for ${tokens.join(" and ")}` });
  });
});
afterAll(async () => {
  await proxy.close();
  await sandbox.close();
});

describe("an OAuth token read from the build service", () => {
  it("is redacted from GitHub's errors that echo it, though no grant check ever sent it", async () => {
    let stdout = "";
    let stderr = "";
    const { SOURCELINKS_GITHUB_CLIENT_SECRET: _secret, ...env } = sandbox.env;
    const io: CliIo = {
      out: (t) => void (stdout += `${t}\n`),
      err: (t) => void (stderr += `${t}\n`),
      progress: () => {},
      interactive: false,
      ask: () => Promise.resolve(""),
      env: { ...env, ...proxy.env, SOURCELINKS_ETAG_CACHE: "off" },
    };
    const code = await runCli(["plan", EXAMPLE], io);
    expect(code, stderr).toBe(1);
    expect(tokens.length).toBeGreaterThan(0);
    expect(echoed).toBeGreaterThan(0);
    expect(stderr).toContain("HTTP 422: Validation Failed for [redacted]");
    for (const token of tokens) {
      expect(token.length).toBeGreaterThan(16);
      expect(stderr).not.toContain(token);
      expect(stdout).not.toContain(token);
    }
  });
});
