/**
 * sourcelinks as a user's Pulumi project gets it: `npm pack` of this repository, installed offline
 * into a consumer project (the tarball extracted into its node_modules, every other package linked
 * from this repository's node_modules). The consumer's program registers its links under mocks, the
 * real dynamic-provider host runs `up` in the project's folder, then the project MOVES (a laptop
 * versus a CI runner) and refresh and destroy run from the new folder with the state from before.
 * The policy pack then runs from the installed package, as `--policy-pack node_modules/sourcelinks/policies`.
 * A second project installs the package without the (optional peer) Pulumi SDKs, as a CLI-only user
 * does: the CLI runs, and the provider and the pack say what to install. attw checks the tarball's types.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as ProviderIndex from "../../provider/index.js";
import { PULUMI_PEERS } from "../../provider/peer-dependency.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { BUILD_TIMEOUT_MS, ensureBuilt, type RawRegistration, setRecordingMocks } from "../support/provider-dist.js";
import { FakeEngine, makeUrn, projectRoot, ProviderHost } from "../support/engine-harness.js";

const require = createRequire(import.meta.url);
const run = promisify(execFile);
const LINK_TYPE = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";

let tmp: string;
let files: string[];
let first: string;
let moved: string;
let tarball: string;
let cliOnly: string;
let sandbox: SandboxHandle;
const records: RawRegistration[] = [];

const PROGRAM = `import { fileURLToPath } from "node:url";
import { declareFromConfig } from "sourcelinks";

/** A user's program: the links of its own YAML. */
export default function program() {
  return declareFromConfig([fileURLToPath(new URL("./sourcelinks.yaml", import.meta.url))]);
}
`;

/** Builds the consumer project from the tarball, offline; `withPulumi: false` leaves the Pulumi SDKs (`@pulumi/*`) out. */
async function consumerProject(dir: string, tarball: string, withPulumi = true): Promise<void> {
  const installed = join(dir, "node_modules/sourcelinks");
  mkdirSync(installed, { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  for (const entry of readdirSync(join(projectRoot, "node_modules"))) {
    if (entry.startsWith(".") || entry === "sourcelinks" || (entry === "@pulumi" && !withPulumi)) continue;
    symlinkSync(join(projectRoot, "node_modules", entry), join(dir, "node_modules", entry));
  }
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "acme-links",
      private: true,
      type: "module",
      dependencies: { sourcelinks: "^0.1.0", "@pulumi/pulumi": "^3.248.0" },
    }),
  );
  writeFileSync(join(dir, "index.js"), PROGRAM);
  const yaml = readFileSync(join(projectRoot, "examples/basic/sourcelinks.yaml"), "utf8").replace(
    /(\n(\s*)- name: acme-builds\n)/,
    "$1$2  onDelete: revoke\n",
  );
  writeFileSync(join(dir, "sourcelinks.yaml"), yaml);
}

beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-consumer-"));
  const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], { cwd: projectRoot });
  const [result] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  if (result === undefined) throw new Error("npm pack printed nothing");
  files = result.files.map((f) => f.path);
  first = join(tmp, "laptop/acme-links");
  moved = join(tmp, "ci-runner/work/acme-links");
  tarball = join(tmp, result.filename);
  cliOnly = join(tmp, "cli-only");
  await consumerProject(first, tarball);
  await consumerProject(cliOnly, tarball, false);
  sandbox = await startSandbox();
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await sandbox?.close();
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
});

/** Starts the pack as Pulumi's analyzer does (run-policy-pack in the pack folder) and resolves with the port it serves on. */
async function analyzerPort(packDir: string, runner: string): Promise<string> {
  const child = spawn(process.execPath, [runner, "127.0.0.1:0", packDir], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
  try {
    return await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]?.trim() ?? "");
      });
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      child.on("exit", (code) => reject(new Error(`the pack exited (${code}): ${err}`)));
    });
  } finally {
    child.kill("SIGTERM");
  }
}

/** The consumer project's folder: `first`, or `moved` once the move test has run (tests run in any order). */
function installed(): string {
  return existsSync(moved) ? moved : first;
}

