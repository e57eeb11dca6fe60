/**
 * The demo's third part: keeping an autobuild going before its link is revoked. On the demo world
 * afresh, link legacy-builds is to be revoked while acme/legacy-api still builds through it. The plan
 * proposes the replacement (branch, workflow file, secrets, pull request) and holds the revocation
 * back; apply opens the pull request and sets the secrets; the repository's owner merges it, and the
 * sandbox's CI runs the workflow and pushes the tags to its Docker Hub; the next plan verifies the
 * tags and releases the revocation, which `sourcelinks apply` then carries out; the report's
 * Continuity section shows the image, the run and the tags with when they were pushed.
 *
 * `plan` and `apply` do not read builds yet, so the proposal, the verification and the hold are
 * driven through the engine functions they will call (each step says which); the revocation and the
 * report's other sections are the CLI's.
 */
import { createPatch } from "diff";
import { buildKey } from "../../engine/builds/continuity.js";
import { loadConfigFiles } from "../../engine/config/load.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { ReplacementVerdict } from "../../engine/model/replacement-run.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext } from "../../engine/reconcile/context.js";
import { executeReplacementSteps, planReplacements } from "../../engine/reconcile/replacements.js";
import { describeStep } from "../../engine/reconcile/steps/registry.js";
import { heldRevocations, observeAndVerify } from "../../engine/reconcile/verify-replacements.js";
import { buildReport } from "../../cli/report/build.js";
import { renderReportMarkdown } from "../../cli/report/render-markdown.js";
import type { SandboxHandle } from "../../sandbox/server.js";
import type { DemoCli } from "./docker-hub.js";

/** The image whose replacement the part proposes, merges and verifies. */
export const REPLACED_IMAGE = "acme/legacy-api";
/** The link whose revocation waits for it. */
export const HELD_LINK = "legacy-builds";

/** What the replacement part needs from its caller. */
export interface ReplacementDemo {
  run: DemoCli;
  log: (text: string) => void;
  /** The sandbox serving the demo world: its env, and its world for the ground truth. */
  sandbox: Pick<SandboxHandle, "env" | "world">;
  /** The basic example (sourcelinks.yaml, and its builds), as paths the CLI and the loader resolve. */
  config: string[];
  /** The values apply seals into the Actions secrets (Docker Hub login, the build's declared secrets); never printed. */
  secretValues: Record<string, string>;
}

