/** `sourcelinks validate FILE...`: schema and semantics only, no network (exit 0, or 2 with located errors). */
import type { Command } from "commander";
import { ExitCode, type ExitCodeValue } from "../exit-codes.js";
import { plural } from "../format/observed-summary.js";
import type { CliIo } from "../io.js";
import { loadConfig } from "../load-config.js";

/** Runs `validate`. */
export async function runValidate(files: string[], io: CliIo): Promise<ExitCodeValue> {
  const { config } = await loadConfig(files);
  io.out(`${files.join(", ")}: valid (${plural(config.links.length, "link")}, ${plural(config.orgAccess.length, "org access entry", "org access entries")})`);
  return ExitCode.ok;
}

/** Adds `validate` to the program. */
export function registerValidate(program: Command, io: CliIo, finish: (code: ExitCodeValue) => void): void {
  program
    .command("validate")
    .description("check configuration files against the schema and the semantic rules, without any network access")
    .argument("<file...>", "sourcelinks/v1 YAML files; they merge, and duplicates are errors")
    .addHelpText(
      "after",
      `
Exit codes: 0 valid, 2 invalid (each problem on stderr as FILE:LINE:COL: message).

Examples:
  $ sourcelinks validate sourcelinks.yaml
  $ sourcelinks validate base.yaml teams/*.yaml`,
    )
    .action(async (files: string[]) => finish(await runValidate(files, io)));
}
