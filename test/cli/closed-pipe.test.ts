/** The CLI whose reader stops early (`sourcelinks --help | head -1`): a quiet stop, no EPIPE trace. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { ensureBuilt } from "../support/ensure-built.js";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

beforeAll(() => ensureBuilt(["dist/cli/main.js"]), 240_000);

it("exits 0 without a stack trace when stdout is closed before the output is written", async () => {
  const child = spawn(process.execPath, [MAIN, "--help"], { env: {}, stdio: ["ignore", "pipe", "pipe"] });
  // The reader is gone before the CLI writes: its first write meets a closed pipe.
  child.stdout.destroy();
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  expect(stderr).not.toContain("EPIPE");
  expect(code).toBe(0);
});
