/**
 * `check --policy-config FILE`: the JSON that `pulumi preview --policy-pack-config FILE` takes, read
 * the same way, so the CLI and the pack never disagree on levels. Keys are policy names (a rule's id,
 * or its `<id>-stack` twin) or `all`; values are a level or `{ enforcementLevel, …config }`. The more
 * specific key wins: the rule's own name, then its `-stack` twin, then `all`. `remediate` counts as
 * mandatory here (the CLI reports; only the pack rewrites), and `webhook-hygiene`'s
 * `allowedRepositories` applies as in the pack.
 */
import { ruleList, type EvaluateOptions, type RuleId } from "../policies/rules/index.js";
import type { Enforcement } from "../policies/rules/types.js";
import { CliError, ExitCode } from "./exit-codes.js";

const LEVELS: Record<string, Enforcement> = { mandatory: "mandatory", remediate: "mandatory", advisory: "advisory", disabled: "disabled" };

/** Parses a policy pack config; anything malformed is invalid input (exit 2) naming the file and key. */
export function parsePolicyConfig(text: string, file: string): EvaluateOptions {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(ExitCode.invalidInput, `${file}: not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new CliError(ExitCode.invalidInput, `${file}: a policy config is a JSON object of policy names`);
  const entries = value as Record<string, unknown>;
  const known = new Set(["all", ...ruleList.flatMap((r) => [r.id, `${r.id}-stack`])]);
  const problems: string[] = [];
  const levelOf = (key: string): Enforcement | undefined => {
    const entry = entries[key];
    if (entry === undefined) return undefined;
    const raw = typeof entry === "object" && entry !== null ? (entry as { enforcementLevel?: unknown }).enforcementLevel : entry;
    if (raw === undefined) return undefined;
    const level = typeof raw === "string" ? LEVELS[raw] : undefined;
    if (level === undefined) problems.push(`${file}: ${key}: enforcement level must be one of advisory, mandatory, remediate, disabled`);
    return level;
  };
  for (const key of Object.keys(entries))
    if (!known.has(key)) problems.push(`${file}: unknown policy "${key}" (known: ${[...known].join(", ")})`);
  const enforcement: Partial<Record<RuleId, Enforcement>> = {};
  const all = levelOf("all");
  for (const rule of ruleList) {
    const level = levelOf(rule.id) ?? levelOf(`${rule.id}-stack`) ?? all;
    if (level !== undefined) enforcement[rule.id] = level;
  }
  let allowedRepositories: string[] | undefined;
  for (const key of ["webhook-hygiene", "webhook-hygiene-stack"]) {
    const entry = entries[key];
    if (typeof entry !== "object" || entry === null || !("allowedRepositories" in entry)) continue;
    const list = (entry as { allowedRepositories: unknown }).allowedRepositories;
    if (!Array.isArray(list) || !list.every((r) => typeof r === "string"))
      problems.push(`${file}: ${key}.allowedRepositories must be a list of repository patterns`);
    else allowedRepositories = [...(allowedRepositories ?? []), ...list];
  }
  if (problems.length > 0) throw new CliError(ExitCode.invalidInput, problems);
  return { enforcement, ...(allowedRepositories === undefined ? {} : { allowedRepositories }) };
}
