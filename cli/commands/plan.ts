/**
 * `sourcelinks plan FILE... [--format text|json|markdown] [--detailed-exitcode] [--out PLAN]`: observes
 * the live world through the operations and prints what `apply` would send, without sending anything;
 * `--out` saves it for `apply --plan` (cli/saved-plan.ts).
 */
import { Option, type Command } from "commander";
import { CliError, ExitCode, type ExitCodeValue } from "../exit-codes.js";
import { clientAccountLookup, missingNames } from "../missing-names.js";
import { formatPlanJson, planToJson } from "../format/plan-json.js";
import { formatPlanMarkdown } from "../format/plan-markdown.js";
import { summarize } from "../format/plan-summary.js";
import { formatPlanText } from "../format/plan-text.js";
import { cliOperationContext } from "../context.js";
import { addRefreshOptions, type RefreshOptions } from "../refresh-options.js";
import type { CliIo } from "../io.js";
import { loadConfig } from "../load-config.js";
import { checkOutPath, writeOutFile } from "../out-file.js";
import type { PlanRun } from "../../engine/reconcile/run/entries.js";
import { buildPlanRun } from "../run.js";
import { toSavedPlan } from "../saved-plan.js";

/** Output formats of `plan`. */
export type PlanFormat = "text" | "json" | "markdown";

const FORMATTERS = {
  text: formatPlanText,
  json: formatPlanJson,
  markdown: formatPlanMarkdown,
} satisfies Record<PlanFormat, (run: PlanRun) => string>;

/** Options of `plan`. */
export interface PlanOptions extends RefreshOptions {
  format: PlanFormat;
  detailedExitcode?: boolean;
  /** Where to save the reviewed plan for `apply --plan`. */
  out?: string;
}

/** Runs `plan`: 0, or 4 with `--detailed-exitcode` when apply would send a request. */
export async function runPlan(files: string[], options: PlanOptions, io: CliIo): Promise<ExitCodeValue> {
  if (options.out !== undefined) await checkOutPath(options.out, files);
  const loaded = await loadConfig(files);
  const ctx = cliOperationContext(loaded.config, io.env, options);
  const run = await buildPlanRun(loaded, ctx, io);
  const missing = await missingNames(loaded, run, clientAccountLookup(ctx.clients.providers));
  if (missing.length > 0) throw new CliError(ExitCode.invalidInput, missing);
  // Printed first: a plan that cannot be saved is still worth reading.
  io.out(FORMATTERS[options.format](run));
  if (options.out !== undefined)
    await writeOutFile(options.out, `${JSON.stringify(toSavedPlan(planToJson(run), loaded.config), null, 2)}\n`, "plan", io.outFiles);
  return options.detailedExitcode && summarize(run).hasChanges ? ExitCode.changesPending : ExitCode.ok;
}

/** Adds `plan` to the program. */
export function registerPlan(program: Command, io: CliIo, finish: (code: ExitCodeValue) => void): void {
  addRefreshOptions(program.command("plan"))
    .description(
      "show the requests apply would send (build service, provider revocations, webhook and deploy key deletions) and the manual steps",
    )
    .argument("<file...>", "sourcelinks/v1 YAML files")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .option("--detailed-exitcode", "exit 4 when apply would change something (0 when nothing to do)")
    .option("--out <plan>", "also save the plan for `sourcelinks apply --plan` (JSON; holds no credential)")
    .addHelpText(
      "after",
      `
JSON output follows schema/plan.schema.json (apiVersion sourcelinks.plan/v1). Markdown is meant for a
pull-request comment. Manual steps alone (what no API can do) do not count as changes for
--detailed-exitcode; \`sourcelinks check --live\` reports them until they are done.

Exit codes: 0 ok, 1 API or network error, 2 invalid input, 4 changes pending (with --detailed-exitcode).

Examples:
  $ sourcelinks plan sourcelinks.yaml
  $ sourcelinks plan sourcelinks.yaml --format json > plan.json
  $ sourcelinks plan sourcelinks.yaml --format markdown > plan.md
  $ sourcelinks plan sourcelinks.yaml --out sourcelinks.plan.json && sourcelinks apply --plan sourcelinks.plan.json
  $ sourcelinks plan sourcelinks.yaml --detailed-exitcode || [ $? -eq 4 ] && echo "drift"`,
    )
    .action(async (files: string[], options: PlanOptions) => finish(await runPlan(files, options, io)));
}
