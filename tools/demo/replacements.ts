/**
 * The demo's third part: keeping an autobuild going before its link is revoked. On the demo world
 * afresh, link legacy-builds is to be revoked while acme/legacy-api still builds through it. `plan`
 * proposes the replacement (branch, workflow file and its diff, secrets, pull request) and holds the
 * revocation back; `apply` opens the pull request and sets the secrets; the repository's owner merges
 * it, and the sandbox's CI runs the workflow and pushes the tags to its Docker Hub; the next `plan`
 * verifies the tags and releases the revocation, which `apply` carries out; the report's Continuity
 * section shows the image, the run and the tags with when they were pushed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseDocument } from "yaml";
import { loadConfigFiles } from "../../engine/config/load.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { HELD_TITLE } from "../../cli/format/held.js";
import type { SandboxHandle } from "../../sandbox/server.js";
import type { World } from "../../sandbox/world.js";
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
  /** The basic example's links (sourcelinks.yaml) and its builds (builds.yaml), as the CLI and the loader resolve them. */
  links: string;
  builds: string;
  /** The directory relative paths are resolved from, as the CLI's working directory (default: this process's). */
  root?: string;
  /** Where this part writes its copy of the builds file (see `demoBuilds`). */
  buildsCopy: string;
  /** The values apply seals into the Actions secrets; the caller's `run` must hand them to the CLI. Never printed. */
  secretValues: Record<string, string>;
}

