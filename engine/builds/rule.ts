/**
 * Docker's build-rule semantics, pure: what a rule's source, tag, Dockerfile and context mean, the
 * problems Docker's UI would refuse, and the paths from the repository root that CI builds with.
 */
import type { BuildRuleSpec } from "../model/build-spec.js";

/** Docker Hub supports up to nine capture groups, `{\1}` … `{\9}`. */
export const MAX_GROUPS = 9;

/** A rule's source: an exact branch or tag name, or a regular expression (written `/…/`). */
export type ParsedSource = { kind: "literal"; name: string } | { kind: "regex"; pattern: string; groups: number };

/** A problem in one field of a rule, for a `FILE:LINE:COL` message at that field. */
export interface RuleProblem {
  field: "source" | "tag" | "dockerfile" | "context";
  message: string;
}

/** Docker's tag grammar: a word character, then up to 127 word characters, `.` or `-`. */
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** `{sourceref}` and `{\1}`…`{\9}`, the only placeholders Docker replaces. */
const PLACEHOLDER = /\{sourceref\}|\{\\([1-9])\}/g;
/** Path characters CI files may carry unquoted in shell and YAML. */
const PATH_CHARACTERS = /^[A-Za-z0-9._/@+-]*$/;

/** Whether `source` is a regular expression in Docker's notation. */
export function isRegexSource(source: string): boolean {
  return source.length >= 2 && source.startsWith("/") && source.endsWith("/");
}

/** Parses a source; a regex that does not compile is an `Error` with the engine's reason. */
export function parseSource(source: string): ParsedSource | Error {
  if (!isRegexSource(source)) return { kind: "literal", name: source };
  const pattern = source.slice(1, -1);
  try {
    new RegExp(pattern);
    // An alternative that matches the empty string makes every group report, so its count is known.
    const groups = (new RegExp(`${pattern}|`).exec("")?.length ?? 1) - 1;
    return { kind: "regex", pattern, groups };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The tag templates of a rule's `tag` field (comma-separated, trimmed, blanks dropped). */
export function tagTemplates(tag: string): string[] {
  return tag
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

/** Every problem Docker would refuse in a rule, by field. */
export function ruleProblems(rule: BuildRuleSpec): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const source = parseSource(rule.source);
  let groups = 0;
  if (source instanceof Error) {
    problems.push({
      field: "source",
      message: `is not a valid regular expression (${source.message}): fix it, or write a plain ${rule.sourceType} name without the slashes`,
    });
  } else if (source.kind === "regex") {
    groups = source.groups;
    if (groups > MAX_GROUPS)
      problems.push({
        field: "source",
        message: `has ${groups} capture groups, but Docker supports at most ${MAX_GROUPS} ({\\1} … {\\9}): make the extra groups non-capturing, (?:…)`,
      });
  } else if (rule.source.trim() !== rule.source || rule.source === "") {
    problems.push({ field: "source", message: `has leading or trailing spaces, which no ${rule.sourceType} name has: remove them` });
  }

  const templates = tagTemplates(rule.tag);
  if (templates.length === 0)
    problems.push({ field: "tag", message: "names no tag: write a Docker tag such as latest, {sourceref} or v{\\1}" });
  for (const template of templates) {
    const problem = tagTemplateProblem(template, groups, source instanceof Error ? "regex" : source.kind);
    if (problem !== undefined) problems.push({ field: "tag", message: problem });
  }

  for (const field of ["dockerfile", "context"] as const) {
    const problem = pathProblem(rule[field], field === "dockerfile");
    if (problem !== undefined) problems.push({ field, message: problem });
  }
  return problems;
}

/** Why Docker would refuse a tag template, or undefined. */
function tagTemplateProblem(template: string, groups: number, kind: "literal" | "regex"): string | undefined {
  for (const match of template.matchAll(PLACEHOLDER)) {
    const group = match[1];
    if (group === undefined) continue;
    if (kind === "literal")
      return `"${template}" uses {\\${group}}, but the source is not a regular expression (write it /…/ with groups), so there is no group ${group}`;
    if (Number(group) > groups)
      return `"${template}" uses {\\${group}}, but the source's regular expression has ${groups === 1 ? "1 group" : `${groups} groups`}: use {\\1}${groups > 1 ? ` … {\\${groups}}` : ""} or add a group`;
  }
  // Placeholders stand for at least one tag character; what is left must be Docker's characters.
  const filled = template.replace(PLACEHOLDER, "x");
  if (!DOCKER_TAG.test(filled)) {
    const bad = [...filled].find((c) => !/[A-Za-z0-9_.-]/.test(c));
    const why =
      bad === undefined
        ? filled.length > 128
          ? "is longer than Docker's 128 characters"
          : "starts with '.' or '-'"
        : bad === "{" || bad === "}"
          ? "has a placeholder Docker does not know (only {sourceref} and {\\1} … {\\9})"
          : `has the character ${JSON.stringify(bad)}`;
    return `"${template}" is not a tag Docker accepts: it ${why}; a tag is letters, digits, '_', '.' and '-', starting with a letter, digit or '_', at most 128 characters`;
  }
  return undefined;
}

/** Why a Dockerfile or context path cannot be built from, or undefined. */
function pathProblem(path: string, required: boolean): string | undefined {
  if (!PATH_CHARACTERS.test(path))
    return `${JSON.stringify(path)} has characters outside letters, digits and . _ / @ + -: rename the folder or file, so the path stays one word in CI scripts`;
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) return `${JSON.stringify(path)} leaves the repository ('..'): write the path from the repository root`;
  if (required && segments.length === 0) return `${JSON.stringify(path)} names no file: write the Dockerfile's path, e.g. Dockerfile`;
  return undefined;
}

/** A path from the repository root as `builds tags` prints it: no leading `/` or `./`, `.` for the root. */
export function fromRoot(path: string): string {
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  return segments.length === 0 ? "." : segments.join("/");
}

/** A rule's Dockerfile and context from the repository root, by Docker's advanced-options rules. */
export function rulePaths(rule: Pick<BuildRuleSpec, "dockerfile" | "context">): { dockerfile: string; context: string } {
  if (rule.context === "") {
    // An empty context is the Dockerfile's folder; the Dockerfile is then written from the root.
    const dockerfile = fromRoot(rule.dockerfile);
    const slash = dockerfile.lastIndexOf("/");
    return { dockerfile, context: slash < 0 ? "." : dockerfile.slice(0, slash) };
  }
  const context = fromRoot(rule.context);
  const file = fromRoot(rule.dockerfile);
  return { dockerfile: context === "." ? file : `${context}/${file}`, context };
}
