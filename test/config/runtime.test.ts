import { describe, expect, test } from "vitest";
import { Secret } from "../../engine/model/secret.js";
import { loadConfigTexts, resolveClientSettings, resolveGitHubClientSecret, SettingError } from "../../engine/config/index.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { basicYaml } from "./helpers.js";

const config: SourcelinksConfig = loadConfigTexts([{ file: "basic.yaml", text: basicYaml }]).config;

/** Obviously fake credentials, built at run time. */
const fake = (what: string): string => `fake-${what}-${process.pid}`;

describe("resolveClientSettings", () => {
  test("without overrides, URLs come from the config and secrets from the env vars it names", () => {
    const env = {
      SOURCELINKS_BUILD_TOKEN: fake("build"),
      GITHUB_TOKEN: fake("github"),
      BITBUCKET_USERNAME: "acme-bb-builder",
      BITBUCKET_APP_PASSWORD: fake("bb"),
    };
    const settings = resolveClientSettings(config, env);
    expect(settings.buildService).toEqual({
      kind: "reference",
      apiUrl: "https://builds.example.com/api/build/v1",
      token: expect.any(Secret),
      webhookUrlPatterns: config.buildService.webhookUrlPatterns,
      deployKeyTitlePatterns: ["Docker Hub Builder*"],
    });
    expect(settings.buildService.token?.reveal()).toBe(env.SOURCELINKS_BUILD_TOKEN);
    expect(settings.github?.apiUrl).toBe("https://api.github.com");
    expect(settings.github?.token?.reveal()).toBe(env.GITHUB_TOKEN);
    expect(settings.bitbucket?.apiUrl).toBe("https://api.bitbucket.org/2.0");
    expect(settings.bitbucket?.username).toBe("acme-bb-builder");
    expect(settings.bitbucket?.token?.reveal()).toBe(env.BITBUCKET_APP_PASSWORD);
    expect(settings.options).toBeUndefined();
  });

  test("SOURCELINKS_*_API_URL override each service's URL (a trailing slash is dropped)", () => {
    const env = {
      SOURCELINKS_BUILD_API_URL: "http://127.0.0.1:4000/build/api/build/v1/",
      SOURCELINKS_GITHUB_API_URL: "http://127.0.0.1:4000/github",
      SOURCELINKS_BITBUCKET_API_URL: "http://127.0.0.1:4000/bitbucket/2.0",
    };
    const settings = resolveClientSettings(config, env);
    expect(settings.buildService.apiUrl).toBe("http://127.0.0.1:4000/build/api/build/v1");
    expect(settings.github?.apiUrl).toBe("http://127.0.0.1:4000/github");
    expect(settings.bitbucket?.apiUrl).toBe("http://127.0.0.1:4000/bitbucket/2.0");
  });

  test("missing or empty env vars give null tokens, not errors", () => {
    const settings = resolveClientSettings(config, { GITHUB_TOKEN: "", SOURCELINKS_GITHUB_API_URL: "" });
    expect(settings.buildService.token).toBeNull();
    expect(settings.github).toEqual({ apiUrl: "https://api.github.com", token: null });
    expect(settings.bitbucket).toEqual({ apiUrl: "https://api.bitbucket.org/2.0", username: "", token: null });
  });

  test("env var names come from the config, and unconfigured providers are null", () => {
    const custom = loadConfigTexts([
      {
        file: "custom.yaml",
        text: [
          "apiVersion: sourcelinks/v1",
          "buildService:",
          "  kind: docker-hub",
          "  tokenEnv: HUB_TOKEN",
          "  oauthApps: { github: { clientId: Iv1.abc, name: Docker Hub Builder } }",
          "providers: { github: { apiUrl: https://ghe.example.com/api/v3, tokenEnv: GHE_TOKEN } }",
        ].join("\n"),
      },
    ]).config;
    const settings = resolveClientSettings(
      custom,
      { HUB_TOKEN: fake("hub"), GHE_TOKEN: fake("ghe"), GITHUB_TOKEN: fake("unused") },
      { concurrency: 8 },
    );
    expect(settings.buildService.token?.reveal()).toBe(fake("hub"));
    expect(settings.github?.apiUrl).toBe("https://ghe.example.com/api/v3");
    expect(settings.github?.token?.reveal()).toBe(fake("ghe"));
    expect(settings.bitbucket).toBeNull();
    expect(settings.options).toEqual({ concurrency: 8 });
  });

  test("tokens stay redacted when settings are logged or serialized", () => {
    const token = fake("github");
    const settings = resolveClientSettings(config, { GITHUB_TOKEN: token });
    expect(JSON.stringify(settings)).not.toContain(token);
    expect(String(settings.github?.token)).toBe("[redacted]");
  });
});