/** Runs the replacement part; resolves to the number of answers that were not as expected. */
export async function runReplacementDemo(demo: ReplacementDemo): Promise<number> {
  let failures = 0;
  let n = 0;
  const expect = (ok: boolean, what: string): void => {
    if (!ok) failures++;
    demo.log(ok ? `(${what}, as expected)` : `!! expected: ${what}`);
  };
  const step = async (why: string, args: string[], code: number): Promise<string> => {
    demo.log(`\n── builds ${++n}. ${why}\n$ sourcelinks ${args.join(" ")}`);
    const out = await demo.run(args, { capture: true });
    demo.log(out.stdout.trimEnd());
    expect(out.code === code, `exit ${out.code}`);
    return out.stdout;
  };

  const local = (path: string): string => resolve(demo.root ?? ".", path);
  writeFileSync(demo.buildsCopy, demoBuilds(readFileSync(local(demo.builds), "utf8")));
  demo.log(`The example's builds, with legacy-web and mobile retired on purpose: ${demo.buildsCopy}`);
  const files = [demo.links, demo.buildsCopy];

  const first = await step(
    `Plan: ${REPLACED_IMAGE} has no replacement yet, so the plan proposes one (branch, workflow file and its diff, secrets, pull request) and holds the revocation of ${HELD_LINK} back`,
    ["plan", ...files],
    0,
  );
  expect(
    ["create branch sourcelinks/", `+++ b/.github/workflows/`, "set Actions secret DOCKERHUB_TOKEN", "open a pull request"].every((s) =>
      first.includes(s),
    ),
    "a branch, the workflow file's diff, the secrets and a pull request proposed",
  );
  expect(first.includes(HELD_TITLE) && first.includes(`link ${HELD_LINK}`), `the revocation of ${HELD_LINK} held back, with its reason`);

  const applied = await step(
    "Apply: open the pull request and set the secrets (sealed to the repository's key); the revocation still waits",
    ["apply", ...files, "--yes"],
    0,
  );
  const pull = openPull(demo.sandbox, REPLACED_IMAGE);
  const secrets = actionsSecrets(demo.sandbox, REPLACED_IMAGE);
  demo.log(`  pull request #${pull ?? "-"} open on ${REPLACED_IMAGE}; Actions secrets: ${secrets.map((s) => s.name).join(", ") || "none"}`);
  expect(pull !== null && applied.includes("open a pull request"), "the pull request is open");
  expect(
    secrets.length > 0 && secrets.every((s) => demo.secretValues[s.name] === s.value),
    "every secret, opened with the sandbox's private key, holds the value apply read",
  );
  const kept = buildServiceArtifacts(demo.sandbox, await loadedLinks(files.map(local)), HELD_LINK);
  expect(kept > 0, `${HELD_LINK}'s ${kept} webhooks and deploy keys still there`);

  const mergeUrl = `${demo.sandbox.env.SOURCELINKS_GITHUB_API_URL}/repos/${REPLACED_IMAGE}/pulls/${pull ?? 0}/merge`;
  demo.log(
    `\n── builds ${++n}. The repository's owner merges the pull request; the sandbox's CI runs the workflow on the default branch and pushes its tags to Docker Hub\n$ curl -X PUT ${mergeUrl}`,
  );
  const merged = await fetch(mergeUrl, {
    method: "PUT",
    headers: { authorization: `token ${demo.sandbox.env.GITHUB_TOKEN}`, "content-type": "application/json" },
    body: "{}",
  });
  expect(merged.status === 200, `HTTP ${merged.status}: merged`);

  const second = await step(
    `Plan again: the run succeeded and Docker Hub holds its tags, pushed after it started: ${REPLACED_IMAGE} is verified, and the revocation of ${HELD_LINK} is planned`,
    ["plan", ...files],
    0,
  );
  expect(second.includes(`build ${REPLACED_IMAGE}: verified, no changes`), `${REPLACED_IMAGE} verified`);
  expect(!second.includes(HELD_TITLE) && second.includes("revoke github account legacy-builder's OAuth grant"), "nothing held back");

  await step(`Apply: now ${HELD_LINK} is revoked (its grant, webhooks and deploy keys)`, ["apply", ...files, "--yes"], 0);
  const left = buildServiceArtifacts(demo.sandbox, await loadedLinks(files.map(local)), HELD_LINK);
  demo.log(`  build-service webhooks and deploy keys left on ${HELD_LINK}'s repositories: ${left}`);
  expect(left === 0, "none left");

  const report = await step(
    "Report: the Continuity section, per image: the replacement's state, the run, and the tags with when they were pushed",
    ["report", ...files, "--format", "markdown"],
    0,
  );
  const continuity = continuitySection(report) ?? "";
  demo.log(`\nThe report's ${continuity === "" ? "Continuity section is missing" : "Continuity section:"}\n${continuity}`);
  expect(
    /acme\/legacy-api.*verified.*actions\/runs\/\d+.*latest \(last pushed/.test(continuity),
    `${REPLACED_IMAGE} verified, with its run and tags`,
  );
  return failures;
}

/**
 * The example's builds file with every build but acme/legacy-api retired on purpose: legacy-web's rules build nothing on its default branch, so its
 * first run there can never be verified, and mobile's link is not revoked.
 */
export function demoBuilds(text: string): string {
  const doc = parseDocument(text);
  const builds = doc.get("builds");
  const count = builds !== null && typeof builds === "object" && "items" in builds ? (builds.items as unknown[]).length : 0;
  for (let i = 0; i < count; i++) if (doc.getIn(["builds", i, "image"]) !== REPLACED_IMAGE) doc.setIn(["builds", i, "replacement"], "none");
  return doc.toString();
}

async function loadedLinks(files: string[]): Promise<SourcelinksConfig> {
  return (await loadConfigFiles(files)).config;
}

/** The report's Continuity section, from its heading to the next heading or the footer, or null. */
function continuitySection(markdown: string): string | null {
  const heading = /^#{2,3} Continuity$/m.exec(markdown);
  if (heading === null) return null;
  const rest = markdown.slice(heading.index + heading[0].length);
  const end = /\n(#{1,3} |<sub>)/.exec(rest);
  return (heading[0] + (end === null ? rest : rest.slice(0, end.index))).trimEnd();
}

/** The number of the open pull request on a GitHub repository `owner/name`, or null. */
function openPull(sandbox: ReplacementDemo["sandbox"], fullName: string): number | null {
  return githubRepo(sandbox, fullName)?.pulls?.find((p) => p.state === "open")?.number ?? null;
}

/** The Actions secrets the sandbox stored (decrypted) on a GitHub repository `owner/name`. */
function actionsSecrets(sandbox: ReplacementDemo["sandbox"], fullName: string): { name: string; value: string }[] {
  return githubRepo(sandbox, fullName)?.secrets ?? [];
}

function githubRepo(sandbox: ReplacementDemo["sandbox"], fullName: string): World["github"]["repos"][number] | undefined {
  const [owner, name] = fullName.split("/");
  return sandbox.world().github.repos.find((r) => r.owner === owner && r.name === name);
}

/** Webhooks and deploy keys of the build service (the config's patterns) left on a link's GitHub repositories. */
function buildServiceArtifacts(sandbox: ReplacementDemo["sandbox"], config: SourcelinksConfig, linkName: string): number {
  const link = config.links.find((l) => l.name === linkName);
  const hookPrefixes = (config.buildService.webhookUrlPatterns ?? []).map((p) => p.split("*")[0] ?? p);
  const keyPrefixes = (config.buildService.deployKeyTitlePatterns ?? []).map((p) => p.split("*")[0] ?? p);
  const repos = sandbox.world().github.repos.filter((r) => link?.repositories.includes(`${r.owner}/${r.name}`));
  return repos.reduce(
    (sum, r) =>
      sum +
      r.hooks.filter((h) => hookPrefixes.some((p) => h.config.url.startsWith(p))).length +
      r.keys.filter((k) => keyPrefixes.some((p) => k.title.startsWith(p))).length,
    0,
  );
}
