/**
 * Rules the schema cannot express, over the merged configuration: unique names, references
 * between sections. Each finding names the place, and a second place when two declarations clash.
 * A team link through a person's account is valid input: it is the policy
 * `team-link-uses-service-account` (policies/rules/accounts.ts), so `export` can write the world as it is.
 */
import type { LinkSpec, ProviderKind } from "../model/spec.js";
import type { Diagnostic } from "./diagnostics.js";
import type { MergedConfig } from "./merge.js";
import type { Origins } from "./origins.js";
import { quoteValue } from "./labels.js";
import type { Anchor } from "./source-map.js";
import { deployKeyTitlePatternProblem, webhookUrlPatternProblem } from "./pattern-safety.js";
import { looksLikeSecretEnvName } from "./secret-like.js";
import { checkBuilds } from "./build-checks.js";

/** Defaults shown when asking the user to configure a provider. */
const PROVIDER_HINTS: Record<ProviderKind, string> = {
  github: "add providers: { github: {} } to one file (defaults: apiUrl https://api.github.com, tokenEnv GITHUB_TOKEN)",
  bitbucket:
    "add providers: { bitbucket: {} } to one file (defaults: apiUrl https://api.bitbucket.org/2.0, usernameEnv BITBUCKET_EMAIL, tokenEnv BITBUCKET_API_TOKEN)",
};

/** How to declare each provider's OAuth app. */
const OAUTH_APP_HINTS: Record<ProviderKind, string> = {
  github: "add the build service's GitHub OAuth app as buildService.oauthApps.github: { clientId, name }",
  bitbucket: "add the build service's Bitbucket OAuth consumer as buildService.oauthApps.bitbucket: { key, name }",
};

/**
 * Checks a merged config. `complete` is false when some file failed the schema: checks that a
 * section exists are then skipped, since the missing part may be in the file that failed.
 */
export function checkSemantics(config: MergedConfig, origins: Origins, complete: boolean, requireBuildService = true): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (pointer: string, message: string, anchor: Anchor = "value"): void => {
    const at = origins.locate(pointer, anchor);
    if (at !== undefined) out.push({ ...at, message });
  };

  if (complete && requireBuildService && config.buildService === undefined) {
    if (config.links.length > 0) {
      report(
        "/links",
        "links are declared but no file defines buildService: add a buildService section (kind, apiUrl, webhookUrlPatterns, oauthApps) to one of the files",
        "key",
      );
    } else {
      report(
        "",
        "no file defines buildService: add a buildService section (kind, apiUrl, webhookUrlPatterns, oauthApps) to one of the files",
      );
    }
  }

  checkBuildServicePatterns(config, origins, report);
  checkEnvNames(config, origins, report);
  checkGitHubAppKey(config, origins, report);
  checkLinks(config, origins, complete, report);
  checkOrgAccess(config, origins, complete, report);
  checkSweeps(config, origins, complete, report);
  checkBuilds(config, origins, report);
  return out;
}

type Report = (pointer: string, message: string, anchor?: Anchor) => void;

function checkLinks(config: MergedConfig, origins: Origins, complete: boolean, report: Report): void {
  const names = new Map<string, number>();
  // Per provider: the first link with a missing provider section / OAuth app, and how many more.
  const unconfigured = new Map<ProviderKind, { first: number; more: number }>();
  const withoutApp = new Map<ProviderKind, { first: number; more: number }>();

  const identities = new Map<string, number>();

  config.links.forEach((link, i) => {
    checkIdentity(link, i, identities, origins, report);
    const previous = names.get(link.name);
    if (previous === undefined) {
      names.set(link.name, i);
    } else {
      report(
        `/links/${i}/name`,
        `${origins.subject(`/links/${i}`, { named: false })} uses the name "${link.name}", already used by ` +
          `${origins.subject(`/links/${previous}`, { named: false })} at ` +
          `${origins.where(`/links/${previous}/name`)}: link names must be unique across all files (each is a resource name); rename one`,
      );
    }

    if (link.repositories.length > 1) {
      // GitHub and Bitbucket treat repository names case-insensitively.
      const seen = new Map<string, number>();
      link.repositories.forEach((repository, k) => {
        const key = repository.toLowerCase();
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, k);
          return;
        }
        report(
          `/links/${i}/repositories/${k}`,
          `${origins.subject(`/links/${i}/repositories/${k}`)} repeats "${repository}" (already listed at ` +
            `${origins.where(`/links/${i}/repositories/${first}`)}): list each repository once`,
        );
      });
    }

    if (complete && config.providers[link.provider] === undefined) count(unconfigured, link.provider, i);
    if (complete && config.buildService !== undefined && config.buildService.oauthApps[link.provider] === undefined) {
      count(withoutApp, link.provider, i);
    }
  });

  for (const [provider, { first, more }] of unconfigured) {
    report(
      `/links/${first}/provider`,
      `${origins.subject(`/links/${first}`)} uses provider ${provider}${others(more)}, but providers.${provider} is not configured: ${PROVIDER_HINTS[provider]}`,
    );
  }
  for (const [provider, { first, more }] of withoutApp) {
    report(
      `/links/${first}/provider`,
      `${origins.subject(`/links/${first}`)} uses provider ${provider}${others(more)}, but buildService.oauthApps has no ${provider} entry: ${OAUTH_APP_HINTS[provider]}`,
    );
  }
}

