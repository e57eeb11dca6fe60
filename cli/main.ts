#!/usr/bin/env node
/** The `sourcelinks` bin (package.json `bin`, compiled to dist/cli/main.js). */
import { unsupportedNodeMessage } from "../engine/model/node-support.cjs";

// Checked before the program is loaded (hence the dynamic imports below): on an unsupported Node the
// user gets the versions that work, not a crash from somewhere in the module graph.
const refusal = unsupportedNodeMessage("sourcelinks", process.versions.node);
if (refusal !== undefined) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}

const { processIo } = await import("./io.js");
const { runCli } = await import("./program.js");

// A reader that stops early (`sourcelinks plan … | head`) closes the pipe: stop quietly, as Unix tools
// do, instead of an unhandled EPIPE with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
