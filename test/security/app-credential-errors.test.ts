import { execFileSync } from "node:child_process";
/**
 * What a hostile server can make the CLI print when it runs as a GitHub App: a proxy in front of the
 * sandbox echoes the app's JWT (the whole Authorization header, or the bare token) in the 403 it
 * answers to the app-level calls, and names "accepted permissions" that carry text of its own. The CLI
 * runs in process; no JWT, and nothing of the header but known permission names and levels, may
 * reach stderr, the check output (SARIF, JSON) or the report.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../cli/io.js";
import { runCli } from "../../cli/program.js";
import { startSandbox, type SandboxHandle, type SeedDocument } from "../../sandbox/index.js";
import { appKeyPair } from "../support/github-app-harness.js";
import { startHostileProxy, type HostileProxy, type Intercept } from "../support/hostile-proxy.js";

const keys = appKeyPair();
const APP_ID = 424242;
const INSTALLATION = 7001;

/** acme/legacy-api keeps the build service's webhook; the app is installed on acme with every permission the CLI uses. */
const SEED: SeedDocument = {
  operator: { github: "jdoe", namespace: "acme" },
  oauthApps: [{ provider: "github", clientId: "Iv1.5a9d0c3e7b214f68", name: "Docker Hub Builder" }],
  github: {
    users: [{ login: "jdoe" }, { login: "legacy-builder" }],
    orgs: [{ login: "acme", owners: ["jdoe"], members: ["legacy-builder"] }],
    repos: [{ name: "acme/legacy-api", hooks: [{ url: "https://registry.hub.docker.com/hooks/github" }] }],
    apps: [
      {
        id: APP_ID,
        publicKey: keys.publicKey,
        installations: [
          {
            id: INSTALLATION,
            owner: "acme",
            permissions: { metadata: "read", repository_hooks: "write", administration: "write", organization_hooks: "write" },
          },
        ],
      },
    ],
  },
  buildService: {
    namespaces: [
      {
        name: "acme",
        links: [
          {
            provider: "github",
            account: "legacy-builder",
            serviceAccount: true,
            state: "unlinked",
            grant: "revoked",
            repositories: ["acme/legacy-api"],
          },
        ],
      },
    ],
  },
};

/** The config: one revoked link on acme/legacy-api, GitHub through the app (installation looked up unless given). */
function config(installations: string): string {
  return `apiVersion: sourcelinks/v1
buildService:
  kind: reference
  apiUrl: https://builds.example.com/api/build/v1
  tokenEnv: SOURCELINKS_BUILD_TOKEN
  webhookUrlPatterns: ["https://registry.hub.docker.com/hooks/*"]
  deployKeyTitlePatterns: ["Docker Hub Builder*"]
  oauthApps:
    github: { clientId: Iv1.5a9d0c3e7b214f68, name: Docker Hub Builder }
providers:
  github:
    auth: { appId: ${APP_ID}, privateKeyEnv: SOURCELINKS_GITHUB_APP_KEY${installations} }
links:
  - name: legacy-builds
    namespace: acme
    provider: github
    account: legacy-builder
    serviceAccount: true
    state: revoked
    repositories: [acme/legacy-api]
    onRevoke: { webhooks: delete, deployKeys: keep }
`;
}

let sandbox: SandboxHandle;
let dir: string;
let proxy: HostileProxy | null = null;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
  dir = mkdtempSync(join(tmpdir(), "sourcelinks-app-errors-"));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => sandbox.reset());
afterEach(async () => {
  await proxy?.close();
  proxy = null;
});

/** Writes the config (`installations` is YAML to append to the auth mapping) and returns its path. */
function configFile(installations = ""): string {
  const file = join(mkdtempSync(join(dir, "config-")), "sourcelinks.yaml");
  writeFileSync(file, config(installations));
  return file;
}

