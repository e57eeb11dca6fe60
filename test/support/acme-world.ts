/**
 * The small worlds the CLI tests seed, and the configuration they run against it: the operator
 * `owner` runs build-service namespace acme, the build service's GitHub OAuth app exists, and the
 * config declares the reference build service with that app and a GitHub token. Each test adds only
 * what it is about: the users, orgs, repositories and links of its world, and its links section.
 */
import type { SeedDocument, SeedLink } from "../../sandbox/seed.js";

/** The client id of the build service's GitHub OAuth app in these worlds. */
export const CLIENT_ID = "Iv1.5a9d0c3e7b214f68";

type GitHubSeed = NonNullable<SeedDocument["github"]>;
type NamespaceSeed = NonNullable<NonNullable<SeedDocument["buildService"]>["namespaces"]>[number];

/** What a test's world holds besides the operator and the OAuth app. */
export interface AcmeWorld {
  /** GitHub users besides `owner`. */
  users: NonNullable<GitHubSeed["users"]>;
  orgs: NonNullable<GitHubSeed["orgs"]>;
  repos: NonNullable<GitHubSeed["repos"]>;
  /** The build service's links in namespace acme. */
  links?: SeedLink[];
  /** Further build-service namespaces (the operator's token does not see them). */
  namespaces?: NamespaceSeed[];
}

/** The seed document of `world`, operated by `owner` in namespace acme. */
export function acmeSeed(world: AcmeWorld): SeedDocument {
  const acme: NamespaceSeed = world.links === undefined ? { name: "acme" } : { name: "acme", links: world.links };
  return {
    operator: { github: "owner", namespace: "acme" },
    oauthApps: [{ provider: "github", clientId: CLIENT_ID, name: "Docker Hub Builder" }],
    github: { users: [{ login: "owner" }, ...world.users], orgs: world.orgs, repos: world.repos },
    buildService: { namespaces: [acme, ...(world.namespaces ?? [])] },
  };
}

/** What the config's build-service section declares beyond its API and webhook pattern. */
export interface AcmeConfigOptions {
  /** Whether the OAuth app's client secret is configured (grants revocable by API); default true. */
  clientSecret?: boolean;
  /** Whether deploy keys titled "Docker Hub Builder…" are the build service's; default false. */
  deployKeys?: boolean;
}

/**
 * A sourcelinks config (YAML text): the reference build service,
 * its GitHub OAuth app and webhook pattern, GitHub through GITHUB_TOKEN, then `sections` (the links
 * and orgAccess sections, as YAML text).
 */
export function acmeConfig(sections: string, options: AcmeConfigOptions = {}): string {
  const secret = options.clientSecret === false ? "" : ", clientSecretEnv: SOURCELINKS_GITHUB_CLIENT_SECRET";
  const deployKeys = options.deployKeys === true ? '  deployKeyTitlePatterns: ["Docker Hub Builder*"]\n' : "";
  return `apiVersion: sourcelinks/v1
buildService:
  kind: reference
  apiUrl: https://builds.example.com/api/build/v1
  tokenEnv: SOURCELINKS_BUILD_TOKEN
  webhookUrlPatterns: ["https://cloud.docker.com/api/build/v1/vcs/*/trigger/call/"]
${deployKeys}  oauthApps:
    github: { clientId: ${CLIENT_ID}, name: Docker Hub Builder${secret} }
providers:
  github: { tokenEnv: GITHUB_TOKEN }
${sections}`;
}