/** Runs the replacement part; resolves to the number of answers that were not as expected. */
export async function runReplacementDemo(demo: ReplacementDemo): Promise<number> {
  let failures = 0;
  let n = 0;
  const heading = (why: string, how: string): void => demo.log(`\n── builds ${++n}. ${why}\n${how}`);
  const expect = (ok: boolean, what: string): void => {
    if (!ok) failures++;
    demo.log(ok ? `(${what}, as expected)` : `!! expected: ${what}`);
  };

  const { config, builds } = await demoConfig(demo.config);
  const ctx = createOperationContext(config, { ...demo.sandbox.env, ...demo.secretValues });
  const replaced = builds.find((b) => b.image === REPLACED_IMAGE);
  if (replaced === undefined) throw new Error(`the example declares no build of ${REPLACED_IMAGE}`);
  const verdictOf = (verdicts: ReadonlyMap<string, ReplacementVerdict>) => verdicts.get(buildKey(replaced));

  heading(
    `Plan: ${REPLACED_IMAGE} has no replacement yet, so the plan proposes one and holds the revocation of ${HELD_LINK} back`,
    "(engine: observeAndVerify, heldRevocations, planReplacements, as plan will call them)",
  );
  const before = await observeAndVerify(ctx, builds);
  const plans = await planReplacements(
    ctx,
    builds.filter((b) => b.replacement !== "none"),
  );
  const steps = plans.flatMap((p) => p.steps);
  for (const step of steps) {
    demo.log(`  + ${describeStep(step)}`);
    if (step.kind === "proposal-file") demo.log(indent(diffHead(step.path, step.previous, step.content)));
  }
  demo.log(`  ${steps.length} step(s) to propose the replacement`);
  const heldBefore = heldRevocations(config.links, builds, before);
  for (const h of heldBefore) for (const b of h.builds) demo.log(`  held back: the revocation of ${h.link}: ${b.reason}`);
  expect(verdictOf(before)?.state === "absent", `${REPLACED_IMAGE}: absent`);
  expect(
    ["proposal-branch", "proposal-file", "proposal-pull-request", "ci-secret"].every((k) => steps.some((s) => s.kind === k)),
    "a branch, the workflow file, the secrets and a pull request proposed",
  );
  expect(
    heldBefore.some((h) => h.link === HELD_LINK),
    `the revocation of ${HELD_LINK} held back`,
  );

  heading(
    "Apply: open the pull request and set the secrets (sealed to the repository's key)",
    "(engine: executeReplacementSteps, as apply will call it)",
  );
  const applied = await executeReplacementSteps(ctx, steps);
  expect(applied.failed === null, `all ${steps.length} step(s) sent`);
  const proposed = await observeAndVerify(ctx, builds);
  const pull = verdictOf(proposed)?.pullRequest ?? null;
  demo.log(`  pull request: ${pull?.url ?? "none"} (${pull?.state ?? "-"})`);
  const secrets = actionsSecrets(demo.sandbox, REPLACED_IMAGE);
  demo.log(`  Actions secrets of ${REPLACED_IMAGE}: ${secrets.map((s) => s.name).join(", ") || "none"}`);
  expect(pull?.state === "open", "the pull request is open");
  expect(
    secrets.length > 0 && secrets.every((s) => demo.secretValues[s.name] === s.value),
    "every secret opened by the sandbox's private key holds the value apply read",
  );
  expect(
    heldRevocations(config.links, builds, proposed).some((h) => h.link === HELD_LINK),
    `the revocation of ${HELD_LINK} still held back: the pull request is not merged`,
  );

  const mergeUrl = `${demo.sandbox.env.SOURCELINKS_GITHUB_API_URL}/repos/${replaced.repository}/pulls/${pull?.number ?? 0}/merge`;
  heading(
    `The repository's owner merges the pull request; the sandbox's CI runs the workflow on ${replaced.repository}'s default branch and pushes the tags`,
    `$ curl -X PUT ${mergeUrl}`,
  );
  const merged = await fetch(mergeUrl, {
    method: "PUT",
    headers: { authorization: `token ${demo.sandbox.env.GITHUB_TOKEN}`, "content-type": "application/json" },
    body: "{}",
  });
  expect(merged.status === 200, `HTTP ${merged.status}: merged`);

  heading(
    "Plan again: the run succeeded and Docker Hub holds its tags, pushed after it started, so the revocation is released",
    "(engine: observeAndVerify, heldRevocations)",
  );
  const after = await observeAndVerify(ctx, builds);
  const verdict = verdictOf(after);
  demo.log(`  ${REPLACED_IMAGE}: ${verdict?.state ?? "-"}, run ${verdict?.run?.url ?? "-"} (${verdict?.run?.conclusion ?? "-"})`);
  for (const tag of verdict?.tags ?? [])
    demo.log(`  tag ${tag.name}: last pushed ${tag.lastPushed ?? "never"}${tag.fresh ? ", after the run started" : ""}`);
  expect(
    verdict?.state === "verified" && (verdict.tags.length ?? 0) > 0 && verdict.tags.every((t) => t.fresh),
    `${REPLACED_IMAGE}: verified`,
  );
  expect(heldRevocations(config.links, builds, after).length === 0, "no revocation held back");

  heading(`Apply: now ${HELD_LINK} is revoked (its grant, webhooks and deploy keys)`, `$ sourcelinks apply ${demo.config.join(" ")} --yes`);
  const apply = await demo.run(["apply", ...demo.config, "--yes"], { capture: true });
  demo.log(indent(linkSection(apply.stdout, HELD_LINK)));
  expect(apply.code === 0, `exit ${apply.code}`);
  const left = buildServiceArtifacts(demo.sandbox, config, HELD_LINK);
  demo.log(`  build-service webhooks and deploy keys left on ${HELD_LINK}'s repositories: ${left}`);
  expect(left === 0, "none left");

  heading(
    "Report: the Continuity section, per image: the replacement's state, the run, and the tags with when they were pushed",
    "(cli/report: buildReport with the verdicts, rendered as markdown)",
  );
  const continuity = continuitySection(builds, after);
  demo.log(continuity);
  expect(continuity.includes(REPLACED_IMAGE) && continuity.includes(verdict?.run?.url ?? "\0"), `${REPLACED_IMAGE} with its run`);
  return failures;
}

