import { describe, expect, it } from "vitest";
import { DEFAULT_WEBHOOK_URL_PATTERNS, matchesAny } from "../../policies/rules/glob.js";

describe("matchesAny", () => {
  it("matches the build service's webhook URLs and nothing foreign", () => {
    expect(matchesAny("https://cloud.docker.com/api/build/v1/vcs/0d5e2a1c/trigger/call/", DEFAULT_WEBHOOK_URL_PATTERNS)).toBe(true);
    expect(matchesAny("https://registry.hub.docker.com/hooks/bitbucket", DEFAULT_WEBHOOK_URL_PATTERNS)).toBe(true);
    expect(matchesAny("https://ci.acme.example/hooks/github", DEFAULT_WEBHOOK_URL_PATTERNS)).toBe(false);
  });

  it("keeps * within one path segment and treats regex characters literally", () => {
    expect(matchesAny("https://cloud.docker.com/api/build/v1/vcs/a/b/trigger/call/", DEFAULT_WEBHOOK_URL_PATTERNS)).toBe(false);
    expect(matchesAny("https://registry.hub.docker.comXhooks/github", ["https://registry.hub.docker.com.hooks/github"])).toBe(false);
  });

  it("never lets * run into a query or a fragment", () => {
    expect(matchesAny("https://cloud.docker.com/api/build/v1/vcs/x#/trigger/call/", DEFAULT_WEBHOOK_URL_PATTERNS)).toBe(false);
    expect(matchesAny("https://registry.hub.docker.com/hooks/github?x=1", ["https://registry.hub.docker.com/hooks/*"])).toBe(false);
    expect(matchesAny("https://registry.hub.docker.com/hooks/github", ["https://registry.hub.docker.com/hooks/*"])).toBe(true);
  });
});