describe("malformed settings are SettingErrors naming the variable", () => {
  const fix = "set it to the API's base URL, e.g. https://api.github.com, or unset it.";
  test.each([
    ["SOURCELINKS_BUILD_API_URL", "not-a-url", "is not a valid absolute URL"],
    ["SOURCELINKS_GITHUB_API_URL", "http//127.0.0.1:4000/github", "is not a valid absolute URL"],
    ["SOURCELINKS_BITBUCKET_API_URL", "ftp://127.0.0.1/bitbucket", "must start with https:// (or http://)"],
    [
      "SOURCELINKS_GITHUB_API_URL",
      `https://user:${fake("pw")}@ghe.example.com/api/v3`,
      "must not contain credentials (user:password@): credentials come from their own variables",
    ],
    ["SOURCELINKS_GITHUB_API_URL", "https://ghe.example.com/api/v3?x=1", "must not contain a query (?) or a fragment (#)"],
    ["SOURCELINKS_BUILD_API_URL", "https://builds.example.com/\u001b[2J", "contains whitespace or a control character"],
  ])("%s=%j", (name, value, problem) => {
    const env = { [name]: value };
    expect(() => resolveClientSettings(config, env)).toThrow(new SettingError(`${name} ${problem}: ${fix}`));
  });

  test.each(["0x10", "1e-9", "1e3", " 30", "30 ", "-1", "0", "0.01", "3601", "Infinity", "30s", ".5", "5.", "+5"])(
    "SOURCELINKS_HTTP_TIMEOUT=%j is refused",
    (value) => {
      expect(() => resolveClientSettings(config, { SOURCELINKS_HTTP_TIMEOUT: value })).toThrow(
        new SettingError(
          `SOURCELINKS_HTTP_TIMEOUT must be plain decimal seconds from 0.1 to 3600 (e.g. 30 or 2.5), got ${JSON.stringify(value)}.`,
        ),
      );
    },
  );

  test.each([
    ["30", 30_000],
    ["2.5", 2_500],
    ["0.1", 100],
    ["3600", 3_600_000],
  ])("SOURCELINKS_HTTP_TIMEOUT=%s is %d ms", (value, ms) => {
    expect(resolveClientSettings(config, { SOURCELINKS_HTTP_TIMEOUT: value }).options).toEqual({ requestTimeoutMs: ms });
  });

  test.each(["1.5", "2", "-0.1", "0x1", "1e-2", ".5", " 0.5", "0.1234567", "half"])(
    "SOURCELINKS_RETRY_WAIT_SCALE=%j is refused",
    (value) => {
      expect(() => resolveClientSettings(config, { SOURCELINKS_RETRY_WAIT_SCALE: value })).toThrow(
        new SettingError(`SOURCELINKS_RETRY_WAIT_SCALE must be a plain decimal from 0 to 1 (e.g. 0.01), got ${JSON.stringify(value)}.`),
      );
    },
  );

  test.each([
    ["0", 0],
    ["0.01", 0.01],
    ["1", 1],
  ])("SOURCELINKS_RETRY_WAIT_SCALE=%s scales retry waits by %d", (value, scale) => {
    expect(resolveClientSettings(config, { SOURCELINKS_RETRY_WAIT_SCALE: value, SOURCELINKS_HTTP_TIMEOUT: "2" }).options).toEqual({
      requestTimeoutMs: 2_000,
      retryWaitScale: scale,
    });
  });
});

describe("resolveGitHubClientSecret", () => {
  test("reads the app owner's client secret from clientSecretEnv", () => {
    const secret = fake("client-secret");
    expect(resolveGitHubClientSecret(config, { SOURCELINKS_GITHUB_CLIENT_SECRET: secret })?.reveal()).toBe(secret);
  });

  test("is null when the variable is unset, or when the config names none", () => {
    expect(resolveGitHubClientSecret(config, {})).toBeNull();
    const withoutEnv = loadConfigTexts([
      { file: "a.yaml", text: basicYaml.replace("      clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET\n", "") },
    ]).config;
    expect(withoutEnv.buildService.oauthApps.github?.clientSecretEnv).toBeUndefined();
    expect(resolveGitHubClientSecret(withoutEnv, { SOURCELINKS_GITHUB_CLIENT_SECRET: fake("x") })).toBeNull();
  });
});

describe("resolveClientSettings: Docker Hub", () => {
  test("providers.dockerHub names the env vars of the read-only token; SOURCELINKS_DOCKER_HUB_API_URL overrides its URL", () => {
    const withHub: SourcelinksConfig = {
      ...config,
      providers: { ...config.providers, dockerHub: { apiUrl: "https://hub.docker.com", usernameEnv: "HUB_USER", tokenEnv: "HUB_READ" } },
    };
    const env = { HUB_USER: "acme-ci", HUB_READ: fake("hub") };
    expect(resolveClientSettings(withHub, env).dockerHub).toEqual({
      apiUrl: "https://hub.docker.com",
      username: "acme-ci",
      token: expect.any(Secret),
    });
    expect(resolveClientSettings(withHub, env).dockerHub?.token?.reveal()).toBe(env.HUB_READ);
    const sandboxed = resolveClientSettings(withHub, { ...env, SOURCELINKS_DOCKER_HUB_API_URL: "http://127.0.0.1:4000/dockerhub/" });
    expect(sandboxed.dockerHub?.apiUrl).toBe("http://127.0.0.1:4000/dockerhub");
    expect(resolveClientSettings(config, env).dockerHub).toBeUndefined();
  });

  test("the schema fills providers.dockerHub's defaults", () => {
    const yaml = `${basicYaml}`.replace(/providers:\n/, "providers:\n  dockerHub: {}\n");
    const loaded = loadConfigTexts([{ file: "hub.yaml", text: yaml }]).config;
    expect(loaded.providers.dockerHub).toEqual({
      apiUrl: "https://hub.docker.com",
      usernameEnv: "DOCKER_HUB_USERNAME",
      tokenEnv: "DOCKER_HUB_READ_TOKEN",
    });
  });
});