/**
 * Two declarations of one build-service link (reconcile/link-identity.ts: a team link is
 * (namespace, provider, team), any other (namespace, provider, account)) would each undo the other
 * on every apply, so the second is refused naming the first. Compared case-insensitively, as the
 * providers compare logins.
 */
function checkIdentity(link: LinkSpec, i: number, seen: Map<string, number>, origins: Origins, report: Report): void {
  const parts =
    link.team !== undefined ? [link.namespace, link.provider, "team", link.team] : [link.namespace, link.provider, "account", link.account];
  const key = parts.map((p) => p.toLowerCase()).join("\u0000");
  const first = seen.get(key);
  if (first === undefined) {
    seen.set(key, i);
    return;
  }
  const what =
    link.team !== undefined
      ? `team "${link.team}" of namespace "${link.namespace}" on ${link.provider}`
      : `account "${link.account}" in namespace "${link.namespace}" on ${link.provider} (no team)`;
  report(
    `/links/${i}/namespace`,
    `${origins.subject(`/links/${i}`)} declares the same link as ${origins.subject(`/links/${first}`)} at ${origins.where(`/links/${first}/namespace`)}: ` +
      `both are ${what}, so each apply would undo the other; keep one declaration (merge their repositories)`,
  );
}

/**
 * Patterns broad enough to match other hosts' webhooks or people's deploy keys (pattern-safety.ts):
 * revocation deletes whatever they match, so they are refused before anything runs.
 */
function checkBuildServicePatterns(config: MergedConfig, origins: Origins, report: Report): void {
  const buildService = config.buildService;
  if (buildService === undefined) return;
  const lists = [
    ["webhookUrlPatterns", buildService.webhookUrlPatterns, webhookUrlPatternProblem],
    ["deployKeyTitlePatterns", buildService.deployKeyTitlePatterns, deployKeyTitlePatternProblem],
  ] as const;
  for (const [key, patterns, problemOf] of lists) {
    patterns.forEach((pattern, i) => {
      const problem = problemOf(pattern);
      if (problem === undefined) return;
      const pointer = `/buildService/${key}/${i}`;
      report(pointer, `${origins.subject(pointer)} ${quoteValue(pattern)} ${problem}`);
    });
  }
}

/** Env var NAME fields holding what looks like the credential itself (upper-case tokens pass the schema's pattern). */
function checkEnvNames(config: MergedConfig, origins: Origins, report: Report): void {
  const fields: [string, string | undefined][] = [
    ["/buildService/tokenEnv", config.buildService?.tokenEnv],
    ["/buildService/oauthApps/github/clientSecretEnv", config.buildService?.oauthApps.github?.clientSecretEnv],
    ["/providers/github/tokenEnv", config.providers.github?.tokenEnv],
    ["/providers/github/auth/privateKeyEnv", config.providers.github?.auth?.privateKeyEnv],
    ["/providers/bitbucket/usernameEnv", config.providers.bitbucket?.usernameEnv],
    ["/providers/bitbucket/tokenEnv", config.providers.bitbucket?.tokenEnv],
  ];
  for (const [pointer, name] of fields) {
    if (name === undefined || !looksLikeSecretEnvName(name)) continue;
    const key = pointer.slice(pointer.lastIndexOf("/") + 1);
    report(
      pointer,
      `${origins.subject(pointer)} must be the NAME of an environment variable, but the value written there looks like a secret itself (not shown): ` +
        `remove it from the file, rotate that credential, put it in an environment variable and set ${key} to the variable's name`,
    );
  }
}

/** A GitHub App's private key comes from exactly one place: an env var or a file. */
function checkGitHubAppKey(config: MergedConfig, origins: Origins, report: Report): void {
  const auth = config.providers.github?.auth;
  if (auth === undefined) return;
  const pointer = "/providers/github/auth";
  if (auth.privateKeyEnv === undefined && auth.privateKeyFile === undefined) {
    report(
      pointer,
      `${origins.subject(pointer)} names no private key: set privateKeyEnv to the env var holding the app's PEM key, or privateKeyFile to its path (relative to this file); never the key itself`,
      "key",
    );
  } else if (auth.privateKeyEnv !== undefined && auth.privateKeyFile !== undefined) {
    report(
      `${pointer}/privateKeyFile`,
      `${origins.subject(pointer)} sets both privateKeyEnv and privateKeyFile: keep one, so which key is used is never a guess`,
      "key",
    );
  }
}

