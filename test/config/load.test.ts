import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  ConfigError,
  DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS,
  DOCKER_HUB_WEBHOOK_URL_PATTERNS,
  loadConfigFiles,
  loadConfigTexts,
} from "../../engine/config/index.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { basicWith, basicYaml, configErrorOf, errorLines, fakeToken } from "./helpers.js";
import { largeConfigText } from "./large-config.js";
import { teamSpec } from "../support/link-spec.js";

const webhookPatterns = [
  "https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/",
  "https://registry.hub.docker.com/hooks/github",
  "https://registry.hub.docker.com/hooks/bitbucket",
];

describe("loadConfigTexts: the happy path", () => {
  test("loads the basic example into the typed config, with defaults filled in", () => {
    const loaded = loadConfigTexts([{ file: "basic.yaml", text: basicYaml }]);
    const expected: SourcelinksConfig = {
      apiVersion: "sourcelinks/v1",
      buildService: {
        kind: "reference",
        apiUrl: "https://builds.example.com/api/build/v1",
        tokenEnv: "SOURCELINKS_BUILD_TOKEN",
        webhookUrlPatterns: webhookPatterns,
        deployKeyTitlePatterns: ["Docker Hub Builder*"],
        oauthApps: {
          github: { clientId: "Iv1.5a9d0c3e7b214f68", name: "Docker Hub Builder", clientSecretEnv: "SOURCELINKS_GITHUB_CLIENT_SECRET" },
          // Bitbucket's consumer `key` becomes `clientId` in the typed config.
          bitbucket: { clientId: "SbxKey7Q2w", name: "Docker Hub Builder" },
        },
      },
      providers: {
        github: { apiUrl: "https://api.github.com", tokenEnv: "GITHUB_TOKEN" },
        bitbucket: { apiUrl: "https://api.bitbucket.org/2.0", usernameEnv: "BITBUCKET_USERNAME", tokenEnv: "BITBUCKET_APP_PASSWORD" },
      },
      links: [
        teamSpec(),
        {
          name: "legacy-builds",
          namespace: "acme",
          provider: "github",
          account: "legacy-builder",
          serviceAccount: true,
          state: "revoked",
          repositories: ["acme/legacy-api", "acme/legacy-web", "acme/legacy-worker"],
          onRevoke: { webhooks: "delete", deployKeys: "delete" },
        },
        {
          name: "mobile-builds",
          namespace: "acme",
          provider: "bitbucket",
          account: "acme-bb-builder",
          serviceAccount: true,
          state: "linked",
          repositories: ["acme-team/mobile"],
          onRevoke: { webhooks: "delete", deployKeys: "delete" },
        },
      ],
      orgAccess: [
        { org: "acme", provider: "github", app: "github", access: "granted" },
        { org: "contractor-co", provider: "github", app: "github", access: "denied" },
      ],
      sweeps: [],
    };
    expect(loaded.config).toEqual(expected);
    expect(loaded.files).toEqual(["basic.yaml"]);
  });

  test("the shipped example (examples/basic/sourcelinks.yaml) loads and declares the same links and org access", async () => {
    const example = await loadConfigFiles([fileURLToPath(new URL("../../examples/basic/sourcelinks.yaml", import.meta.url))]);
    const fixture = loadConfigTexts([{ file: "basic.yaml", text: basicYaml }]);
    expect(example.config.links).toEqual(fixture.config.links);
    expect(example.config.orgAccess).toEqual(fixture.config.orgAccess);
    expect(example.config.buildService.oauthApps).toEqual(fixture.config.buildService.oauthApps);
  });

  test("a team link through a person's account loads: team-link-uses-service-account is a policy, not a validation error", () => {
    const loaded = loadConfigTexts([
      { file: "a.yaml", text: basicWith("    account: acme-builder\n    serviceAccount: true\n", "    account: jdoe\n") },
    ]);
    expect(loaded.config.links[0]).toMatchObject({ name: "acme-builds", team: "ci", account: "jdoe", serviceAccount: false });
  });

  test("manualSteps record steps done by hand (id, done, by) on a link and on org access", () => {
    const text = basicWith(
      "    state: revoked\n",
      "    state: revoked\n    manualSteps:\n      - { id: revoke-grant:github:legacy-builder, done: 2026-11-20, by: jdoe }\n",
    ).replace(
      "    access: denied",
      "    access: denied\n    manualSteps: [{ id: org-access:github:contractor-co, done: 2026-11-21, by: owner.one }]",
    );
    const loaded = loadConfigTexts([{ file: "a.yaml", text }]);
    expect(loaded.config.links[1]?.manualSteps).toEqual([{ id: "revoke-grant:github:legacy-builder", done: "2026-11-20", by: "jdoe" }]);
    expect(loaded.config.orgAccess[1]?.manualSteps).toEqual([
      { id: "org-access:github:contractor-co", done: "2026-11-21", by: "owner.one" },
    ]);
    expect(() => loadConfigTexts([{ file: "a.yaml", text: text.replace("done: 2026-11-20", "done: yesterday") }])).toThrow(
      /a\.yaml:\d+:\d+: .*done/,
    );
  });

  test("locate maps pointers to 1-based positions, and defaulted values to their nearest written parent", () => {
    const { locate } = loadConfigTexts([{ file: "basic.yaml", text: basicYaml }]);
    expect(locate("/links/1/repositories/2")).toEqual({ file: "basic.yaml", line: 39, column: 9 });
    expect(locate("/links/0/repositories/1")).toEqual({ file: "basic.yaml", line: 29, column: 30 });
    expect(locate("/orgAccess/1/access")).toEqual({ file: "basic.yaml", line: 56, column: 13 });
    expect(locate("/buildService/oauthApps/bitbucket/key")).toEqual({ file: "basic.yaml", line: 17, column: 23 });
    // onRevoke of links[0] is a default: the link's mapping is the nearest thing written.
    expect(locate("/links/0/onRevoke/webhooks")).toEqual({ file: "basic.yaml", line: 22, column: 5 });
    expect(locate("/links/7")).toBeUndefined();
  });

  test("docker-hub defaults its webhook URL and deploy key title patterns; minimal links get state, serviceAccount, repositories and onRevoke", () => {
    const text = [
      "apiVersion: sourcelinks/v1",
      "buildService:",
      "  kind: docker-hub",
      "  oauthApps: { github: { clientId: Iv1.abc, name: Docker Hub Builder } }",
      "providers: { github: {} }",
      "links:",
      "  - { name: a, namespace: acme, provider: github, account: bot }",
    ].join("\n");
    const { config } = loadConfigTexts([{ file: "hub.yaml", text }]);
    expect(config.buildService.webhookUrlPatterns).toEqual(webhookPatterns);
    expect(config.buildService.webhookUrlPatterns).toEqual(DOCKER_HUB_WEBHOOK_URL_PATTERNS);
    expect(config.buildService.deployKeyTitlePatterns).toEqual(["Docker Hub Builder*"]);
    expect(config.buildService.deployKeyTitlePatterns).toEqual(DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS);
    expect(config.buildService.tokenEnv).toBe("SOURCELINKS_BUILD_TOKEN");
    expect(config.providers).toEqual({ github: { apiUrl: "https://api.github.com", tokenEnv: "GITHUB_TOKEN" } });
    expect(config.links).toEqual([
      {
        name: "a",
        namespace: "acme",
        provider: "github",
        account: "bot",
        serviceAccount: false,
        state: "linked",
        repositories: [],
        onRevoke: { webhooks: "delete", deployKeys: "delete" },
      },
    ]);
    expect(config.orgAccess).toEqual([]);
  });
});

