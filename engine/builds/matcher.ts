/**
 * The one implementation of "which rules build this ref, with which tags". `builds tags` calls it,
 * and the rendered CI files carry its source text (`Function.prototype.toString`) next to the rule
 * table, so the GitHub router step and the Bitbucket gate cannot drift from the CLI. It is therefore
 * self-contained: no imports, no helpers outside its body, only what Node and github-script provide.
 */

/** One rule as the matcher reads it: sources parsed, tags split, paths from the repository root. */
export interface RuleRow {
  /** 1-based position among the build's rules. */
  rule: number;
  sourceType: "branch" | "tag";
  /** The exact name for a literal source, or the pattern (without slashes) for a regex source. */
  source: string;
  regex: boolean;
  tags: string[];
  push: boolean;
  dockerfile: string;
  context: string;
}

/** A build's rules and its Autotest setting: everything the matcher needs, serializable as JSON. */
export interface RuleTable {
  autotest: "off" | "internal" | "external";
  rules: RuleRow[];
}

/** What triggered a run: a pushed ref, or a pull request into a base branch (from a fork or not). */
export interface RefEvent {
  ref: string;
  pullRequest?: { base: string; fork: boolean };
}

/** One build a ref starts, in `builds tags --format json`'s shape. */
export interface BuildMatch {
  rule: number;
  tags: string[];
  push: boolean;
  dockerfile: string;
  context: string;
}

/**
 * The builds `event` starts under `table`, in rule order. A branch or tag rule matches its exact
 * name, or a regex source found anywhere in the name (Docker anchors with ^ and $ where it means
 * to); `{sourceref}` is the whole name and `{\N}` the regex's group N (empty when it took no part).
 * A pull request is Autotest: the branch rules matching its base branch, built and tested, never pushed.
 */
export function matchAutobuildRules(table: RuleTable, event: RefEvent): BuildMatch[] {
  let sourceType: "branch" | "tag";
  let name: string;
  const pull = event.pullRequest;
  if (pull !== undefined) {
    if (table.autotest === "off" || (pull.fork && table.autotest !== "external")) return [];
    sourceType = "branch";
    name = pull.base;
  } else if (event.ref.startsWith("refs/heads/")) {
    sourceType = "branch";
    name = event.ref.slice("refs/heads/".length);
  } else if (event.ref.startsWith("refs/tags/")) {
    sourceType = "tag";
    name = event.ref.slice("refs/tags/".length);
  } else {
    return [];
  }
  const builds: BuildMatch[] = [];
  for (const row of table.rules) {
    if (row.sourceType !== sourceType) continue;
    let groups: (string | undefined)[] = [];
    if (row.regex) {
      const found = new RegExp(row.source).exec(name);
      if (found === null) continue;
      groups = [...found];
    } else if (row.source !== name) {
      continue;
    }
    const tags: string[] = [];
    for (const template of row.tags) {
      const tag = template.replace(/\{sourceref\}|\{\\([1-9])\}/g, (_whole: string, group: string | undefined) =>
        group === undefined ? name : (groups[Number(group)] ?? ""),
      );
      if (!tags.includes(tag)) tags.push(tag);
    }
    builds.push({ rule: row.rule, tags, push: pull === undefined && row.push, dockerfile: row.dockerfile, context: row.context });
  }
  return builds;
}
