import { describe, expect, it } from "vitest";
import { compileTitlePatterns, compileUrlPatterns } from "../../engine/model/patterns.js";
import { DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS, DOCKER_HUB_WEBHOOK_URL_PATTERNS } from "../../engine/config/defaults.js";

describe("webhook URL patterns (Docker Hub's defaults)", () => {
  const urls = compileUrlPatterns(DOCKER_HUB_WEBHOOK_URL_PATTERNS);

  it.each([
    "https://cloud.docker.com/api/build/v1/vcs/0b6cbd6e-8d6f-4f27-9a9c-2f1f6f3c1a11/trigger/call/",
    "https://registry.hub.docker.com/hooks/github",
    "https://registry.hub.docker.com/hooks/bitbucket",
  ])("match the build service's %s", (url) => {
    expect(urls.matchesAny(url)).toBe(true);
  });

  it.each([
    ["a foreign CI hook", "https://ci.acme.example/hooks/github"],
    ["a uuid spanning two path segments", "https://cloud.docker.com/api/build/v1/vcs/a/b/trigger/call/"],
    ["a longer path after the pattern", "https://cloud.docker.com/api/build/v1/vcs/x/trigger/call/extra"],
    ["a longer name than a classic hook", "https://registry.hub.docker.com/hooks/github-enterprise"],
    ["another host whose query contains the pattern", "https://evil.example/?u=https://registry.hub.docker.com/hooks/github"],
    ["a look-alike with any character where the pattern has a dot", "https://cloudxdocker.com/api/build/v1/vcs/x/trigger/call/"],
    ["different case", "https://registry.hub.docker.com/hooks/GitHub"],
  ])("do not match %s", (_what, url) => {
    expect(urls.matchesAny(url)).toBe(false);
  });

  it("keep their patterns for messages", () => {
    expect(urls.patterns).toEqual(DOCKER_HUB_WEBHOOK_URL_PATTERNS);
  });
});

describe("glob syntax", () => {
  it("treats `?` and other regular-expression characters literally", () => {
    const query = compileUrlPatterns(["https://h.example/hook?id=*"]);
    expect(query.matchesAny("https://h.example/hook?id=42")).toBe(true);
    expect(query.matchesAny("https://h.example/hookXid=42")).toBe(false);
    expect(compileUrlPatterns(["a+b (c)"]).matchesAny("a+b (c)")).toBe(true);
  });

  it("lets `*` match an empty run and several stars in one pattern", () => {
    const p = compileUrlPatterns(["https://*.example/*/x"]);
    expect(p.matchesAny("https://builds.example/abc/x")).toBe(true);
    expect(p.matchesAny("https://.example//x")).toBe(true);
  });

  it("keeps `*` out of a query and a fragment", () => {
    const p = compileUrlPatterns(["https://registry.hub.docker.com/hooks/*", "https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"]);
    expect(p.matchesAny("https://registry.hub.docker.com/hooks/github")).toBe(true);
    expect(p.matchesAny("https://registry.hub.docker.com/hooks/github?x=1")).toBe(false);
    expect(p.matchesAny("https://registry.hub.docker.com/hooks/github#frag")).toBe(false);
    expect(p.matchesAny("https://cloud.docker.com/api/build/v1/vcs/x#/trigger/call/")).toBe(false);
    expect(p.matchesAny("https://cloud.docker.com/api/build/v1/vcs/x?/trigger/call/")).toBe(false);
    expect(p.matchesAny("https://cloud.docker.com/api/build/v1/vcs/x/trigger/call/")).toBe(true);
  });

  it("matches nothing with no patterns", () => {
    expect(compileUrlPatterns([]).matchesAny("")).toBe(false);
    expect(compileTitlePatterns([]).matchesAny("Docker Hub Builder")).toBe(false);
    expect(compileUrlPatterns([]).matchesAny("https://registry.hub.docker.com/hooks/github")).toBe(false);
  });
});

describe("deploy key title patterns (Docker Hub's defaults)", () => {
  const titles = compileTitlePatterns(DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS);

  it.each(["Docker Hub Builder", "Docker Hub Builder 2", "Docker Hub Builder (acme/ci)"])("match %s, slashes included", (title) => {
    expect(titles.matchesAny(title)).toBe(true);
  });

  it.each(["deploy: Docker Hub Builder", "docker hub builder", "CI key"])("do not match %s", (title) => {
    expect(titles.matchesAny(title)).toBe(false);
  });
});