/** One change to the happy-path fixture per case, and the exact diagnostics it must produce. */
const badInputs: { name: string; text: string; expected: string[] }[] = [
  {
    name: "a YAML syntax error, at the yaml parser's position",
    text: basicWith("repositories: [acme/api, acme/web]", "repositories: [acme/api, acme/web"),
    expected: ["a.yaml:30:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"],
  },
  {
    name: "a duplicate key in one mapping",
    text: basicWith("    team: ci\n", "    team: ci\n    team: cd\n"),
    expected: ["a.yaml:25:5: invalid YAML: Map keys must be unique"],
  },
  {
    name: "several YAML documents in one file",
    text: basicYaml + "---\napiVersion: sourcelinks/v1\n",
    expected: ["a.yaml:57:1: invalid YAML: the file holds several YAML documents (separated by ---): put each in its own file"],
  },
  {
    name: "a key with no value reports its type only, not also its enum",
    text: basicWith("  kind: reference", "  kind:"),
    expected: ["a.yaml:4:8: buildService.kind must be a string, not empty"],
  },
  {
    name: "a blank team name (a team is a name, like the namespace)",
    text: basicWith("    team: ci", '    team: " "'),
    expected: [
      'a.yaml:24:11: links[0] (acme-builds): team must be made of letters, digits, ".", "-" and "_", starting with a letter or digit, not " "',
    ],
  },
  {
    name: "an empty file",
    text: "# nothing but a comment\n",
    expected: ["a.yaml:1:1: the file is empty: a sourcelinks file is a mapping that starts with apiVersion: sourcelinks/v1"],
  },
  {
    name: "a root that is not a mapping",
    text: "- apiVersion: sourcelinks/v1\n",
    expected: [
      "a.yaml:1:1: the file holds a list, not a mapping: a sourcelinks file is a mapping that starts with apiVersion: sourcelinks/v1",
    ],
  },
  {
    name: "another apiVersion (the rest of the file is not checked)",
    text: basicWith("apiVersion: sourcelinks/v1", "apiVersion: sourcelinks/v2"),
    expected: ['a.yaml:2:13: apiVersion "sourcelinks/v2" is not supported: this version of sourcelinks reads apiVersion: sourcelinks/v1'],
  },
  {
    name: "a missing apiVersion, at the root mapping",
    text: basicWith("apiVersion: sourcelinks/v1\n", ""),
    expected: ['a.yaml:2:1: the file is missing required key "apiVersion": add apiVersion: sourcelinks/v1 at the top of the file'],
  },
  {
    name: "an unknown key, at the key, with a suggestion",
    text: basicWith("    state: revoked\n", "    stat: revoked\n"),
    expected: [
      'a.yaml:35:5: links[1] (legacy-builds) has unknown key "stat": did you mean "state"? allowed keys are name, namespace, team, provider, account, serviceAccount, state, repositories, onRevoke, onDelete, onRelink, aliases, manualSteps',
    ],
  },
  {
    name: "a wrong type (YAML 1.2: yes is a string)",
    text: basicWith("    serviceAccount: true\n    state: revoked", "    serviceAccount: yes\n    state: revoked"),
    expected: ["a.yaml:34:21: links[1] (legacy-builds): serviceAccount must be true or false, not a string"],
  },
  {
    name: "a bad enum value, at the value",
    text: basicWith("    state: revoked", "    state: enabled"),
    expected: ['a.yaml:35:12: links[1] (legacy-builds): state must be one of linked, disabled, revoked, not "enabled"'],
  },
  {
    name: "a repository not written owner/name",
    text: basicWith("      - acme/legacy-web", "      - legacy-web"),
    expected: [
      'a.yaml:38:9: links[1] (legacy-builds): repositories[1] must be a repository written owner/name (GitHub) or workspace/slug (Bitbucket), not "legacy-web"',
    ],
  },
  {
    name: "a repository listed twice in one link (names are case-insensitive)",
    text: basicWith("      - acme/legacy-worker", "      - Acme/Legacy-API"),
    expected: [
      'a.yaml:39:9: links[1] (legacy-builds): repositories[2] repeats "Acme/Legacy-API" (already listed at a.yaml:37:9): list each repository once',
    ],
  },
  {
    name: "a missing required key, at the parent mapping",
    text: basicWith("    account: legacy-builder\n", ""),
    expected: ['a.yaml:30:5: links[1] (legacy-builds) is missing required key "account": set the provider login the link authorizes'],
  },
  {
    name: "an org declared denied while a live link builds from its repositories",
    text: basicWith("repositories: [acme/api, acme/web]", "repositories: [acme/api, contractor-co/web]"),
    expected: [
      'a.yaml:56:13: orgAccess[1] (contractor-co) denies the app access to org "contractor-co", but links[0] (acme-builds) at a.yaml:29:30 builds from its repository "contractor-co/web" (state linked): grant the org access, or remove its repositories from the link (or revoke the link)',
    ],
  },
  {
    name: "an env var name that is not one",
    text: basicWith("tokenEnv: GITHUB_TOKEN", "tokenEnv: github_token"),
    expected: [
      "a.yaml:19:55: providers.github.tokenEnv must be the NAME of an environment variable (A-Z, 0-9 and _, e.g. GITHUB_TOKEN); secrets are never written in the YAML",
    ],
  },
  {
    name: "a literal secret where an env var name belongs",
    text: basicWith("tokenEnv: GITHUB_TOKEN", `tokenEnv: ${fakeToken}`),
    expected: [
      "a.yaml:19:55: providers.github.tokenEnv must be the NAME of an environment variable (A-Z, 0-9 and _, e.g. GITHUB_TOKEN), but the value written there looks like a secret itself (not shown): remove it from the file, rotate that credential, put it in an environment variable and set tokenEnv to the variable's name",
    ],
  },
  {
    name: "a literal token: key",
    text: basicWith("  tokenEnv: SOURCELINKS_BUILD_TOKEN", `  token: ${fakeToken}`),
    expected: [
      `a.yaml:6:3: buildService has unknown key "token": secrets are named by env var (tokenEnv), never written in YAML: put the value in an environment variable, set tokenEnv to that variable's name, and rotate the credential if this file was shared`,
    ],
  },
  {
    name: "literal username: and password: keys for Bitbucket",
    text: basicWith("usernameEnv: BITBUCKET_USERNAME, tokenEnv: BITBUCKET_APP_PASSWORD", `username: bob, password: ${fakeToken}`),
    expected: [
      `a.yaml:20:55: providers.bitbucket has unknown key "username": credentials are named by env var (usernameEnv), never written in YAML: put the value in an environment variable, set usernameEnv to that variable's name, and rotate the credential if this file was shared`,
      `a.yaml:20:70: providers.bitbucket has unknown key "password": secrets are named by env var (tokenEnv), never written in YAML: put the value in an environment variable, set tokenEnv to that variable's name, and rotate the credential if this file was shared`,
    ],
  },
  {
    name: "a link naming a provider not configured under providers",
    text: basicWith(
      "  bitbucket: { apiUrl: https://api.bitbucket.org/2.0, usernameEnv: BITBUCKET_USERNAME, tokenEnv: BITBUCKET_APP_PASSWORD }\n",
      "",
    ),
    expected: [
      "a.yaml:42:15: links[2] (mobile-builds) uses provider bitbucket, but providers.bitbucket is not configured: add providers: { bitbucket: {} } to one file (defaults: apiUrl https://api.bitbucket.org/2.0, usernameEnv BITBUCKET_EMAIL, tokenEnv BITBUCKET_API_TOKEN)",
    ],
  },
  {
    name: "a link whose provider has no oauthApps entry",
    text: basicWith("    bitbucket: { key: SbxKey7Q2w, name: Docker Hub Builder }\n", ""),
    expected: [
      "a.yaml:42:15: links[2] (mobile-builds) uses provider bitbucket, but buildService.oauthApps has no bitbucket entry: add the build service's Bitbucket OAuth consumer as buildService.oauthApps.bitbucket: { key, name }",
    ],
  },
  {
    name: "orgAccess naming an app a GitHub org cannot restrict",
    text: basicWith("    app: github\n    access: denied", "    app: bitbucket\n    access: denied"),
    expected: [
      "a.yaml:55:10: orgAccess[1] (contractor-co) names app bitbucket, but a GitHub organization restricts GitHub OAuth apps only: use app: github",
    ],
  },
  {
    name: "orgAccess naming an oauth app the build service does not declare",
    text: basicWith(
      "    github:\n      clientId: Iv1.5a9d0c3e7b214f68\n      name: Docker Hub Builder\n      clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET\n",
      "",
    ).replace(/ {2}- name: (acme|legacy)-builds[\s\S]*?(?= {2}- name: mobile)/, ""),
    expected: [
      "a.yaml:28:10: orgAccess[0] (acme) names app github, but buildService.oauthApps has no github entry: add the build service's GitHub OAuth app as buildService.oauthApps.github: { clientId, name }",
      "a.yaml:32:10: orgAccess[1] (contractor-co) names app github, but buildService.oauthApps has no github entry: add the build service's GitHub OAuth app as buildService.oauthApps.github: { clientId, name }",
    ],
  },
  {
    name: "orgAccess for a provider other than github",
    text: basicWith(
      "    provider: github\n    app: github\n    access: denied",
      "    provider: bitbucket\n    app: github\n    access: denied",
    ),
    expected: [
      'a.yaml:54:15: orgAccess[1] (contractor-co): provider must be github, not "bitbucket": third-party (OAuth app) access restrictions are a GitHub organization setting',
    ],
  },
  {
    name: "the same org declared twice for one app (logins are case-insensitive)",
    text: basicWith(
      "  - org: contractor-co\n    provider: github\n    app: github\n    access: denied",
      "  - org: ACME\n    provider: github\n    app: github\n    access: granted",
    ),
    expected: [
      'a.yaml:53:10: orgAccess[1] (ACME) declares org "ACME" for app github again (first at a.yaml:49:10): declare each org once per app',
    ],
  },
  {
    name: "a reference build service without webhookUrlPatterns",
    text: basicWith(
      '  webhookUrlPatterns:\n    - "https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"\n    - https://registry.hub.docker.com/hooks/github\n    - https://registry.hub.docker.com/hooks/bitbucket\n',
      "",
    ),
    expected: [
      'a.yaml:4:3: buildService (kind "reference") is missing required key "webhookUrlPatterns": a reference build service must say which webhooks are its own: list globs of their URLs, e.g. ["https://builds.example.com/hooks/*"]',
    ],
  },
  {
    name: "links with no buildService anywhere",
    text: "apiVersion: sourcelinks/v1\nproviders: { github: {} }\nlinks:\n  - { name: x, namespace: acme, provider: github, account: bot }\n",
    expected: [
      "a.yaml:3:1: links are declared but no file defines buildService: add a buildService section (kind, apiUrl, webhookUrlPatterns, oauthApps) to one of the files",
    ],
  },
  {
    name: "several problems at once: schema errors do not hide semantic ones elsewhere",
    text: basicWith("    state: revoked", "    state: enabled")
      .replace("  - org: contractor-co", "  - org: ACME")
      .replace("    access: denied", "    access: granted")
      .replace("account: acme-bb-builder", "account: -bad"),
    expected: [
      'a.yaml:35:12: links[1] (legacy-builds): state must be one of linked, disabled, revoked, not "enabled"',
      'a.yaml:44:14: links[2] (mobile-builds): account must be made of letters, digits, ".", "-" and "_", starting with a letter or digit, not "-bad"',
      'a.yaml:53:10: orgAccess[1] (ACME) declares org "ACME" for app github again (first at a.yaml:49:10): declare each org once per app',
    ],
  },
];

