/**
 * `sourcelinks export [--namespace NS]... [--org ORG]... [--config FILE]...`: writes a `sourcelinks/v1`
 * YAML of the live world, to adopt existing links (docs/identity-and-sharing.md: dynamic resources cannot be imported).
 *
 * Endpoints and patterns come from `--config` when given (its links' namespaces and org entries are the
 * defaults for `--namespace`/`--org`); otherwise from the environment: SOURCELINKS_BUILD_API_URL
 * (required), SOURCELINKS_GITHUB_API_URL, SOURCELINKS_BITBUCKET_API_URL, Docker Hub's webhook and
 * deploy-key patterns, and the OAuth apps named by `--github-client-id` / `--bitbucket-key`.
 * Live (`enabled`/`disabled`) links are exported; `unlinked` records are listed as notes saying what
 * is left of them (cli/export/unlinked-note.ts). What is observed and how it is declared live in
 * cli/export/ (live-world.ts, map-records.ts); this file reads the options. A `--github-client-id` is checked against the client
 * secret when the environment has it: a wrong id is invalid input, not a file the next plan fails on.
 */
import { cliOperationContext } from "../context.js";
import type { Command } from "commander";
import type { BuildServiceSpec, ProvidersSpec, SourcelinksConfig } from "../../engine/model/spec.js";
import { API_URL_OVERRIDES, DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS, DOCKER_HUB_WEBHOOK_URL_PATTERNS } from "../../engine/config/index.js";
import type { OperationContext } from "../../engine/reconcile/operations.js";
import { HttpError } from "../../engine/clients/http-error.js";
import { Secret } from "../../engine/model/secret.js";
import { CliError, ExitCode, type ExitCodeValue } from "../exit-codes.js";
import { observeLiveWorld } from "../export/live-world.js";
import { exportToYaml } from "../export/to-yaml.js";
import type { CliIo } from "../io.js";
import { loadConfig } from "../load-config.js";

/** Options of `export`. */
export interface ExportOptions {
  namespace: string[];
  org: string[];
  config: string[];
  githubClientId?: string;
  bitbucketKey?: string;
  appName: string;
  /** Also declare a sweep of every owner whose repositories the exported links build from. */
  sweeps?: boolean;
}

/** The config an export starts from: the given files, or one built from the environment. */
async function baseConfig(options: ExportOptions, env: NodeJS.ProcessEnv): Promise<SourcelinksConfig> {
  if (options.config.length > 0) return (await loadConfig(options.config)).config;
  const apiUrl = env[API_URL_OVERRIDES.buildService];
  if (!apiUrl) {
    throw new CliError(
      ExitCode.invalidInput,
      `sourcelinks export: no build service: pass --config FILE, or set ${API_URL_OVERRIDES.buildService} (and SOURCELINKS_BUILD_TOKEN)`,
    );
  }
  const oauthApps: BuildServiceSpec["oauthApps"] = {};
  if (options.githubClientId) {
    oauthApps.github = { clientId: options.githubClientId, name: options.appName };
    // Only the variable's name goes into the YAML; with it set, revocation can revoke grants by API.
    if (env["SOURCELINKS_GITHUB_CLIENT_SECRET"]) oauthApps.github.clientSecretEnv = "SOURCELINKS_GITHUB_CLIENT_SECRET";
  }
  if (options.bitbucketKey) oauthApps.bitbucket = { clientId: options.bitbucketKey, name: options.appName };
  const providers: ProvidersSpec = {
    github: { apiUrl: env[API_URL_OVERRIDES.github] || "https://api.github.com", tokenEnv: "GITHUB_TOKEN" },
    bitbucket: {
      apiUrl: env[API_URL_OVERRIDES.bitbucket] || "https://api.bitbucket.org/2.0",
      usernameEnv: "BITBUCKET_EMAIL",
      tokenEnv: "BITBUCKET_API_TOKEN",
    },
  };
  return {
    apiVersion: "sourcelinks/v1",
    buildService: {
      kind: "reference",
      apiUrl,
      tokenEnv: "SOURCELINKS_BUILD_TOKEN",
      webhookUrlPatterns: [...DOCKER_HUB_WEBHOOK_URL_PATTERNS],
      deployKeyTitlePatterns: [...DOCKER_HUB_DEPLOY_KEY_TITLE_PATTERNS],
      oauthApps,
    },
    providers,
    links: [],
    orgAccess: [],
  };
}

