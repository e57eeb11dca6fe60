/**
 * Hostile input: every file of test/fixtures/bad/ (syntax errors, wrong types, unknown and
 * duplicate keys, alias bombs, code-building tags, path traversal and shell metacharacters in names,
 * repositories that are not owner/repo, webhook patterns that would match any host, literal
 * credentials) is refused with the exact `FILE:LINE:COL: message` lines of
 * test/fixtures/bad/expected.yaml, exit code 2, and not one request to the services: by the loader,
 * by the CLI in process (validate, plan, apply --yes) and by the built bin as users run it.
 * Multi-megabyte inputs are generated here rather than committed.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CORE_SCHEMA, load } from "js-yaml";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ConfigError, MAX_FILE_BYTES, loadConfigFiles, loadConfigTexts } from "../../engine/config/index.js";
import { SourceMap } from "../../engine/config/source-map.js";
import { checkStructure } from "../../engine/config/structure.js";
import { mapLimit } from "../../engine/reconcile/map-limit.js";
import type { CliIo } from "../../cli/io.js";
import { runCli as runInProcess } from "../../cli/program.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, ensureBuilt, runCli as runBin } from "../support/cli-harness.js";
import { largeConfigText } from "./large-config.js";
import { MINIMAL_CONFIG_HEAD } from "../../tools/bench/scale-config.js";

/**
 * For the tests that spawn the built bin many times or parse a 100,000-key file: seconds of CPU that a
 * loaded machine stretches past the default 30 s (both timed out at load 25), with nothing to wait on.
 */
const CPU_BOUND_TIMEOUT_MS = 120_000;

const BAD = fileURLToPath(new URL("../fixtures/bad/", import.meta.url));
const MANIFEST = "expected.yaml";

/** One corpus file's entry in the manifest. */
interface Expectation {
  why: string;
  /** Exactly what stderr holds, one `FILE:LINE:COL: message` per line, FILE relative to the corpus folder. */
  errors: string[];
  /** Literal (fake) credentials in the file that no output may contain. */
  neverShown?: string[];
}

const manifest = parse(readFileSync(join(BAD, MANIFEST), "utf8")) as Record<string, Expectation>;
const corpus = readdirSync(BAD)
  .filter((f) => f.endsWith(".yaml") && f !== MANIFEST)
  .sort();
const cases = corpus.map((file) => {
  const expectation = manifest[file];
  return { file, why: expectation?.why ?? "", errors: expectation?.errors ?? [], neverShown: expectation?.neverShown ?? [] };
});

/** The expected lines with the file named by its absolute path (also where a message cites a second place in it). */
function absolute(file: string, lines: readonly string[]): string[] {
  return lines.map((line) => line.split(`${file}:`).join(`${BAD}${file}:`));
}

/** The valid head of a generated config: seven lines. */
const HEADER = MINIMAL_CONFIG_HEAD;

/** The ConfigError `text` (as test.yaml) is refused with. */
function configErrorOf(text: string): ConfigError {
  try {
    loadConfigTexts([{ file: "test.yaml", text }]);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("the text was accepted");
}

function lines(text: string): string[] {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

/** Requests the sandbox's services received (admin calls are not counted) while `run` ran. */
async function requestsDuring(sandbox: SandboxHandle, run: () => Promise<void>): Promise<number> {
  const before = sandbox.counters().requests;
  await run();
  return sandbox.counters().requests - before;
}

/** Runs the CLI's program in this process (cli/program.ts, what dist/cli/main.js calls) with `env` as its environment. */
async function inProcess(
  argv: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    out: (text) => void stdout.push(...lines(text)),
    err: (text) => void stderr.push(...lines(text)),
    progress: () => undefined,
    interactive: false,
    ask: () => Promise.reject(new Error("a refused run must not prompt")),
    env,
  };
  const code = await runInProcess(argv, io, BAD);
  return { code, stdout, stderr };
}

let sandbox: SandboxHandle;
let env: Record<string, string>;
let tmp: string;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({});
  env = { ...sandbox.env };
  tmp = await mkdtemp(join(tmpdir(), "sourcelinks-hostile-"));
});

afterAll(async () => {
  await sandbox?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("the corpus", () => {
  test("holds at least 40 small files, each with an expectation in expected.yaml, and no expectation without a file", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(manifest).sort()).toEqual(corpus);
    for (const { file, why, errors } of cases) {
      expect(why, file).not.toBe("");
      expect(errors.length, file).toBeGreaterThan(0);
      for (const line of errors) expect(line, file).toMatch(new RegExp(`^${file.replace(/\./g, "\\.")}:\\d+:\\d+: \\S`));
      // Multi-megabyte inputs are generated by the tests below, never committed.
      expect(statSync(join(BAD, file)).size, file).toBeLessThan(16 * 1024);
    }
  });
});

