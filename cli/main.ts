#!/usr/bin/env node
/** The `sourcelinks` bin (package.json `bin`, compiled to dist/cli/main.js). */
import { processIo } from "./io.js";
import { runCli } from "./program.js";

process.exitCode = await runCli(process.argv.slice(2), processIo());