/** Runs the CLI in process through the proxy, with the app's key and no GitHub token in its environment. */
async function cli(args: readonly string[], key = keys.privateKey): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const { GITHUB_TOKEN: _pat, ...sandboxEnv } = sandbox.env;
  const env = { ...sandboxEnv, ...(proxy?.env ?? {}), SOURCELINKS_ETAG_CACHE: "off", SOURCELINKS_GITHUB_APP_KEY: key };
  const io: CliIo = {
    out: (t) => void (stdout += t.endsWith("\n") ? t : `${t}\n`),
    err: (t) => void (stderr += t.endsWith("\n") ? t : `${t}\n`),
    progress: () => {},
    interactive: false,
    ask: () => Promise.resolve(""),
    env,
  };
  const code = await runCli(args, io, dir);
  return { code, stdout, stderr };
}

/** Answers app-level calls on `path` with a 403 whose body and headers echo the JWT, and records each JWT seen. */
function echoJwt(path: RegExp, seen: string[]): Intercept {
  return (req) => {
    if (!path.test(req.url.pathname)) return undefined;
    const authorization = String(req.headers.authorization ?? "");
    const jwt = authorization.replace(/^bearer\s+/i, "");
    seen.push(jwt);
    return (_res, tools) =>
      tools.send(
        403,
        { "x-echo": jwt, "x-accepted-github-permissions": `metadata=read; token=${jwt}` },
        { message: `Forbidden: ${jwt} (sent as "${authorization}")`, documentation_url: `https://docs.github.com/rest?jwt=${jwt}` },
      );
  };
}

describe("a server that echoes the GitHub App's JWT in an error", () => {
  it("gets no part of the JWT printed when it refuses the installation look-up (GET /orgs/{org}/installation)", async () => {
    const seen: string[] = [];
    proxy = await startHostileProxy(sandbox.baseUrl, echoJwt(/^\/github\/orgs\/acme\/installation$/, seen));
    const run = await cli(["plan", configFile()]);
    expect(run.code, run.stderr).toBe(1);
    expect(seen.length).toBeGreaterThan(0);
    for (const jwt of seen) {
      expect(jwt.split(".")).toHaveLength(3);
      expect(jwt.length).toBeGreaterThan(100);
      const [, claims = "", signature = ""] = jwt.split(".");
      for (const part of [jwt, claims, signature.slice(0, 16), signature.slice(-16)]) {
        expect(run.stderr).not.toContain(part);
        expect(run.stdout).not.toContain(part);
      }
    }
    expect(run.stderr).toContain("GET");
    expect(run.stderr).toContain("/orgs/acme/installation");
    expect(run.stderr).toContain("HTTP 403");
  });

  it("gets no part of the JWT printed when it refuses to mint an installation token (POST /app/installations/{id}/access_tokens)", async () => {
    const seen: string[] = [];
    proxy = await startHostileProxy(sandbox.baseUrl, echoJwt(/^\/github\/app\/installations\/\d+\/access_tokens$/, seen));
    const run = await cli(["plan", configFile(`, installations: { acme: ${INSTALLATION} }`)]);
    expect(run.code, run.stderr).toBe(1);
    expect(seen.length).toBeGreaterThan(0);
    for (const jwt of seen) {
      expect(jwt.length).toBeGreaterThan(100);
      const [, claims = "", signature = ""] = jwt.split(".");
      for (const part of [jwt, claims, signature.slice(0, 16), signature.slice(-16)]) {
        expect(run.stderr).not.toContain(part);
        expect(run.stdout).not.toContain(part);
      }
    }
    expect(run.stderr).toContain("HTTP 403");
  });
});

