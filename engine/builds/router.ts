/**
 * The rule matcher as CI runs it: the GitHub router step's script and the Bitbucket gate both carry
 * the source of `matchAutobuildRules` (matcher.ts) and the build's rule table, so the CI files decide
 * exactly as `builds tags` does. Only the way each CI describes its event differs.
 */
import { matchAutobuildRules, type RuleTable } from "./matcher.js";

/** The heredoc delimiter of the Bitbucket gate; no line of the matcher or the JSON table is this word. */
export const GATE_DELIMITER = "SOURCELINKS_AUTOBUILD_RULES";

/**
 * The table and the matcher as JavaScript statements. `${{` never appears: GitHub would read it as
 * an expression inside `script:`, so a `$` in the table's strings is written as its JSON escape.
 */
function matcherStatements(table: RuleTable): string {
  const json = JSON.stringify(table).replace(/\$/g, "\\u0024");
  const source = matchAutobuildRules.toString();
  if (source.includes("${{")) throw new Error("the matcher's source holds '${{', which GitHub would evaluate: rewrite that line");
  return `const table = ${json};\n${source}\n`;
}

/**
 * The `script` of the router step (`actions/github-script`, the body of an async function of
 * `github, context, core, glob, io, exec, require`): it reads only the event and sets the output
 * `builds` to what `builds tags --format json` prints as `builds` for the same ref.
 */
export function routerScript(table: RuleTable, image: string): string {
  return [
    `// Docker's build rules of ${image}, rendered by sourcelinks: the same matcher as \`sourcelinks builds tags\`.`,
    matcherStatements(table),
    "const pull = context.eventName === 'pull_request' ? context.payload.pull_request : undefined;",
    "const event = pull",
    "  ? { ref: context.ref, pullRequest: { base: pull.base.ref, fork: !pull.head.repo || pull.head.repo.full_name !== pull.base.repo.full_name } }",
    "  : { ref: context.ref };",
    "const builds = matchAutobuildRules(table, event);",
    'core.setOutput("builds", JSON.stringify(builds));',
    "",
  ].join("\n");
}

/**
 * The Bitbucket gate, one shell command: runs the matcher under Node on Bitbucket's variables
 * (`BITBUCKET_BRANCH`, `BITBUCKET_TAG`, `BITBUCKET_PR_ID`, `BITBUCKET_PR_DESTINATION_BRANCH`) and exports
 * `SOURCELINKS_BUILDS`, the JSON `builds` array. Bitbucket runs no pipeline for a fork's pull request
 * in the parent repository, so a pull request here is always internal.
 */
export function bitbucketGate(table: RuleTable): string {
  return [
    `SOURCELINKS_BUILDS="$(node - <<'${GATE_DELIMITER}'`,
    matcherStatements(table),
    "const env = process.env;",
    "const event = env.BITBUCKET_PR_ID",
    "  ? { ref: 'refs/pull/' + env.BITBUCKET_PR_ID + '/merge', pullRequest: { base: env.BITBUCKET_PR_DESTINATION_BRANCH || '', fork: false } }",
    "  : env.BITBUCKET_TAG",
    "    ? { ref: 'refs/tags/' + env.BITBUCKET_TAG }",
    "    : { ref: env.BITBUCKET_BRANCH ? 'refs/heads/' + env.BITBUCKET_BRANCH : '' };",
    "process.stdout.write(JSON.stringify(matchAutobuildRules(table, event)));",
    GATE_DELIMITER,
    ')"',
    "export SOURCELINKS_BUILDS",
  ].join("\n");
}