describe("loadConfigTexts: bad inputs give exact FILE:LINE:COL messages", () => {
  test.each(badInputs)("$name", ({ text, expected }) => {
    expect(errorLines(text)).toEqual(expected);
  });

  test("ConfigError carries the same problems as data", () => {
    const error = configErrorOf([{ file: "a.yaml", text: basicWith("    state: revoked", "    state: enabled") }]);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.diagnostics).toEqual([
      {
        file: "a.yaml",
        line: 35,
        column: 12,
        message: 'links[1] (legacy-builds): state must be one of linked, disabled, revoked, not "enabled"',
      },
    ]);
  });

  test("no configuration file at all is an error", () => {
    expect(() => loadConfigTexts([])).toThrow(new ConfigError([], "no configuration file given: pass at least one sourcelinks YAML file"));
  });
});

describe("secrets written in the YAML are never echoed", () => {
  const cases = [
    basicWith("tokenEnv: GITHUB_TOKEN", `tokenEnv: ${fakeToken}`),
    basicWith("  tokenEnv: SOURCELINKS_BUILD_TOKEN", `  token: ${fakeToken}`),
    basicWith("clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET", `clientSecret: ${fakeToken}`),
    basicWith("    account: legacy-builder", `    account: ${fakeToken}!`),
    basicWith("    state: revoked", `    state: ${fakeToken}`),
  ];
  test.each(cases.map((text, i) => ({ i, text })))("case $i", ({ text }) => {
    const error = configErrorOf([{ file: "a.yaml", text }]);
    expect(error.diagnostics.length).toBeGreaterThan(0);
    expect(error.message).not.toContain(fakeToken);
    expect(JSON.stringify(error.diagnostics)).not.toContain(fakeToken);
  });
});

