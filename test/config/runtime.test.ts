import { describe, expect, test } from "vitest";
import { Secret } from "../../clients/secret.js";
import { loadConfigTexts, resolveClientSettings, resolveGitHubClientSecret, type SourcelinksConfig } from "../../config/index.js";
import { basicYaml } from "./helpers.js";

const config: SourcelinksConfig = loadConfigTexts([{ file: "basic.yaml", text: basicYaml }]).config;

/** Obviously fake credentials, built at run time. */
const fake = (what: string): string => `fake-${what}-${process.pid}`;

describe("resolveClientSettings", () => {
  test("without overrides, URLs come from the config and secrets from the env vars it names", () => {
    const env = { SOURCELINKS_BUILD_TOKEN: fake("build"), GITHUB_TOKEN: fake("github"), BITBUCKET_USERNAME: "acme-bb-builder", BITBUCKET_APP_PASSWORD: fake("bb") };
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
    const settings = resolveClientSettings(custom, { HUB_TOKEN: fake("hub"), GHE_TOKEN: fake("ghe"), GITHUB_TOKEN: fake("unused") }, { concurrency: 8 });
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

describe("resolveGitHubClientSecret", () => {
  test("reads the app owner's client secret from clientSecretEnv", () => {
    const secret = fake("client-secret");
    expect(resolveGitHubClientSecret(config, { SOURCELINKS_GITHUB_CLIENT_SECRET: secret })?.reveal()).toBe(secret);
  });

  test("is null when the variable is unset, or when the config names none", () => {
    expect(resolveGitHubClientSecret(config, {})).toBeNull();
    const withoutEnv = loadConfigTexts([{ file: "a.yaml", text: basicYaml.replace("      clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET\n", "") }]).config;
    expect(withoutEnv.buildService.oauthApps.github?.clientSecretEnv).toBeUndefined();
    expect(resolveGitHubClientSecret(withoutEnv, { SOURCELINKS_GITHUB_CLIENT_SECRET: fake("x") })).toBeNull();
  });
});
