#!/usr/bin/env node
/**
 * `node dist/sandbox/main.js [--port N] [--state FILE] [--seed FILE] [--time-scale S] [--limits] [--quiet]`:
 * the sandbox without the CLI. Prints one JSON line, serves until SIGINT/SIGTERM, exits 0.
 */
import { parseArgs } from "node:util";
import { runSandboxCommand } from "./command.js";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    state: { type: "string" },
    seed: { type: "string" },
    "time-scale": { type: "string" },
    limits: { type: "boolean" },
    quiet: { type: "boolean" },
  },
  strict: true,
});

const port = values.port === undefined ? undefined : Number(values.port);
const timeScale = values["time-scale"] === undefined ? undefined : Number(values["time-scale"]);
if ((port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) || (timeScale !== undefined && !(timeScale > 0))) {
  process.stderr.write("usage: main.js [--port N] [--state FILE] [--seed FILE] [--time-scale S] [--limits] [--quiet]\n");
  process.exit(2);
}
process.exitCode = await runSandboxCommand({
  ...(port !== undefined ? { port } : {}),
  ...(values.state !== undefined ? { state: values.state } : {}),
  ...(values.seed !== undefined ? { seed: values.seed } : {}),
  ...(timeScale !== undefined ? { timeScale } : {}),
  ...(values.limits ? { limits: { enabled: true } } : {}),
  quiet: values.quiet ?? false,
});