function checkOrgAccess(config: MergedConfig, origins: Origins, complete: boolean, report: Report): void {
  const declared = new Map<string, number>();
  config.orgAccess.forEach((entry, i) => {
    const subject = origins.subject(`/orgAccess/${i}`);
    if (entry.app !== "github") {
      report(
        `/orgAccess/${i}/app`,
        `${subject} names app ${entry.app}, but a GitHub organization restricts GitHub OAuth apps only: use app: github`,
      );
    } else if (complete && config.buildService !== undefined && config.buildService.oauthApps.github === undefined) {
      report(
        `/orgAccess/${i}/app`,
        `${subject} names app github, but buildService.oauthApps has no github entry: ${OAUTH_APP_HINTS.github}`,
      );
    }

    if (entry.access === "denied") checkDeniedOrgUnused(config, origins, i, report);

    // GitHub logins are case-insensitive.
    const key = `${entry.org.toLowerCase()}\u0000${entry.app}`;
    const previous = declared.get(key);
    if (previous === undefined) {
      declared.set(key, i);
      return;
    }
    report(
      `/orgAccess/${i}/org`,
      `${subject} declares org "${entry.org}" for app ${entry.app} again (first at ${origins.where(`/orgAccess/${previous}/org`)}): ` +
        `declare each org once per app`,
    );
  });
}

/**
 * An org declared `denied` while a declared live GitHub link builds from its repositories: the link
 * cannot build (GitHub refuses the app's token there), and each apply would fight the other, so the
 * contradiction is refused before anything runs, naming the first such repository.
 */
function checkDeniedOrgUnused(config: MergedConfig, origins: Origins, i: number, report: Report): void {
  const org = config.orgAccess[i]!.org.toLowerCase();
  for (const [l, link] of config.links.entries()) {
    if (link.provider !== "github" || link.state === "revoked") continue;
    const r = link.repositories.findIndex((repository) => repository.split("/")[0]!.toLowerCase() === org);
    if (r < 0) continue;
    report(
      `/orgAccess/${i}/access`,
      `${origins.subject(`/orgAccess/${i}`)} denies the app access to org "${config.orgAccess[i]!.org}", but ${origins.subject(`/links/${l}`)} at ` +
        `${origins.where(`/links/${l}/repositories/${r}`)} builds from its repository "${link.repositories[r]}" (state ${link.state}): ` +
        `grant the org access, or remove its repositories from the link (or revoke the link)`,
    );
    return;
  }
}

/** A repository glob of a sweep's `exclude`: the owner, a slash, then name characters and `*`. */
const EXCLUDE_GLOB = /^([A-Za-z0-9_.-]{1,100})\/([A-Za-z0-9_.*-]{1,100})$/;

/**
 * Sweeps: one per (provider, owner), unique names, a configured provider, and `exclude` globs that can
 * match a repository of the owner (a glob naming another owner or characters no repository name has
 * would silently exclude nothing).
 */
function checkSweeps(config: MergedConfig, origins: Origins, complete: boolean, report: Report): void {
  const owners = new Map<string, number>();
  const names = new Map<string, number>();
  config.sweeps.forEach((sweep, i) => {
    const subject = origins.subject(`/sweeps/${i}`);
    // GitHub logins and Bitbucket workspaces are case-insensitive.
    const key = `${sweep.provider}\u0000${sweep.owner.toLowerCase()}`;
    const first = owners.get(key);
    if (first === undefined) owners.set(key, i);
    else {
      report(
        `/sweeps/${i}/owner`,
        `${subject} sweeps ${sweep.provider} owner "${sweep.owner}" again (first at ${origins.where(`/sweeps/${first}/owner`)}): declare each owner once and merge the exclude lists`,
      );
    }
    const named = names.get(sweep.name);
    if (named === undefined) names.set(sweep.name, i);
    else {
      report(
        `/sweeps/${i}`,
        `${subject} is named "${sweep.name}", as is ${origins.subject(`/sweeps/${named}`)} at ${origins.where(`/sweeps/${named}`)}: sweep names must be unique (each is a resource name); set name on one of them`,
      );
    }
    if (complete && config.providers[sweep.provider] === undefined) {
      report(
        `/sweeps/${i}/provider`,
        `${subject} sweeps provider ${sweep.provider}, but providers.${sweep.provider} is not configured: ${PROVIDER_HINTS[sweep.provider]}`,
      );
    }
    sweep.exclude.forEach((glob, k) => {
      const pointer = `/sweeps/${i}/exclude/${k}`;
      const match = EXCLUDE_GLOB.exec(glob);
      if (match === null) {
        report(
          pointer,
          `${origins.subject(pointer)} ${quoteValue(glob)} is not a repository glob: write OWNER/NAME with * for any run of name characters, e.g. "${sweep.owner}/sandbox-*"`,
        );
      } else if (match[1]!.toLowerCase() !== sweep.owner.toLowerCase()) {
        report(
          pointer,
          `${origins.subject(pointer)} ${quoteValue(glob)} names owner "${match[1]}", but this sweep covers "${sweep.owner}", so it would exclude nothing: write "${sweep.owner}/${match[2]}"`,
        );
      }
    });
  });
}

function count(map: Map<ProviderKind, { first: number; more: number }>, provider: ProviderKind, index: number): void {
  const entry = map.get(provider);
  if (entry === undefined) map.set(provider, { first: index, more: 0 });
  else entry.more += 1;
}

function others(more: number): string {
  if (more === 0) return "";
  return more === 1 ? " (as does 1 more link)" : ` (as do ${more} more links)`;
}
