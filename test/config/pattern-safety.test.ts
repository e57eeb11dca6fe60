import { describe, expect, test } from "vitest";
import {
  DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS,
  DOCKER_HUB_WEBHOOK_URL_PATTERNS,
  deployKeyTitlePatternProblem,
  webhookUrlPatternProblem,
} from "../../engine/config/index.js";

const FIX =
  "write the build service's webhook URL with its scheme and host spelled out and * only in the path, e.g. https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/";

describe("webhookUrlPatternProblem", () => {
  test.each([
    ...DOCKER_HUB_WEBHOOK_URL_PATTERNS,
    // examples/basic/sourcelinks.yaml
    "https://registry.hub.docker.com/hooks/*",
    "https://builds.example.com:8443/hooks/*/*",
    "https://xn--bcher-kva.example/hooks/github",
    // http only on loopback: a local build service or the sandbox.
    "http://localhost/hooks/*",
    "http://127.0.0.1:8080/hooks/*",
    "http://[::1]:9000/hooks/*",
    "https://[2001:db8::1]/hooks/*",
  ])("accepts %s", (pattern) => {
    expect(webhookUrlPatternProblem(pattern)).toBeUndefined();
  });

  test.each([
    ["*", `would match every webhook URL (it is nothing but wildcards): ${FIX}`],
    ["*://*/*", `would match every webhook URL (it is nothing but wildcards): ${FIX}`],
    [
      "https://*/*",
      `has * in its host, so it could match webhooks on any host, not only the build service's: list each host of the build service as its own pattern, and ${FIX}`,
    ],
    [
      "https://builds.example.*/hooks/*",
      `has * in its host, so it could match webhooks on any host, not only the build service's: list each host of the build service as its own pattern, and ${FIX}`,
    ],
    [
      "https://builds.example.com:*/hooks",
      `has * in its host, so it could match webhooks on any host, not only the build service's: list each host of the build service as its own pattern, and ${FIX}`,
    ],
    ["http*://builds.example.com/hooks/*", `has * in its scheme, so it could match webhooks with any scheme on any host: ${FIX}`],
    ["builds.example.com/hooks/*", `is not an absolute https:// URL pattern, so it could match webhook URLs on any host: ${FIX}`],
    ["HTTPS://builds.example.com/hooks/*", `is not an absolute https:// URL pattern, so it could match webhook URLs on any host: ${FIX}`],
    ["ftp://builds.example.com/hooks/*", `is not an absolute https:// URL pattern, so it could match webhook URLs on any host: ${FIX}`],
    [
      "https://user:pw@builds.example.com/hooks/*",
      `has user info (...@) before its host: a URL goes to the host after the @, so this could match webhooks on another host; remove it and ${FIX}`,
    ],
    [
      "https://builds.example.com?x=/hooks/*",
      `has no valid host after https:// (a host name or [IPv6] address, then an optional :port): ${FIX}`,
    ],
    ["https:///hooks/*", `has no valid host after https:// (a host name or [IPv6] address, then an optional :port): ${FIX}`],
    ["https://builds example.com/hooks", `contains whitespace or a control character, which no webhook URL has: ${FIX}`],
    [
      "http://192.168.1.10/hooks/*",
      "uses http:// for a host that is not loopback: build services deliver webhooks over https (http:// is accepted only for localhost, 127.0.0.1 and [::1]); use https://",
    ],
    [
      "https://github.com/acme/*",
      `has host github.com, which belongs to the source provider (github.com), not to the build service: its webhooks deliver to the build service's own host; ${FIX}`,
    ],
    [
      "https://API.GitHub.com/*",
      `has host api.github.com, which belongs to the source provider (github.com), not to the build service: its webhooks deliver to the build service's own host; ${FIX}`,
    ],
    [
      "https://api.bitbucket.org:443/2.0/*",
      `has host api.bitbucket.org, which belongs to the source provider (bitbucket.org), not to the build service: its webhooks deliver to the build service's own host; ${FIX}`,
    ],
  ])("refuses %s", (pattern, problem) => {
    expect(webhookUrlPatternProblem(pattern)).toBe(problem);
  });
});

describe("deployKeyTitlePatternProblem", () => {
  test.each([...DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS, "Docker Hub Builder (acme/*)", "CI-builds*", "Builds"])("accepts %s", (pattern) => {
    expect(deployKeyTitlePatternProblem(pattern)).toBeUndefined();
  });

  const fix = `start the pattern with the build service's own key title, e.g. "Docker Hub Builder*"`;
  test.each([
    ["*", `would match every deploy key (it is nothing but wildcards): ${fix}`],
    [" ** ", `would match every deploy key (it is nothing but wildcards): ${fix}`],
    [
      "*Builder",
      `starts with a wildcard, so it could match deploy keys that people and other services added: at least 3 literal characters must come before the first *; ${fix}`,
    ],
    [
      "D*",
      `starts with too short a literal prefix, so it could match deploy keys that people and other services added: at least 3 literal characters must come before the first *; ${fix}`,
    ],
    ["Docker\u0000*", `contains a control character, which no deploy key title has: ${fix}`],
  ])("refuses %j", (pattern, problem) => {
    expect(deployKeyTitlePatternProblem(pattern)).toBe(problem);
  });
});
