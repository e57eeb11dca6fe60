/**
 * Which credential variables a run against the live world needs and the environment lacks, so a
 * command can name each one before any request instead of every service answering `401`. Pure: the
 * environment is passed in.
 */
import type { SourcelinksConfig } from "../model/spec.js";

/** One credential variable the run needs that is unset or empty, and a message naming it. */
export interface MissingCredential {
  variable: string;
  message: string;
}

/** How many names a message lists before "and N more". */
const NAMES_SHOWN = 3;

/**
 * The credentials a live run of `config` needs and `env` lacks: the build service's token on `reference`
 * (every live command lists its links; `docker-hub` has no link API, so nothing is sent to it), GitHub's token when a link or org access entry is on GitHub,
 * (or the GitHub App's key, with providers.github.auth), Bitbucket's token when a link is on Bitbucket. Optional variables are never reported: the GitHub
 * client secret (without it, grant revocation is a manual step) and Bitbucket's email (without it,
 * the token is sent as a Bearer access token).
 */
export function missingCredentials(config: SourcelinksConfig, env: NodeJS.ProcessEnv): MissingCredential[] {
  const github = [
    ...config.links.filter((l) => l.provider === "github").map((l) => `link ${l.name}`),
    ...config.orgAccess.map((o) => `org access ${o.org}`),
  ];
  const bitbucket = config.links.filter((l) => l.provider === "bitbucket").map((l) => `link ${l.name}`);
  const needed: { variable: string; holds: string; key: string; users: string[] | null }[] = [];
  if (config.buildService.kind === "reference")
    needed.push({
      variable: config.buildService.tokenEnv,
      holds: "the build service's API token",
      key: "buildService.tokenEnv",
      users: null,
    });
  const gh = config.providers.github;
  if (github.length > 0 && gh !== undefined) {
    // A GitHub App needs its key instead of a token (a key file is read, and reported, on first use).
    if (gh.auth === undefined)
      needed.push({ variable: gh.tokenEnv, holds: "the GitHub token", key: "providers.github.tokenEnv", users: github });
    else if (gh.auth.privateKeyEnv !== undefined) {
      needed.push({
        variable: gh.auth.privateKeyEnv,
        holds: "the GitHub App's private key (PEM)",
        key: "providers.github.auth.privateKeyEnv",
        users: github,
      });
    }
  }
  if (bitbucket.length > 0 && config.providers.bitbucket !== undefined) {
    const { tokenEnv } = config.providers.bitbucket;
    needed.push({
      variable: tokenEnv,
      holds: "the Bitbucket API token or access token",
      key: "providers.bitbucket.tokenEnv",
      users: bitbucket,
    });
  }
  const seen = new Set<string>();
  const out: MissingCredential[] = [];
  for (const { variable, holds, key, users } of needed) {
    // An empty variable counts as unset, as in config/runtime.ts.
    if (seen.has(variable) || (env[variable] ?? "") !== "") continue;
    seen.add(variable);
    const forWhom = users === null ? "" : ` for ${listed(users)}`;
    out.push({
      variable,
      message: `${variable} is not set: it must hold ${holds} (named by ${key})${forWhom}; set it, or name the variable that holds it in ${key}`,
    });
  }
  return out;
}

function listed(names: readonly string[]): string {
  if (names.length <= NAMES_SHOWN) return names.join(", ");
  return `${names.slice(0, NAMES_SHOWN).join(", ")} and ${names.length - NAMES_SHOWN} more`;
}