describe("several files merge", () => {
  const service = [
    "apiVersion: sourcelinks/v1",
    "buildService:",
    "  kind: docker-hub",
    "  oauthApps:",
    "    github: { clientId: Iv1.abc, name: Docker Hub Builder }",
    "providers:",
    "  github: {}",
  ].join("\n");
  const teamA = [
    "apiVersion: sourcelinks/v1",
    "links:",
    "  - { name: a1, namespace: acme, provider: github, account: bot, repositories: [acme/one] }",
    "  - { name: a2, namespace: acme, provider: github, account: bob, repositories: [acme/two] }",
  ].join("\n");
  const teamB = [
    "apiVersion: sourcelinks/v1",
    "providers:",
    "  github: { apiUrl: https://api.github.com }  # an identical repeat is fine",
    "links:",
    "  - name: b1",
    "    namespace: acme",
    "    provider: github",
    "    account: bot3",
    "    repositories:",
    "      - acme/three",
    "      - acme/four",
    "orgAccess:",
    "  - { org: acme, access: granted }",
  ].join("\n");

  test("links and orgAccess concatenate in file order, and locate finds each in its own file", () => {
    const loaded = loadConfigTexts([
      { file: "service.yaml", text: service },
      { file: "team-a.yaml", text: teamA },
      { file: "team-b.yaml", text: teamB },
    ]);
    expect(loaded.files).toEqual(["service.yaml", "team-a.yaml", "team-b.yaml"]);
    expect(loaded.config.links.map((l) => l.name)).toEqual(["a1", "a2", "b1"]);
    expect(loaded.config.orgAccess).toEqual([{ org: "acme", provider: "github", app: "github", access: "granted" }]);
    expect(loaded.locate("/links/1/repositories/0")).toEqual({ file: "team-a.yaml", line: 4, column: 81 });
    expect(loaded.locate("/links/2/repositories/1")).toEqual({ file: "team-b.yaml", line: 11, column: 9 });
    expect(loaded.locate("/orgAccess/0/org")).toEqual({ file: "team-b.yaml", line: 13, column: 12 });
    expect(loaded.locate("/buildService/kind")).toEqual({ file: "service.yaml", line: 3, column: 9 });
    expect(loaded.locate("/providers/github")).toEqual({ file: "service.yaml", line: 7, column: 11 });
  });

  test("a link name used in two files names both places", () => {
    const again = "apiVersion: sourcelinks/v1\nlinks:\n  - { name: a2, namespace: other, provider: github, account: bot }\n";
    const error = configErrorOf([
      { file: "service.yaml", text: service },
      { file: "team-a.yaml", text: teamA },
      { file: "again.yaml", text: again },
    ]);
    expect(error.message.split("\n")).toEqual([
      'again.yaml:3:13: links[0] uses the name "a2", already used by links[1] at team-a.yaml:4:13: link names must be unique across all files (each is a resource name); rename one',
    ]);
  });

  test("two links with one identity, across files or in one file, are refused naming both places", () => {
    const again = [
      "apiVersion: sourcelinks/v1",
      "links:",
      "  - { name: c1, namespace: acme, provider: github, account: BOT, repositories: [acme/five] }",
      "  - { name: t1, namespace: acme, team: ci, provider: github, account: svc1, serviceAccount: true }",
      "  - { name: t2, namespace: acme, team: ci, provider: github, account: svc2, serviceAccount: true }",
      "  - { name: t3, namespace: acme, team: ci, provider: bitbucket, account: svc1, serviceAccount: true }",
    ].join("\n");
    const error = configErrorOf([
      {
        file: "service.yaml",
        text: service.replace("    github:", "    bitbucket: { key: K1, name: B }\n    github:") + "\n  bitbucket: {}",
      },
      { file: "team-a.yaml", text: teamA },
      { file: "again.yaml", text: again },
    ]);
    expect(error.message.split("\n")).toEqual([
      'again.yaml:3:28: links[0] (c1) declares the same link as links[0] (a1) at team-a.yaml:3:28: both are account "BOT" in namespace "acme" on github (no team), so each apply would undo the other; keep one declaration (merge their repositories)',
      'again.yaml:5:28: links[2] (t2) declares the same link as links[1] (t1) at again.yaml:4:28: both are team "ci" of namespace "acme" on github, so each apply would undo the other; keep one declaration (merge their repositories)',
    ]);
  });

  test("conflicting buildService and providers name both places", () => {
    const other = [
      "apiVersion: sourcelinks/v1",
      "buildService:",
      "  kind: docker-hub",
      "  oauthApps:",
      "    github: { clientId: Iv1.xyz, name: Docker Hub Builder }",
      "providers:",
      "  github: { tokenEnv: OTHER_TOKEN }",
    ].join("\n");
    const error = configErrorOf([
      { file: "service.yaml", text: service },
      { file: "other.yaml", text: other },
    ]);
    expect(error.message.split("\n")).toEqual([
      'other.yaml:5:25: buildService.oauthApps.github.clientId is "Iv1.xyz" here but "Iv1.abc" at service.yaml:5:25: buildService may be repeated across files only with identical values; keep one definition or make them equal',
      'other.yaml:7:23: providers.github.tokenEnv is "OTHER_TOKEN" here but "GITHUB_TOKEN" at service.yaml:7:11: providers.github may be repeated across files only with identical values; keep one definition or make them equal',
    ]);
  });

  test("errors in several files are all reported, in file order", () => {
    const error = configErrorOf([
      { file: "service.yaml", text: service.replace("kind: docker-hub", "kind: dockerhub") },
      { file: "team-a.yaml", text: teamA.replace("acme/two", "two") },
    ]);
    expect(error.message.split("\n")).toEqual([
      'service.yaml:3:9: buildService.kind must be reference or docker-hub, not "dockerhub"',
      'team-a.yaml:4:81: links[1] (a2): repositories[0] must be a repository written owner/name (GitHub) or workspace/slug (Bitbucket), not "two"',
    ]);
  });
});

