/**
 * The provider under test as Pulumi runs it: compiled (dist/) and loaded natively. Vitest rewrites
 * `import()` in modules it transforms, and such a rewritten call cannot be serialized into
 * `__provider`; `require()` of the ESM build (Node ≥ 20.19) bypasses the transform, so the
 * provider, its `import.meta.url` and its `import()` calls are exactly those of a real program.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import type * as ConfigLoad from "../../config/load.js";
import type { SourcelinksConfig } from "../../config/types.js";
import type * as ProviderIndex from "../../provider/index.js";
import type * as LinkProvider from "../../provider/link-provider.js";
import type * as OrgAccessProvider from "../../provider/org-access-provider.js";
import type { OrgThirdPartyAccessInputs, SourceProviderLinkInputs } from "../../provider/properties.js";
import { projectRoot, type PropertyMap, providerKey } from "./engine-harness.js";

const require = createRequire(import.meta.url);
const SOURCE_DIRS = ["provider", "reconcile", "clients", "config"];
const ENTRY = join(projectRoot, "dist/provider/index.js");
const LOCK = join(projectRoot, "dist/.provider-test-build.lock");

function newestSource(): number {
  let newest = statSync(join(projectRoot, "index.ts")).mtimeMs;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(projectRoot, dir));
  return newest;
}

function isFresh(): boolean {
  return existsSync(ENTRY) && existsSync(join(projectRoot, "dist/index.js")) && statSync(ENTRY).mtimeMs >= newestSource();
}

/** Timeout for a hook that may compile dist/ (a cold `tsc -p .` takes tens of seconds on a busy machine). */
export const BUILD_TIMEOUT_MS = 240_000;

/**
 * Runs `tsc -p .` when dist/ is missing or older than the sources. tsc emits even when another
 * part of the tree has type errors, so only a missing output is a failure. A lock directory keeps
 * test files running in parallel from compiling over each other.
 */
export async function ensureBuilt(): Promise<void> {
  if (isFresh()) return;
  mkdirSync(join(projectRoot, "dist"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (isFresh()) return;
    }
  }
  try {
    if (!isFresh()) {
      await promisify(execFile)(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "."], { cwd: projectRoot }).catch(() => undefined);
    }
    if (!existsSync(ENTRY)) throw new Error("npx tsc -p . produced no dist/provider/index.js");
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
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

/** The demo config (examples/basic/sourcelinks.yaml), loaded by the compiled config loader. */
export async function demoConfig(): Promise<SourcelinksConfig> {
  const { loadConfigFiles } = requireDist<typeof ConfigLoad>("config/load.js");
  return (await loadConfigFiles([join(projectRoot, "examples/basic/sourcelinks.yaml")])).config;
}

/** The installed package version, what the resource classes put in `providerVersion`. */
export function packageVersion(): string {
  return (require(join(projectRoot, "package.json")) as { version: string }).version;
}

/** The inputs `new SourceProviderLink(name, …)` registers for a declared link, with `__provider`. */
export function linkInputs(config: SourcelinksConfig, name: string, serialized: string, change: Partial<SourceProviderLinkInputs> = {}): PropertyMap {
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