describe("the npm package", () => {
  it("ships the build, the schema and the policy pack's entry, without tests, sources or fixtures", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "dist/provider/index.js",
        "dist/provider/link-methods.js",
        "dist/policies/library.js",
        "dist/cli/main.js",
        "policies/pack.cjs",
        "policies/package.json",
        "policies/PulumiPolicy.yaml",
        "schema/sourcelinks.schema.json",
      ]),
    );
    expect(
      files.filter(
        (f) =>
          f.startsWith("test/") || (f.endsWith(".ts") && !f.endsWith(".d.ts")) || f.startsWith("dist/tools/bench/") || f.endsWith(".map"),
      ),
    ).toEqual([]);
  });

  it("declares the Pulumi SDKs as optional peers and nothing a consumer does not need at run time", () => {
    const manifest = JSON.parse(readFileSync(join(installed(), "node_modules/sourcelinks/package.json"), "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    expect(manifest.peerDependencies).toEqual(PULUMI_PEERS);
    expect(manifest.peerDependenciesMeta).toEqual({ "@pulumi/policy": { optional: true }, "@pulumi/pulumi": { optional: true } });
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith("@pulumi/"))).toEqual([]);
    expect(files).toContain("LICENSE");
    expect(readFileSync(join(installed(), "node_modules/sourcelinks/LICENSE"), "utf8")).toContain("Apache License");
  });

  it("has a pack folder that installs on its own: it depends on the Pulumi SDKs only, never on sourcelinks from the registry", () => {
    const pack = JSON.parse(readFileSync(join(installed(), "node_modules/sourcelinks/policies/package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(pack.dependencies).toEqual(PULUMI_PEERS);
  });

  it("has types for node10, node16 (CommonJS and ES modules) and bundlers on every entry point (attw)", async () => {
    const attw = join(projectRoot, "node_modules/@arethetypeswrong/cli/dist/index.js");
    const { stdout } = await run(process.execPath, [attw, tarball, "--format", "json"], { maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(stdout) as { analysis: { entrypoints: Record<string, unknown> }; problems: Record<string, unknown> };
    expect(Object.keys(report.analysis.entrypoints)).toEqual([
      ".",
      "./policies",
      "./provider/link-methods",
      "./provider/org-access-methods",
      "./provider/sweep-methods",
      "./package.json",
    ]);
    expect(report.problems).toEqual({});
  }, 90_000); // attw reads the whole tarball: seconds alone, past 30 s on a busy machine
});

describe("a consumer project without the Pulumi SDKs (a CLI-only install)", () => {
  /** `node args…` in the CLI-only project: its exit code and output. */
  async function nodeIn(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, args, { cwd: cliOnly });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it("runs the CLI", async () => {
    const validated = await nodeIn(["node_modules/sourcelinks/dist/cli/main.js", "validate", "sourcelinks.yaml"]);
    expect(validated).toMatchObject({ code: 0, stderr: "" });
    expect(validated.stdout).toContain("sourcelinks.yaml");
  });

  it("names what to install when a program imports or requires the provider", async () => {
    const imported = await nodeIn(["--input-type=module", "-e", `import "sourcelinks";`]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain(
      "The sourcelinks Pulumi provider needs @pulumi/pulumi, optional peer dependencies of sourcelinks that are not installed. Install them in your project: npm install @pulumi/pulumi@^3.248.0",
    );
    const required = await nodeIn(["-e", `require("sourcelinks")`]);
    expect(required.code).toBe(1);
    expect(required.stderr).toContain("npm install @pulumi/pulumi@^3.248.0");
  });

  it("names what to install when the policy pack runs without @pulumi/policy", async () => {
    const packDir = join(cliOnly, "node_modules/sourcelinks/policies");
    const pack = await nodeIn([join(packDir, "pack.cjs")]);
    expect(pack.code).toBe(1);
    expect(pack.stderr).toContain("Install them in your project: npm install @pulumi/policy@^1.21.0 @pulumi/pulumi@^3.248.0");
  });

  it("runs the policy pack once its folder has the SDKs (npm install in node_modules/sourcelinks/policies)", async () => {
    const packDir = join(cliOnly, "node_modules/sourcelinks/policies");
    mkdirSync(join(packDir, "node_modules"), { recursive: true });
    symlinkSync(join(projectRoot, "node_modules/@pulumi"), join(packDir, "node_modules/@pulumi"));
    try {
      await expect(analyzerPort(packDir, join(packDir, "node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js"))).resolves.toMatch(
        /^\d+$/,
      );
    } finally {
      rmSync(join(packDir, "node_modules"), { recursive: true, force: true });
    }
  });
});

describe("a consumer project moved between up and refresh/destroy", () => {
  it("up in the first folder, then refresh and destroy (onDelete: revoke) from the moved folder", async () => {
    await setRecordingMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) }, records, {
      preview: false,
    });
    const program = require(join(first, "index.js")) as {
      default: () => Promise<Awaited<ReturnType<typeof ProviderIndex.declareFromConfig>>>;
    };
    const declared = await program.default();
    await Promise.all(Object.values(declared.links).map((l) => new Promise((resolve) => l.urn.apply(resolve))));
    const inputs = records.find((r) => r.type === LINK_TYPE && r.name === "acme-builds")?.object;
    if (inputs === undefined) throw new Error("the consumer program registered no acme-builds");
    expect(JSON.stringify(inputs)).not.toContain(tmp);

    const urn = makeUrn(LINK_TYPE, "acme-builds", "dev", "acme-links");
    const hostIn = (dir: string): Promise<ProviderHost> =>
      ProviderHost.start({
        cwd: dir,
        hostScript: join(dir, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"),
        env: { PATH: process.env.PATH ?? "", ...sandbox.env },
        project: "acme-links",
      });
    const laptop = await hostIn(first);
    const engine = new FakeEngine(laptop);
    try {
      await laptop.configure({});
      const up = await engine.up(urn, inputs);
      expect(up.entry.outputs).toMatchObject({ liveState: "linked", onDelete: "revoke" });
    } finally {
      await laptop.close();
    }

    mkdirSync(join(moved, ".."), { recursive: true });
    renameSync(first, moved);
    const runner = await hostIn(moved);
    try {
      await runner.configure({});
      const later = new FakeEngine(runner);
      for (const [key, entry] of engine.state) later.state.set(key, entry);
      expect((await later.refresh(urn)).outputs.liveState).toBe("linked");
      await later.destroy(urn);
      const team = sandbox
        .world()
        .buildService.links.find((l) => l.namespace === "acme" && l.team === "ci" && l.account === "acme-builder");
      expect(team?.state).toBe("unlinked");
    } finally {
      await runner.close();
    }
  }, 60_000); // two host starts and a full up/refresh/destroy: seconds alone, more on a busy machine

  it("runs the policy pack from the installed package (pulumi preview --policy-pack node_modules/sourcelinks/policies)", async () => {
    const project = installed();
    const packDir = join(project, "node_modules/sourcelinks/policies");
    await expect(analyzerPort(packDir, join(project, "node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js"))).resolves.toMatch(
      /^\d+$/,
    );
  });

  it("requires the provider from a CommonJS program", async () => {
    const project = installed();
    const { stdout } = await run(process.execPath, ["-e", `process.stdout.write(typeof require("sourcelinks").declareFromConfig)`], {
      cwd: project,
    });
    expect(stdout).toBe("function");
  });
});