describe("the loader refuses each corpus file with its exact FILE:LINE:COL lines", () => {
  test.each(cases)("$file: $why", async ({ file, errors, neverShown }) => {
    const error = await loadConfigFiles([join(BAD, file)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message.split("\n")).toEqual(absolute(file, errors));
    for (const secret of neverShown) expect(message).not.toContain(secret);
  });
});

describe("the CLI in process: validate, plan and apply --yes exit 2 with the same lines and send no request", () => {
  test.each(cases)("$file", async ({ file, errors, neverShown }) => {
    const path = join(BAD, file);
    const requests = await requestsDuring(sandbox, async () => {
      for (const argv of [
        ["validate", path],
        ["plan", path],
        ["apply", path, "--yes"],
      ]) {
        const run = await inProcess(argv, env);
        expect({ argv, ...run }).toEqual({ argv, code: 2, stdout: [], stderr: absolute(file, errors) });
        for (const secret of neverShown) expect(run.stderr.join("\n")).not.toContain(secret);
      }
    });
    expect(requests).toBe(0);
  });
});

describe("the built bin (dist/cli/main.js) against a sandbox", () => {
  // A node process costs about 0.4 s of CPU (most of it loading the CLI's modules), so the bin runs one
  // file of each kind of hostility; the in-process runs above cover every file with every command.
  const sample = [
    "syntax-unclosed-flow-sequence.yaml",
    "type-serviceAccount-yes.yaml",
    "unknown-key-control-characters.yaml",
    "duplicate-link-name.yaml",
    "alias-bomb.yaml",
    "alias-cycle.yaml",
    "tag-js-function.yaml",
    "nesting-too-deep.yaml",
    "invalid-utf8.yaml",
    "name-path-traversal.yaml",
    "repository-dot-dot-owner.yaml",
    "pattern-wildcard-host.yaml",
    "deploy-key-title-match-everything.yaml",
    "token-literal-in-tokenEnv.yaml",
  ];

  test(
    "validate, plan and apply --yes of one file of each kind exit 2 with exactly the manifest's lines on stderr, and the sandbox counts no request",
    async () => {
      expect(sample.filter((file) => !corpus.includes(file))).toEqual([]);
      const commands = [["validate"], ["plan"], ["apply", "--yes"]];
      // Each file with one command (rotating), so every command meets every kind of file across the suite.
      const runs = sample.map((file, i) => {
        const [command, ...flags] = commands[i % commands.length] as string[];
        return { file, argv: [command as string, file, ...flags] };
      });
      let results: { argv: string[]; code: number | null; stdout: string; stderr: string[] }[] = [];
      const requests = await requestsDuring(sandbox, async () => {
        results = await mapLimit(runs, 4, async ({ argv }) => {
          const run = await runBin(argv, env, { cwd: BAD });
          return { argv, code: run.code, stdout: run.stdout, stderr: lines(run.stderr) };
        });
      });
      expect(results).toEqual(
        runs.map(({ file, argv }) => ({ argv, code: 2, stdout: "", stderr: (manifest[file] as Expectation).errors })),
      );
      expect(requests).toBe(0);
      const secrets = cases.flatMap((c) => c.neverShown);
      expect(secrets.length).toBeGreaterThan(0);
      for (const result of results) for (const secret of secrets) expect(result.stderr.join("\n")).not.toContain(secret);
    },
    CPU_BOUND_TIMEOUT_MS,
  );

  test("the same harness does reach the sandbox with a valid config (so zero above means no request, not no counting)", async () => {
    const requests = await requestsDuring(sandbox, async () => {
      const run = await runBin(["plan", EXAMPLE], env);
      expect(run.code).toBe(0);
    });
    expect(requests).toBeGreaterThan(0);
  });
});

describe("generated inputs too large to commit", () => {
  test("a 3 MB config with one error deep inside is refused at that error's exact line and column, by plan, with no request", async () => {
    const links = 20_000;
    const text = largeConfigText(links).replace(
      "  - name: app-19000\n    namespace: acme\n    provider: github",
      "  - name: app-19000\n    namespace: acme\n    provider: gitlab",
    );
    expect(text.length).toBeGreaterThan(3_000_000);
    const file = join(tmp, "large.yaml");
    await writeFile(file, text);
    // 8 header lines, then 6 lines per link; provider is the 3rd line of link 19,000, its value at column 15.
    const line = 8 + 6 * 19_000 + 3;
    let stderr: string[] = [];
    const requests = await requestsDuring(sandbox, async () => {
      const run = await runBin(["plan", file], env);
      expect(run.code).toBe(2);
      stderr = lines(run.stderr);
    });
    expect(stderr).toEqual([`${file}:${line}:15: links[19000] (app-19000): provider must be github or bitbucket, not "gitlab"`]);
    expect(requests).toBe(0);
  });

  test("a file over the 16 MiB limit is refused at FILE:1:1 without being parsed, by the loader, by apply --yes, and as text", async () => {
    // Valid YAML all the way: one comment line repeated past the limit, so only the size can refuse it.
    const filler = `# ${"x".repeat(1021)}\n`;
    const text = `apiVersion: sourcelinks/v1\n${filler.repeat(17 * 1024)}`;
    const file = join(tmp, "huge.yaml");
    await writeFile(file, text);
    expect(text.length).toBeGreaterThan(MAX_FILE_BYTES);
    const message = `the file is 17 MiB, over the 16 MiB limit for one configuration file: split it into several files (they merge: sourcelinks validate base.yaml teams/*.yaml)`;
    await expect(loadConfigFiles([file])).rejects.toThrow(new ConfigError([{ file, line: 1, column: 1, message }]));
    expect(() => loadConfigTexts([{ file: "huge.yaml", text }])).toThrow(
      new ConfigError([{ file: "huge.yaml", line: 1, column: 1, message }]),
    );
    const requests = await requestsDuring(sandbox, async () => {
      const run = await runBin(["apply", file, "--yes"], env);
      expect({ code: run.code, stderr: lines(run.stderr) }).toEqual({ code: 2, stderr: [`${file}:1:1: ${message}`] });
    });
    expect(requests).toBe(0);
  });

  test(
    "100,000 unknown keys: validate lists the first 100 problems at their lines, then counts the rest (exit 2)",
    async () => {
      const keys = Array.from({ length: 100_000 }, (_, i) => `x${i}: ${i}`);
      const file = join(tmp, "unknown-keys.yaml");
      await writeFile(file, [...HEADER, ...keys].join("\n") + "\n");
      const run = await runBin(["validate", file], env);
      const out = lines(run.stderr);
      expect(run.code).toBe(2);
      expect(out).toHaveLength(101);
      expect(out[0]).toBe(
        `${file}:8:1: unknown top-level key "x0": allowed keys are apiVersion, buildService, providers, links, orgAccess, sweeps, builds`,
      );
      expect(out[99]).toBe(
        `${file}:107:1: unknown top-level key "x99": allowed keys are apiVersion, buildService, providers, links, orgAccess, sweeps, builds`,
      );
      expect(out[100]).toBe("and 99,900 more problems: only the first 100 are listed; fix them and run again");
    },
    CPU_BOUND_TIMEOUT_MS,
  );

  test("20,000 links with an error each: the loader reports the first 100 and counts the rest", () => {
    const links = Array.from({ length: 20_000 }, (_, i) => `  - {name: a${i}, namespace: acme, provider: github, account: b, x: 1}`);
    const error = configErrorOf([...HEADER, "links:", ...links].join("\n") + "\n");
    expect(error.diagnostics).toHaveLength(100);
    expect(error.diagnostics[0]).toEqual({
      file: "test.yaml",
      line: 9,
      column: 63,
      message:
        'links[0] (a0) has unknown key "x": allowed keys are name, namespace, team, provider, account, serviceAccount, state, repositories, onRevoke, onDelete, onRelink, aliases, manualSteps',
    });
    expect(error.diagnostics[99]?.line).toBe(108);
    expect(error.omitted).toBe(19_900);
    expect(error.message.split("\n").at(-1)).toBe("and 19,900 more problems: only the first 100 are listed; fix them and run again");
  });

  test("a large file (over 512 KiB) with a duplicate key at its end is refused at that key, by js-yaml's parse alone", () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `x${i}: ${i}`);
    const text = [...HEADER, ...keys, "x5: again"].join("\n") + "\n";
    expect(text.length).toBeGreaterThan(512 * 1024);
    const error = configErrorOf(text);
    expect(error.diagnostics).toEqual([{ file: "test.yaml", line: 60_008, column: 1, message: "invalid YAML: Map keys must be unique" }]);
  });

  test("a device that never ends (/dev/zero) is refused without being read", async () => {
    await expect(loadConfigFiles(["/dev/zero"])).rejects.toThrow(
      new ConfigError([
        {
          file: "/dev/zero",
          line: 1,
          column: 1,
          message: "cannot read the configuration file (it is a device, not a regular file): pass the path of a YAML file",
        },
      ]),
    );
  });

  test("a named pipe (FIFO) nobody writes to is refused at once, by the loader and by validate (exit 2), instead of hanging", async () => {
    const fifo = join(tmp, "config.fifo");
    execFileSync("mkfifo", [fifo]);
    const message = "cannot read the configuration file (it is a named pipe (FIFO), not a regular file): pass the path of a YAML file";
    await expect(loadConfigFiles([fifo])).rejects.toThrow(new ConfigError([{ file: fifo, line: 1, column: 1, message }]));
    const run = await runBin(["validate", fifo], env);
    expect({ code: run.code, stderr: lines(run.stderr) }).toEqual({ code: 2, stderr: [`${fifo}:1:1: ${message}`] });
  });
});

