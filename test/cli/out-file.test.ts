/**
 * `plan --out` and `report --out` write the whole file or nothing: a disk that fills up mid-write
 * (a file system that fails as a full one does) leaves the previous file, or none, and no temporary
 * file, and the run says what failed (exit 1). `--out` never writes through a symbolic link and never
 * replaces one of the command's own input files (exit 2, before anything is observed).
 */
import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realOutFileSystem, type OutFileSystem } from "../../cli/out-file.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { EXAMPLE, runCli } from "../support/cli-harness.js";

let sandbox: SandboxHandle;
let env: Record<string, string>;
let tmp: string;

beforeAll(async () => {
  sandbox = await startSandbox({});
  env = { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-out-file-"));
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A file system whose disk fills up after `room` bytes of a new file: the part that fit stays on disk, as on a real full disk. */
function fullDisk(room: number): OutFileSystem & { written: string[] } {
  const written: string[] = [];
  return {
    written,
    async writeNew(path, text) {
      written.push(path);
      writeFileSync(path, text.slice(0, room), { flag: "wx" });
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: "ENOSPC", errno: -28, syscall: "write" });
    },
    rename: realOutFileSystem.rename,
    remove: realOutFileSystem.remove,
  };
}

/** A fresh empty folder for one test. */
function folder(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  return dir;
}

describe("--out on a full disk", () => {
  it("plan: exit 1 naming the file and the failure, the plan still printed, no file and no temporary file left", async () => {
    const dir = folder("plan-full");
    const out = join(dir, "plan.json");
    const disk = fullDisk(100);
    const run = await runCli(["plan", EXAMPLE, "--out", out], env, { outFiles: disk });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`sourcelinks: cannot write the plan to ${out} (ENOSPC, no space left on device); ${out} was left as it was\n`);
    expect(run.stdout).toContain("Plan:");
    // The write was tried in the same folder, then removed.
    expect(disk.written.map((p) => p.startsWith(`${dir}/`))).toEqual([true]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("plan: a plan saved before is left whole", async () => {
    const dir = folder("plan-kept");
    const out = join(dir, "plan.json");
    expect((await runCli(["plan", EXAMPLE, "--out", out], env)).code).toBe(0);
    const before = readFileSync(out, "utf8");
    const run = await runCli(["plan", EXAMPLE, "--out", out], env, { outFiles: fullDisk(10) });
    expect(run.code).toBe(1);
    expect(readFileSync(out, "utf8")).toBe(before);
    expect(readdirSync(dir)).toEqual(["plan.json"]);
  });

  it("report: exit 1 naming the file, no file and no temporary file left", async () => {
    const dir = folder("report-full");
    const out = join(dir, "report.html");
    const run = await runCli(["report", EXAMPLE, "--out", out, "--as-of", "2026-12-01"], env, { outFiles: fullDisk(100) });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `sourcelinks: cannot write the report to ${out} (ENOSPC, no space left on device); ${out} was left as it was\n`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("--out that would overwrite something else", () => {
  it("plan cfg.yaml --out cfg.yaml is refused (exit 2) and the configuration stays", async () => {
    const dir = folder("plan-input");
    const config = join(dir, "sourcelinks.yaml");
    const text = readFileSync(EXAMPLE, "utf8");
    writeFileSync(config, text);
    const run = await runCli(["plan", config, "--out", config], env);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: "",
      stderr: `sourcelinks: --out ${config}: is an input of this command: write the output to another file; nothing was run\n`,
    });
    expect(readFileSync(config, "utf8")).toBe(text);
  });

  it("an input under another name (a hard link) is refused too", async () => {
    const dir = folder("plan-hard-link");
    const config = join(dir, "sourcelinks.yaml");
    writeFileSync(config, readFileSync(EXAMPLE, "utf8"));
    const alias = join(dir, "alias.json");
    linkSync(config, alias);
    const run = await runCli(["plan", config, "--out", alias], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `sourcelinks: --out ${alias}: is the input ${config} of this command: write the output to another file; nothing was run\n`,
    );
  });

  it("report --merge r.json --out r.json is refused (exit 2) and the report stays", async () => {
    const dir = folder("report-input");
    const report = join(dir, "r.json");
    expect((await runCli(["report", EXAMPLE, "--format", "json", "--out", report, "--as-of", "2026-12-01"], env)).code).toBe(0);
    const text = readFileSync(report, "utf8");
    const run = await runCli(["report", "--merge", report, "--format", "json", "--out", report], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `sourcelinks: --out ${report}: is an input of this command: write the output to another file; nothing was run\n`,
    );
    expect(readFileSync(report, "utf8")).toBe(text);
  });

  it("a symbolic link is not written through (exit 2): the link and its target stay", async () => {
    const dir = folder("symlink");
    const target = join(dir, "precious.txt");
    writeFileSync(target, "keep me\n");
    const link = join(dir, "plan.json");
    symlinkSync(target, link);
    for (const args of [
      ["plan", EXAMPLE, "--out", link],
      ["report", EXAMPLE, "--out", link],
    ]) {
      const run = await runCli(args, env);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `sourcelinks: --out ${link}: is a symbolic link: --out writes a file of its own, never through a link; nothing was run\n`,
      );
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, "utf8")).toBe("keep me\n");
  });
});