describe("loadConfigFiles", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sourcelinks-config-"));
    await writeFile(join(dir, "sourcelinks.yaml"), basicYaml);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("reads files from disk and names them as given", async () => {
    const path = join(dir, "sourcelinks.yaml");
    const loaded = await loadConfigFiles([path]);
    expect(loaded.config.links).toHaveLength(3);
    expect(loaded.locate("/links/2/name")).toEqual({ file: path, line: 41, column: 11 });
  });

  test("an unreadable file is a diagnostic, not a crash", async () => {
    const missing = join(dir, "missing.yaml");
    await expect(loadConfigFiles([join(dir, "sourcelinks.yaml"), missing])).rejects.toThrow(
      new ConfigError([{ file: missing, line: 1, column: 1, message: "cannot read the configuration file (no such file)" }]),
    );
  });
});

describe("large configurations", () => {
  const text = largeConfigText(10_000);

  test("10,000 links load, and locate finds the last one's repositories", () => {
    const loaded = loadConfigTexts([{ file: "large.yaml", text }]);
    expect(loaded.config.links).toHaveLength(10_000);
    expect(loaded.config.links[9_999]?.name).toBe("app-09999");
    // 8 header lines, then 6 lines per link; the repositories line is the 6th.
    expect(loaded.locate("/links/9999/repositories/1")).toEqual({ file: "large.yaml", line: 8 + 6 * 9_999 + 6, column: 36 });
  });

  test("an error deep in a large file is found at its line", () => {
    // Smaller: the error path parses with the (slower) yaml package for positions.
    const broken = largeConfigText(2_000).replace(
      "  - name: app-01900\n    namespace: acme\n    provider: github",
      "  - name: app-01900\n    namespace: acme\n    provider: gitlab",
    );
    expect(errorLines(broken, "large.yaml")).toEqual([
      `large.yaml:${8 + 6 * 1_900 + 3}:15: links[1900] (app-01900): provider must be github or bitbucket, not "gitlab"`,
    ]);
  });
});
