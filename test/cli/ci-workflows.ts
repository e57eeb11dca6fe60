/**
 * The examples/ci workflows as GitHub's own parser reads them (@actions/workflow-parser): its schema
 * errors, and the parsed document as plain values, so tests assert on steps, not on text a comment
 * could satisfy.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  convertWorkflowTemplate,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
  NoOperationTraceWriter,
  parseWorkflow,
} from "@actions/workflow-parser";
import { ROOT } from "../support/cli-harness.js";

/** A node of the parsed document. */
type TemplateToken = NonNullable<ReturnType<typeof parseWorkflow>["value"]>;

/** One step: an action (`uses`, `with`) or a shell command (`run`). */
export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

/** One job. */
export interface Job {
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}

/** A workflow file's parsed document. */
export interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

/** What the parser made of a workflow: its errors (parsing and conversion) and the document. */
export interface ParsedWorkflow {
  errors: string[];
  workflow: Workflow;
}

/** A token as a plain value; an expression (`${{ … }}`) as its text. */
function plain(token: TemplateToken): unknown {
  if (isMapping(token)) {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < token.count; i++) {
      const pair = token.get(i);
      object[pair.key.toString()] = plain(pair.value);
    }
    return object;
  }
  if (isSequence(token)) return Array.from({ length: token.count }, (_, i) => plain(token.get(i)));
  if (isString(token) || isNumber(token) || isBoolean(token)) return token.value;
  return token.toString();
}

/** examples/ci/NAME, parsed and converted as GitHub Actions does. */
export async function parseExampleWorkflow(name: string): Promise<ParsedWorkflow> {
  const content = readFileSync(join(ROOT, "examples/ci", name), "utf8");
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  if (parsed.value === undefined)
    return { errors: parsed.context.errors.getErrors().map((e) => e.message), workflow: { on: {}, jobs: {} } };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const errors = new Set([...parsed.context.errors.getErrors().map((e) => e.message), ...(template.errors ?? []).map((e) => e.Message)]);
  return { errors: [...errors], workflow: plain(parsed.value) as Workflow };
}

/** Every step of every job, in file order. */
export function stepsOf(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

/** Separates simple commands: newline, `;`, `&&`, `||`, `|`, `&`. */
const SEPARATOR = /[\n;&|]/;
/** Starts a redirection (`>`, `>>`, `2>`, `<`): it and its target are not arguments. */
const REDIRECT = /^\d*[<>]/;

/**
 * The simple commands of a step's shell script, each as its words, in order: comments dropped, quotes
 * removed (their text kept as it is, unexpanded), continued lines joined, redirections left out. A
 * commented-out command, or a flag named in a comment, is no command and no argument.
 */
export function shellCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | null = null;
  const endWord = (): void => {
    if (word !== null) words.push(word);
    word = null;
  };
  const endCommand = (): void => {
    endWord();
    const args: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as string;
      if (!REDIRECT.test(w)) args.push(w);
      else if (/[<>]$/.test(w)) i++; // `> file`: the target is the next word
    }
    if (args.length > 0) commands.push(args);
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i] as string;
    if (c === "\\" && script[i + 1] === "\n") i++;
    else if (c === "\\") word = (word ?? "") + (script[++i] ?? "");
    else if (c === "'" || c === '"') {
      const end = script.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed ${c} in: ${script}`);
      word = (word ?? "") + script.slice(i + 1, end);
      i = end;
    } else if (c === "#" && word === null) {
      while (i + 1 < script.length && script[i + 1] !== "\n") i++;
    } else if (SEPARATOR.test(c)) endCommand();
    else if (c === " " || c === "\t") endWord();
    else word = (word ?? "") + c;
  }
  endCommand();
  return commands;
}

/** Every `npx --no-install sourcelinks …` command of the workflow's shell steps, as its arguments after `sourcelinks`, in order. */
export function sourcelinksCommands(workflow: Workflow): string[][] {
  return stepsOf(workflow)
    .flatMap((s) => shellCommands(s.run ?? ""))
    .filter((argv) => argv[0] === "npx" && argv[1] === "--no-install" && argv[2] === "sourcelinks")
    .map((argv) => argv.slice(3));
}
