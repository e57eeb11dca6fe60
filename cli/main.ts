#!/usr/bin/env node
/** The `sourcelinks` bin (package.json `bin`, compiled to dist/cli/main.js). */
import { processIo } from "./io.js";
import { runCli } from "./program.js";

// A reader that stops early (`sourcelinks plan … | head`) closes the pipe: stop quietly, as Unix tools
// do, instead of an unhandled EPIPE with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