/** Runs `export`: the YAML on stdout. */
export async function runExport(options: ExportOptions, io: CliIo): Promise<ExitCodeValue> {
  const base = await baseConfig(options, io.env);
  const namespaces = unique(options.namespace.length > 0 ? options.namespace : base.links.map((l) => l.namespace));
  const orgs = unique([...options.org, ...base.orgAccess.map((o) => o.org)]);
  if (namespaces.length === 0)
    throw new CliError(ExitCode.invalidInput, "sourcelinks export: name at least one --namespace (or pass a --config that declares links)");

  const ctx = cliOperationContext(base, io.env);
  if (ctx.clients.buildService === null)
    throw new CliError(
      ExitCode.invalidInput,
      `sourcelinks export: build service kind ${base.buildService.kind} has no API to list links; export needs kind: reference`,
    );

  if (options.config.length === 0 && options.githubClientId) await checkClientId(ctx, options.githubClientId);

  const world = await observeLiveWorld(
    ctx,
    {
      buildService: base.buildService,
      providers: base.providers,
      fromConfig: options.config.length > 0,
      namespaces,
      orgs,
      sweeps: options.sweeps === true,
    },
    (text) => io.progress(text),
  );
  io.out(exportToYaml(world));
  return ExitCode.ok;
}

/**
 * With the client secret at hand, whether `clientId` is the OAuth app the secret belongs to: GitHub
 * answers 401 to the client credentials of no app, 404 to a valid pair and a token it does not know
 * (the probe sends no real token). A wrong id would otherwise be written and fail the next plan.
 */
async function checkClientId(ctx: OperationContext, clientId: string): Promise<void> {
  const grants = ctx.clients.githubGrants;
  if (grants === null || ctx.githubClientSecret === null) return;
  try {
    await grants.checkGrant(clientId, ctx.githubClientSecret, new Secret(CLIENT_ID_PROBE));
  } catch (error) {
    if (error instanceof HttpError && error.status === 401)
      throw new CliError(
        ExitCode.invalidInput,
        `sourcelinks export: --github-client-id ${clientId} is not the client id of the OAuth app whose secret SOURCELINKS_GITHUB_CLIENT_SECRET holds (GitHub answered 401 to their pair): pass the app's Client ID (GitHub → Settings → Developer settings → OAuth Apps → the app), or unset SOURCELINKS_GITHUB_CLIENT_SECRET if it belongs to another app`,
      );
    throw error;
  }
}

/** What the probe sends as the access token: no token GitHub issues looks like it. */
const CLIENT_ID_PROBE = "sourcelinks-client-id-check";

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `export` to the program. */
export function registerExport(program: Command, io: CliIo, finish: (code: ExitCodeValue) => void): void {
  program
    .command("export")
    .description("write a sourcelinks/v1 YAML of the live world (links, their autobuild repositories, org access) to adopt existing links")
    .option("--namespace <ns>", "build-service namespace to export (repeatable; default: the namespaces of --config's links)", collect, [])
    .option("--org <org>", "GitHub org whose third-party access to export (repeatable; --config's orgAccess orgs are added)", collect, [])
    .option("--config <file>", "take the build service, providers, patterns and OAuth apps from this config (repeatable)", collect, [])
    .option("--github-client-id <id>", "without --config: the build service's GitHub OAuth app client id")
    .option("--bitbucket-key <key>", "without --config: the build service's Bitbucket OAuth consumer key")
    .option("--app-name <name>", "without --config: the OAuth apps' display name", "Docker Hub Builder")
    .option("--sweeps", "also declare a sweep of every owner the exported links build from (plan then shows the orphans to delete)")
    .addHelpText(
      "after",
      `
With --config, endpoints, token variables, webhook patterns and OAuth apps are copied from it (the
links and orgAccess are replaced by the live world). Without it, the build service URL comes from
SOURCELINKS_BUILD_API_URL (the provider URLs from SOURCELINKS_GITHUB_API_URL and
SOURCELINKS_BITBUCKET_API_URL, else the public APIs), with Docker Hub's webhook patterns.
Only live (enabled or disabled) links are exported; unlinked records are listed in the header
comment. The output validates, and \`sourcelinks plan\` on it shows no changes (with --sweeps: except
the deletion of build-service artifacts no live link covers on the swept owners).

Examples:
  $ sourcelinks export --config sourcelinks.yaml > live.yaml
  $ sourcelinks export --namespace acme --org acme --github-client-id Iv1.0123456789abcdef > live.yaml`,
    )
    .action(async (options: ExportOptions) => finish(await runExport(options, io)));
}
