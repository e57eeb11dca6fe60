/** `sourcelinks sandbox [--port N] [--state FILE] [--seed FILE]`: the loopback fake of all three services. */
import { InvalidArgumentError, type Command } from "commander";
import type { ExitCodeValue } from "../exit-codes.js";
import type { CliIo } from "../io.js";

/** Options of `sandbox`. */
export interface SandboxCliOptions {
  port?: number;
  state?: string;
  seed?: string;
}

/** A TCP port (0 picks a free one). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("expected a port number from 0 to 65535");
  return n;
}

/** Adds `sandbox` to the program. */
export function registerSandbox(program: Command, _io: CliIo, finish: (code: ExitCodeValue) => void): void {
  program
    .command("sandbox")
    .description("serve the sandbox (build service, GitHub and Bitbucket fakes) on 127.0.0.1 until SIGINT or SIGTERM")
    .option("--port <n>", "TCP port; 0 picks a free one", parsePort)
    .option("--state <file>", "persist the world in this JSON file (resumed on the next start)")
    .option(
      "--seed <file>",
      "seed YAML describing the world (default: the demo world); with --state, only when the state file does not exist yet",
    )
    .addHelpText(
      "after",
      `
On start it prints one JSON line on stdout: {"baseUrl": "http://127.0.0.1:PORT", "env": {…}}. With
those variables in the environment, every other command talks to the sandbox.

Examples:
  $ sourcelinks sandbox --port 8787
  $ sourcelinks sandbox --seed my-world.yaml --state /tmp/world.json
  $ sourcelinks sandbox > sandbox.json &   # read baseUrl and env from the first line`,
    )
    .action(async (options: SandboxCliOptions) => {
      // Loaded on demand: the other commands need none of the sandbox.
      const { runSandboxCommand } = await import("../../sandbox/command.js");
      const code = await runSandboxCommand({
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.state !== undefined ? { state: options.state } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      });
      finish(code === 0 ? 0 : code === 2 ? 2 : 1);
    });
}
