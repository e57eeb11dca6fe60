/**
 * The provider under test as Pulumi runs it: compiled (dist/) and loaded natively. Vitest rewrites
 * `import()` in modules it transforms, and such a rewritten call cannot be serialized into
 * `__provider`; `require()` of the ESM build (Node ≥ 20.19) bypasses the transform, so the
 * provider, its `import.meta.url` and its `import()` calls are exactly those of a real program.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ensureBuilt as ensureBuiltOutputs } from "./ensure-built.js";
import type * as ConfigLoad from "../../engine/config/load.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import type * as ProviderIndex from "../../provider/index.js";
import type * as LinkProvider from "../../provider/link-provider.js";
import type * as OrgAccessProvider from "../../provider/org-access-provider.js";
import type { OrgThirdPartyAccessInputs, SourceProviderLinkInputs } from "../../provider/properties.js";
import { projectRoot, type PropertyMap, providerKey } from "./engine-harness.js";

const require = createRequire(import.meta.url);
/** Timeout for a hook that may compile dist/ (a cold `tsc -p .` takes tens of seconds on a busy machine). */
export const BUILD_TIMEOUT_MS = 240_000;

/** Compiles the provider and the root program when dist/ is missing or stale (see test/support/ensure-built.ts). */
export function ensureBuilt(): Promise<void> {
  return ensureBuiltOutputs(["dist/provider/index.js", "dist/pulumi-program.js"]);
}

/** Loads a compiled module natively (see the file comment). */
export function requireDist<T>(relative: string): T {
  return require(join(projectRoot, "dist", relative)) as T;
}

/** The compiled provider package entry. */
export function providerPackage(): typeof ProviderIndex {
  return requireDist<typeof ProviderIndex>("provider/index.js");
}

/** Serializes a provider object exactly as `dynamic.Resource` does for `__provider`. */
export async function serializeProvider(provider: object): Promise<string> {
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

/** The two compiled provider objects, serialized. */
export async function serializedProviders(): Promise<{ link: string; orgAccess: string }> {
  const { linkProvider } = requireDist<typeof LinkProvider>("provider/link-provider.js");
  const { orgAccessProvider } = requireDist<typeof OrgAccessProvider>("provider/org-access-provider.js");
  return { link: await serializeProvider(linkProvider), orgAccess: await serializeProvider(orgAccessProvider) };
}

/** The demo config (examples/basic/sourcelinks.yaml, and its builds.yaml with `withBuilds`), loaded by the compiled config loader. */
export async function demoConfig(withBuilds = false): Promise<SourcelinksConfig> {
  const { loadConfigFiles } = requireDist<typeof ConfigLoad>("engine/config/load.js");
  const files = ["examples/basic/sourcelinks.yaml", ...(withBuilds ? ["examples/basic/builds.yaml"] : [])];
  return (await loadConfigFiles(files.map((file) => join(projectRoot, file)))).config;
}

/** The installed package version, what the resource classes put in `providerVersion`. */
export function packageVersion(): string {
  return (require(join(projectRoot, "package.json")) as { version: string }).version;
}

/** The inputs `new SourceProviderLink(name, …)` registers for a declared link, with `__provider`. */
export function linkInputs(
  config: SourcelinksConfig,
  name: string,
  serialized: string,
  change: Partial<SourceProviderLinkInputs> = {},
): PropertyMap {
  const link = config.links.find((l) => l.name === name);
  if (link === undefined) throw new Error(`no link ${name} in the demo config`);
  const inputs: SourceProviderLinkInputs = {
    ...link,
    buildService: config.buildService,
    providers: config.providers,
    providerVersion: packageVersion(),
    ...change,
  };
  return JSON.parse(JSON.stringify({ ...inputs, [providerKey]: serialized })) as PropertyMap;
}

/** The inputs `new OrgThirdPartyAccess(…)` registers for a declared org access entry, with `__provider`. */
export function orgAccessInputs(config: SourcelinksConfig, org: string, serialized: string): PropertyMap {
  const entry = config.orgAccess.find((o) => o.org === org);
  if (entry === undefined) throw new Error(`no org access for ${org} in the demo config`);
  const inputs: OrgThirdPartyAccessInputs = {
    ...entry,
    buildService: config.buildService,
    providers: config.providers,
    links: config.links.filter((l) => l.provider === entry.app),
    providerVersion: packageVersion(),
  };
  return JSON.parse(JSON.stringify({ ...inputs, [providerKey]: serialized })) as PropertyMap;
}

/** A resource the root program registered with the mocks. */
export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/**
 * Runs the root program (dist/pulumi-program.js) under `pulumi.runtime.setMocks`, pushing every resource it
 * registers onto `registered` (registration continues after this resolves; `onRegister` runs after
 * each push); resolves with the program's outputs.
 */
export async function runProgramWithMocks(
  registered: RegisteredResource[],
  onRegister: () => void = () => undefined,
): Promise<Record<string, unknown>> {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        onRegister();
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call() {
        return {};
      },
    },
    "sourcelinks",
    "dev",
    false,
  );
  return requireDist<{ default: () => Promise<Record<string, unknown>> }>("pulumi-program.js").default();
}

/** One registration as the engine receives it: the raw property struct (unknowns as the sentinel) and the aliases. */
export interface RawRegistration {
  type: string;
  name: string;
  /** `RegisterResourceRequest.object` as JSON: what the engine passes on to Check. */
  object: PropertyMap;
  /** The structured aliases (`Alias.Spec` as objects: `name`, `type`, `parenturn`, …). */
  aliases: Record<string, unknown>[];
  /** The parent's URN (the root stack's when the program gives none). */
  parent: string;
  /** The URNs of the resources it depends on (`dependsOn`). */
  dependencies: string[];
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getObject(): { toJavaScript(): PropertyMap } | undefined;
  getAliasesList(): { getSpec(): { toObject(): Record<string, unknown> } | undefined }[];
  getParent(): string;
  getDependenciesList(): string[];
}

type RecordedMonitor = { registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): Promise<void> };

/**
 * `pulumi.runtime.setMocks`, plus a record of each registration as it reaches the monitor (Pulumi's
 * own MockMonitor, whose registerResource is wrapped): the raw struct and aliases that
 * `MockResourceArgs` does not carry. With `preview`, outputs the mocks leave out are unknown, as in
 * `pulumi preview`. setMocks also declares the monitor's features (structured aliases among them).
 */
export async function setRecordingMocks(
  mocks: pulumi.runtime.Mocks,
  records: RawRegistration[],
  options: { preview: boolean; project?: string; stack?: string },
): Promise<void> {
  await pulumi.runtime.setMocks(mocks, options.project ?? "sourcelinks", options.stack ?? "dev", options.preview);
  const { getMonitor } = require("@pulumi/pulumi/runtime/settings.js") as { getMonitor(): RecordedMonitor };
  const monitor = getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    records.push({
      type: req.getType(),
      name: req.getName(),
      object: req.getObject()?.toJavaScript() ?? {},
      aliases: req.getAliasesList().map((a) => a.getSpec()?.toObject() ?? {}),
      parent: req.getParent(),
      dependencies: req.getDependenciesList(),
    });
    return register(req, callback);
  };
}