/**
 * The example with Docker Hub read through the sandbox, and its builds: acme/legacy-api replaced, the
 * others retired on purpose (`replacement: none`), since legacy-web's rules build nothing for its
 * default branch, so its first run there can never be verified.
 */
async function demoConfig(files: string[]): Promise<{ config: SourcelinksConfig; builds: BuildSpec[] }> {
  const { config: loaded } = await loadConfigFiles(files);
  const builds: BuildSpec[] = (loaded.builds ?? []).map((b) => (b.image === REPLACED_IMAGE ? b : { ...b, replacement: "none" as const }));
  const config: SourcelinksConfig = {
    ...loaded,
    providers: {
      ...loaded.providers,
      dockerHub: loaded.providers.dockerHub ?? {
        apiUrl: "https://hub.docker.com",
        usernameEnv: "DOCKER_HUB_USERNAME",
        tokenEnv: "DOCKER_HUB_READ_TOKEN",
      },
    },
    builds,
  };
  return { config, builds };
}

/** The first lines of the unified diff of a proposed file against what the default branch holds. */
function diffHead(path: string, previous: string | null, content: string, lines = 14): string {
  const patch = createPatch(path, previous ?? "", content, previous === null ? "(none)" : "default branch", "proposed")
    .split("\n")
    .slice(2);
  const shown = patch.slice(0, lines);
  return [...shown, ...(patch.length > lines ? [`… ${patch.length - lines} more line(s)`] : [])].join("\n");
}

/** The lines apply printed for one link (its plan and its result), which this part is about. */
function linkSection(stdout: string, link: string): string {
  const blocks = stdout.split(/\n(?=\S)/);
  const shown = blocks.filter((b) => b.startsWith(`link ${link}:`));
  return shown.length === 0 ? stdout.trimEnd() : shown.map((b) => b.trimEnd()).join("\n");
}

function indent(text: string): string {
  return text.replace(/^/gm, "    ");
}

/** The Actions secrets the sandbox stored (decrypted) on a GitHub repository `owner/name`. */
function actionsSecrets(sandbox: ReplacementDemo["sandbox"], fullName: string): { name: string; value: string }[] {
  const [owner, name] = fullName.split("/");
  return sandbox.world().github.repos.find((r) => r.owner === owner && r.name === name)?.secrets ?? [];
}

/** Webhooks and deploy keys of the build service (the config's patterns) left on a link's GitHub repositories. */
function buildServiceArtifacts(sandbox: ReplacementDemo["sandbox"], config: SourcelinksConfig, linkName: string): number {
  const link = config.links.find((l) => l.name === linkName);
  const service = config.buildService;
  const hookPrefixes = (service.webhookUrlPatterns ?? []).map((p) => p.split("*")[0] ?? p);
  const keyPrefixes = (service.deployKeyTitlePatterns ?? []).map((p) => p.split("*")[0] ?? p);
  const repos = sandbox.world().github.repos.filter((r) => link?.repositories.includes(`${r.owner}/${r.name}`));
  return repos.reduce(
    (sum, r) =>
      sum +
      r.hooks.filter((h) => hookPrefixes.some((p) => h.config.url.startsWith(p))).length +
      r.keys.filter((k) => keyPrefixes.some((p) => k.title.startsWith(p))).length,
    0,
  );
}

/** The markdown report's Continuity section for these verdicts. */
function continuitySection(builds: readonly BuildSpec[], verdicts: ReadonlyMap<string, ReplacementVerdict>): string {
  const markdown = renderReportMarkdown(
    buildReport({
      asOf: new Date().toISOString().slice(0, 10),
      files: [],
      links: [],
      orgs: [],
      undeclaredOrgs: new Map(),
      sweeps: [],
      continuity: { builds, verdicts },
    }),
  );
  const start = markdown.indexOf("## Continuity");
  if (start < 0) return "(no Continuity section)";
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end < 0 ? undefined : end).trimEnd();
}