describe("a server that names accepted permissions with text of its own", () => {
  it("gets only the known permission names and levels printed: nothing else of the header reaches stderr, the check output or the report", async () => {
    const planted = `canary-header-${randomBytes(12).toString("hex")}`;
    proxy = await startHostileProxy(sandbox.baseUrl, (req) => {
      if (req.url.pathname !== "/github/repos/acme/legacy-api/hooks") return undefined;
      return (_res, tools) =>
        tools.send(
          403,
          { "x-accepted-github-permissions": `repository_hooks=read; echo=${planted}; metadata=read,x=${planted}` },
          { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" },
        );
    });
    const file = configFile(`, installations: { acme: ${INSTALLATION} }`);
    const runs = {
      plan: await cli(["plan", file]),
      sarif: await cli(["check", file, "--live", "--format", "sarif"]),
      json: await cli(["check", file, "--live", "--format", "json"]),
      report: await cli(["report", file, "--format", "json"]),
      markdown: await cli(["report", file, "--format", "markdown"]),
    };
    for (const [name, run] of Object.entries(runs)) {
      for (const text of [run.stdout, run.stderr]) {
        expect(text, name).not.toContain(planted);
        expect(text, name).not.toContain("echo=");
      }
    }
    expect(runs.plan.code).toBe(1);
    expect(runs.plan.stderr).toContain(
      "the GitHub App installation for acme lacks permission repository_hooks=read (needed to list the webhooks of acme/legacy-api)",
    );
    expect(runs.sarif.stdout + runs.sarif.stderr).toContain("repository_hooks=read");
  });
});

describe("a private key that is not the app's", () => {
  const wrong = appKeyPair().privateKey;

  it("is named by its env var when GitHub refuses the JWTs it signs", async () => {
    const run = await cli(["plan", configFile()], wrong);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `github: GitHub refused the JWT of the GitHub App ${APP_ID}, signed with the private key from the env var SOURCELINKS_GITHUB_APP_KEY: ` +
        `GET ${sandbox.baseUrl}/github/orgs/acme/installation answered HTTP 401: A JSON web token could not be decoded. ` +
        `Check that the env var SOURCELINKS_GITHUB_APP_KEY holds a private key of the app ${APP_ID}`,
    );
  });

  it("is named by its file when GitHub refuses the JWTs it signs", async () => {
    const file = configFile(`, installations: { acme: ${INSTALLATION} }`);
    const text = readFileSync(file, "utf8").replace("privateKeyEnv: SOURCELINKS_GITHUB_APP_KEY", "privateKeyFile: app.pem");
    writeFileSync(file, text);
    const pem = join(dirname(file), "app.pem");
    writeFileSync(pem, wrong, { mode: 0o600 });
    const run = await cli(["plan", file]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `signed with the private key from the file ${pem}: POST ${sandbox.baseUrl}/github/app/installations/${INSTALLATION}/access_tokens answered HTTP 401: A JSON web token could not be decoded`,
    );
  });
});

describe("a private key file that is not a regular file", () => {
  it("is refused at once, naming the file, when it is a named pipe (a read would block the run)", async () => {
    const file = configFile(`, installations: { acme: ${INSTALLATION} }`);
    writeFileSync(file, readFileSync(file, "utf8").replace("privateKeyEnv: SOURCELINKS_GITHUB_APP_KEY", "privateKeyFile: app.pem"));
    const pem = join(dirname(file), "app.pem");
    execFileSync("mkfifo", [pem]);
    const run = await cli(["plan", file]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      `cannot read the GitHub App's private key from the file ${pem}: it is a named pipe (FIFO), not a regular file`,
    );
  });
});

describe("a machine whose clock is off from GitHub's, through the CLI", () => {
  it("is told to set its clock right when GitHub refuses the JWT's dates and sends no Date to correct by", async () => {
    proxy = await startHostileProxy(sandbox.baseUrl, (req) => {
      if (req.url.pathname !== "/github/orgs/acme/installation") return undefined;
      return (res, tools) => {
        res.sendDate = false;
        tools.send(
          401,
          {},
          { message: "'Expiration time' claim ('exp') is too far in the future", documentation_url: "https://docs.github.com/rest" },
        );
      };
    });
    const run = await cli(["plan", configFile()]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `GET ${proxy.baseUrl}/github/orgs/acme/installation answered HTTP 401: 'Expiration time' claim ('exp') is too far in the future. ` +
        "GitHub refused the JWT's dates, after a correction by its answer's Date header where it sent one: set this machine's clock right",
    );
  });

  it.each([
    ["5 minutes ahead", 300],
    ["11 minutes behind", -660],
  ])("plans as the app when it is %s (the sandbox clock set through PUT /_sandbox/clock)", async (_name, skewSeconds) => {
    const set = await fetch(`${sandbox.baseUrl}/_sandbox/clock`, { method: "PUT", body: JSON.stringify({ offsetSeconds: -skewSeconds }) });
    expect(set.status).toBe(200);
    try {
      const run = await cli(["plan", configFile()]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("acme/legacy-api");
    } finally {
      sandbox.setClockOffset(0);
    }
  });
});
