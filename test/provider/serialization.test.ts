/**
 * Each provider serializes the way `dynamic.Resource` serializes them into `__provider`, capture
 * nothing but the package specifier of their implementation, the function that imports it and the
 * names of the stack config keys (no file path: the state must survive the project moving), and carry
 * no credential even when every credential env var holds a value.
 */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import type * as LinkProvider from "../../provider/link-provider.js";
import type * as OrgAccessProvider from "../../provider/org-access-provider.js";
import type * as BuildProvider from "../../provider/build-provider.js";
import type * as SweepProvider from "../../provider/sweep-provider.js";
import { BUILD_TIMEOUT_MS, ensureBuilt, requireDist, serializeProvider } from "../support/provider-dist.js";
import { projectRoot } from "../support/engine-harness.js";
import { expectNoSecretIn } from "../support/no-secret.js";

const require = createRequire(import.meta.url);
const requireFromString = require("require-from-string") as (code: string) => { handler(): Record<string, unknown> };

/** Distinctive fake credentials, made at run time, in every variable the demo config names. */
const FAKE: Record<string, string> = Object.fromEntries(
  [
    "SOURCELINKS_BUILD_TOKEN",
    "GITHUB_TOKEN",
    "BITBUCKET_API_TOKEN",
    "SOURCELINKS_GITHUB_CLIENT_SECRET",
    "PULUMI_CONFIG",
    "DOCKERHUB_TOKEN",
    "NPM_TOKEN",
  ].map((name) => [name, `fake-${name.toLowerCase()}-${randomBytes(8).toString("hex")}`]),
);

const cases = [
  {
    label: "SourceProviderLink",
    module: "provider/link-provider.js",
    exported: "linkProvider",
    specifier: "sourcelinks/provider/link-methods",
  },
  {
    label: "OrgThirdPartyAccess",
    module: "provider/org-access-provider.js",
    exported: "orgAccessProvider",
    specifier: "sourcelinks/provider/org-access-methods",
  },
  {
    label: "ReplacementBuild",
    module: "provider/build-provider.js",
    exported: "buildProvider",
    specifier: "sourcelinks/provider/build-methods",
  },
  {
    label: "OrphanSweep",
    module: "provider/sweep-provider.js",
    exported: "sweepProvider",
    specifier: "sourcelinks/provider/sweep-methods",
  },
] as const;

describe.each(cases)("the $label provider, serialized", ({ module, exported, specifier }) => {
  let text: string;

  beforeAll(async () => {
    for (const [name, value] of Object.entries(FAKE)) process.env[name] = value;
    await ensureBuilt();
    const loaded = requireDist<
      Record<string, unknown> & (typeof LinkProvider | typeof OrgAccessProvider | typeof BuildProvider | typeof SweepProvider)
    >(module);
    text = await serializeProvider(loaded[exported] as object);
  }, BUILD_TIMEOUT_MS);

  it("contains no credential from the environment", () => {
    expectNoSecretIn(text, Object.values(FAKE), "the serialized provider");
  });

  it("captures only the package specifier of its implementation, the function that imports it and the config key names, no path", () => {
    const captures = [...text.matchAll(/with\(\{ ([^}]*)\}\)/g)].map((m) => m[1] ?? "");
    const names = new Set(captures.flatMap((c) => [...c.matchAll(/(\w+): /g)].map((m) => m[1])));
    names.delete("this");
    names.delete("arguments");
    names.delete("provider");
    expect([...names].sort()).toEqual(["CREDENTIAL_CONFIG_KEYS", "importFromProject", "methodsModule"]);
    expect(text).toContain(`methodsModule: "${specifier}"`);
    expect(text).not.toContain(projectRoot);
    expect(text).not.toContain("file://");
  });

  it("deserializes, as the host does, into a provider with every method", () => {
    const provider = requireFromString(text).handler();
    for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
      expect(typeof provider[method]).toBe("function");
    }
    expect(provider.credentials).toEqual({});
  });
});