describe("alias bombs are refused before anything expands them", () => {
  /** `levels` anchors, each a list of `width` aliases to the one before: width^levels values when expanded. */
  function bomb(levels: number, width: number, flowMappings = false): string {
    const out = ["apiVersion: sourcelinks/v1", "x-anchors:", `  l0: &l0 ${flowMappings ? "{a: lol}" : "[lol]"}`];
    for (let i = 1; i <= levels; i++) {
      const items = Array.from({ length: width }, (_, k) => (flowMappings ? `k${k}: *l${i - 1}` : `*l${i - 1}`)).join(", ");
      out.push(`  l${i}: &l${i} ${flowMappings ? `{${items}}` : `[${items}]`}`);
    }
    out.push(`links: *l${levels}`);
    return out.join("\n") + "\n";
  }

  // 10^40 values: anything that walked the expansion (the schema validator, a semantic check, a message)
  // would never return, so finishing at all, within vitest's timeout, is the time bound; heap is measured.
  test.each([
    { name: "lists", flowMappings: false },
    { name: "mappings", flowMappings: true },
  ])("a 10^40-value bomb of $name is refused at the alias that crosses the budget, using little memory", ({ flowMappings }) => {
    const text = bomb(40, 10, flowMappings);
    const heapBefore = process.memoryUsage().heapUsed;
    const error = (() => {
      try {
        loadConfigTexts([{ file: "bomb.yaml", text }]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(error).toBeInstanceOf(ConfigError);
    // 45 values are written (l0 holds 2, each level is one list or mapping of aliases), so the budget is
    // 10,045. Read in order, l0..l3 come to 2,348 values and each alias to l3 adds 2,111: the 4th alias
    // in l4 (line 7) crosses the budget, at column 27 ("  l4: &l4 [" + 3 × "*l3, ") or 43 ("k3: *l3").
    expect((error as ConfigError).diagnostics).toEqual([
      {
        file: "bomb.yaml",
        line: 7,
        column: flowMappings ? 43 : 27,
        message: expect.stringMatching(
          /^YAML aliases \(\*name\) would expand this file beyond [\d,]+ values from \d+ written ones \(an alias bomb\?\)/,
        ) as unknown as string,
      },
    ]);
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
  });

  test("the yaml package's data (its fallback path) shares aliased values too, and the same check refuses it at the same place", () => {
    const text = bomb(40, 10);
    const fromJsYaml = checkStructure(load(text, { schema: CORE_SCHEMA }));
    const fromYaml = checkStructure(new SourceMap("bomb.yaml", text).document().toJS({ maxAliasCount: -1 }));
    expect(fromJsYaml?.pointer).toBe("/x-anchors/l4/3");
    expect(fromYaml).toEqual(fromJsYaml);
  });

  test("anchors and aliases that repeat a little are still fine", () => {
    const text = readFileSync(EXAMPLE, "utf8")
      .replace(
        "    onRevoke: { webhooks: delete, deployKeys: delete }\n",
        "    onRevoke: &onRevoke { webhooks: delete, deployKeys: delete }\n",
      )
      .replace(/(legacy-worker\]\n) {4}onRevoke: \{ webhooks: delete, deployKeys: delete \}/, "$1    onRevoke: *onRevoke");
    expect(text).toContain("*onRevoke");
    const { config } = loadConfigTexts([{ file: "anchors.yaml", text }]);
    expect(config.links.map((l) => l.onRevoke)).toEqual([
      { webhooks: "delete", deployKeys: "delete" },
      { webhooks: "delete", deployKeys: "delete" },
      { webhooks: "delete", deployKeys: "delete" },
    ]);
  });
});
