/**
 * Every file the CLI reads besides configuration (a saved plan, reports to merge, a policy config,
 * the sandbox's seed and state) must be a regular file under the size cap: a named pipe nobody writes to, an endless
 * device or a directory is refused at once with exit 2 and the file's name, never waited on or read
 * into memory.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_INPUT_BYTES } from "../../cli/input-file.js";
import { EXAMPLE, ensureBuilt, runBin, runCli } from "../support/cli-harness.js";

const tmp = mkdtempSync(join(tmpdir(), "sourcelinks-input-files-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fifo = join(tmp, "input.fifo");
execFileSync("mkfifo", [fifo]);
const folder = join(tmp, "a-folder.json");
mkdirSync(folder);
/** A sparse file a mebibyte over the cap: costs no disk, and its size alone refuses it. */
const huge = join(tmp, "huge.json");
writeFileSync(huge, "");
truncateSync(huge, MAX_INPUT_BYTES + 1024 * 1024);

/** The command line reading `file` as its JSON input, and what the message calls that input. */
const COMMANDS: { name: string; args: (file: string) => string[]; what: string }[] = [
  { name: "apply --plan", args: (file) => ["apply", "--plan", file, "--yes"], what: "saved plan" },
  { name: "report --merge", args: (file) => ["report", "--merge", file, "--format", "json"], what: "report" },
  { name: "check --policy-config", args: (file) => ["check", EXAMPLE, "--policy-config", file], what: "policy config" },
];

const CASES: { name: string; file: string; reason: string }[] = [
  { name: "a named pipe nobody writes to", file: fifo, reason: "it is a named pipe (FIFO), not a regular file" },
  { name: "an endless device", file: "/dev/urandom", reason: "it is a device, not a regular file" },
  { name: "a directory", file: folder, reason: "it is a directory" },
  { name: "a file over the size cap", file: huge, reason: "it is 65 MiB, over the 64 MiB limit" },
];

describe.each(COMMANDS)("$name", ({ args, what }) => {
  it.each(CASES)("refuses $name with exit 2, naming the file", async ({ file, reason }) => {
    const run = await runCli(args(file), {});
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: "",
      stderr: `${file}: cannot read the ${what}: ${reason}\n`,
    });
  });
});

describe("sandbox --seed and --state", () => {
  beforeAll(() => ensureBuilt(), 240_000);

  it("refuses a named pipe or a device as the seed with exit 2, naming the file, instead of hanging or reading forever", async () => {
    for (const [file, reason] of [
      [fifo, "it is a named pipe (FIFO), not a regular file"],
      ["/dev/urandom", "it is a device, not a regular file"],
    ] as const) {
      const run = await runBin(["sandbox", "--port", "0", "--seed", file], {});
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
        code: 2,
        stdout: "",
        stderr: `invalid sandbox seed:\n  ${file}: cannot read the seed: ${reason}\n`,
      });
    }
  });

  it("refuses a named pipe as the state file with exit 2, naming the file", async () => {
    const run = await runBin(["sandbox", "--port", "0", "--state", fifo], {});
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: "",
      stderr: `sandbox: state file ${fifo}: it is a named pipe (FIFO), not a regular file; remove it or pass a seed\n`,
    });
  });
});
