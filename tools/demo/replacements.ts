/**
 * The demo's third part: keeping the autobuilds going before their link is revoked. On the demo world
 * afresh, link legacy-builds is to be revoked while its repositories still build through it, with the
 * example's builds file as it is (examples/basic/builds.yaml: every build replaced, none retired).
 * `plan` proposes each replacement (branch, CI file and its diff, secrets, pull request) and holds the
 * revocation back; `apply` opens the pull requests and sets the secrets; the owners merge them, and the
 * sandbox's CI runs the files and pushes the tags to its Docker Hub; the next `plan` verifies
 * acme/legacy-api and acme/mobile, while acme/legacy-web, whose main only builds and tests, waits for
 * the release branch it declares (`verify.branch`); once the owner cuts it, `plan` verifies it too and
 * releases the revocation, which `apply` carries out; the report's Continuity section shows each image,
 * its run and its tags with when they were pushed.
 */
import { resolve } from "node:path";
import { loadConfigFiles } from "../../engine/config/load.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { HELD_TITLE } from "../../cli/format/held.js";
import type { SandboxHandle } from "../../sandbox/server.js";
import type { World } from "../../sandbox/world.js";
import type { DemoCli } from "./docker-hub.js";

/** The image whose replacement the part follows most closely: its pull request, secrets and run. */
export const REPLACED_IMAGE = "acme/legacy-api";
/** The image verified on the release branch it declares, once the owner cuts it. */
export const RELEASED_IMAGE = "acme/legacy-web";
/** That release branch, as examples/basic/builds.yaml declares it (`verify.branch`). */
export const RELEASE_BRANCH = "release-2026.12";
/** The Bitbucket repository whose pull request the owner merges too. */
export const BITBUCKET_REPOSITORY = "acme-team/mobile";
/** The link whose revocation waits for them. */
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
  const call = async (why: string, method: string, url: string, body: unknown, auth: string): Promise<number> => {
    demo.log(`\n── builds ${++n}. ${why}\n$ curl -X ${method} ${url}`);
    const res = await fetch(url, {
      method,
      headers: { authorization: auth, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return res.status;
  };
  const env = demo.sandbox.env;
  const github = `token ${env.GITHUB_TOKEN}`;
  const bitbucket = `Basic ${Buffer.from(`${env.BITBUCKET_EMAIL}:${env.BITBUCKET_API_TOKEN}`).toString("base64")}`;

  const local = (path: string): string => resolve(demo.root ?? ".", path);
  const files = [demo.links, demo.builds];
  const declared = await loadedConfig(files.map(local));
  const images = (declared.builds ?? []).map((b) => b.image);
  demo.log(`The example's builds, every one replaced: ${images.join(", ")}`);

  const first = await step(
    `Plan: no build has a replacement yet, so the plan proposes each (branch, CI file and its diff, secrets, pull request) and holds the revocation of ${HELD_LINK} back`,
    ["plan", ...files],
    0,
  );
  expect(
    [
      "create branch sourcelinks/",
      `+++ b/.github/workflows/`,
      "+++ b/bitbucket-pipelines.yml",
      "set Actions secret DOCKERHUB_TOKEN",
      "open a pull request",
    ].every((s) => first.includes(s)),
    "branches, the CI files' diffs, the secrets and pull requests proposed, on GitHub and Bitbucket",
  );
  expect(first.includes(HELD_TITLE) && first.includes(`link ${HELD_LINK}`), `the revocation of ${HELD_LINK} held back, with its reason`);

  const applied = await step(
    "Apply: open the pull requests and set the secrets (sealed to each repository's key); the revocation still waits",
    ["apply", ...files, "--yes"],
    0,
  );
  const githubBuilds = (declared.builds ?? []).filter((b) => b.provider === "github");
  const pulls = githubBuilds.map((b) => openPull(demo.sandbox, b.repository));
  const mobilePull = bitbucketRepo(demo.sandbox, BITBUCKET_REPOSITORY)?.pulls?.find((p) => p.state === "OPEN")?.id ?? null;
  const secrets = actionsSecrets(demo.sandbox, REPLACED_IMAGE);
  demo.log(
    `  pull requests open: ${githubBuilds.map((b, i) => `${b.repository} #${pulls[i] ?? "-"}`).join(", ")}, ${BITBUCKET_REPOSITORY} #${mobilePull ?? "-"}; ${REPLACED_IMAGE}'s Actions secrets: ${secrets.map((s) => s.name).join(", ") || "none"}`,
  );
  expect(pulls.every((p) => p !== null) && mobilePull !== null && applied.includes("open a pull request"), "every pull request is open");
  expect(
    secrets.length > 0 && secrets.every((s) => demo.secretValues[s.name] === s.value),
    "every secret, opened with the sandbox's private key, holds the value apply read",
  );
  const kept = buildServiceArtifacts(demo.sandbox, declared, HELD_LINK);
  expect(kept > 0, `${HELD_LINK}'s ${kept} webhooks and deploy keys still there`);

  for (const [i, build] of githubBuilds.entries()) {
    const status = await call(
      `The owner of ${build.repository} merges its pull request; the sandbox's CI runs the workflow on the default branch`,
      "PUT",
      `${env.SOURCELINKS_GITHUB_API_URL}/repos/${build.repository}/pulls/${pulls[i] ?? 0}/merge`,
      {},
      github,
    );
    expect(status === 200, `HTTP ${status}: merged`);
  }
  const bbStatus = await call(
    `The owner of ${BITBUCKET_REPOSITORY} merges its pull request; the sandbox's Pipelines run on main`,
    "POST",
    `${env.SOURCELINKS_BITBUCKET_API_URL}/repositories/${BITBUCKET_REPOSITORY}/pullrequests/${mobilePull ?? 0}/merge`,
    undefined,
    bitbucket,
  );
  expect(bbStatus === 200, `HTTP ${bbStatus}: merged`);

  const second = await step(
    `Plan again: ${REPLACED_IMAGE} and acme/mobile ran and Docker Hub holds their tags, pushed after the runs started: verified; ${RELEASED_IMAGE}'s main only builds and tests, so it waits for ${RELEASE_BRANCH}, and so does the revocation of ${HELD_LINK}`,
    ["plan", ...files],
    0,
  );
  expect(
    second.includes(`build ${REPLACED_IMAGE}: verified, no changes`) && second.includes("build acme/mobile: verified, no changes"),
    `${REPLACED_IMAGE} and acme/mobile verified`,
  );
  expect(
    second.includes(HELD_TITLE) &&
      second.includes(`branch ${RELEASE_BRANCH}, where ${RELEASED_IMAGE} is verified (verify.branch), does not exist`),
    `the revocation of ${HELD_LINK} still waits for ${RELEASED_IMAGE}'s release branch`,
  );

  const main = (await (
    await fetch(`${env.SOURCELINKS_GITHUB_API_URL}/repos/${RELEASED_IMAGE}/git/ref/heads/main`, { headers: { authorization: github } })
  ).json()) as { object: { sha: string } };
  const cut = await call(
    `The owner of ${RELEASED_IMAGE} cuts ${RELEASE_BRANCH} from main; the sandbox's CI runs the workflow for the new branch and pushes its tag`,
    "POST",
    `${env.SOURCELINKS_GITHUB_API_URL}/repos/${RELEASED_IMAGE}/git/refs`,
    { ref: `refs/heads/${RELEASE_BRANCH}`, sha: main.object.sha },
    github,
  );
  expect(cut === 201, `HTTP ${cut}: branch created`);

  const third = await step(`Plan again: every build is verified, and the revocation of ${HELD_LINK} is planned`, ["plan", ...files], 0);
  expect(
    images.every((image) => third.includes(`build ${image}: verified, no changes`)),
    "every build verified",
  );
  expect(!third.includes(HELD_TITLE) && third.includes("revoke github account legacy-builder's OAuth grant"), "nothing held back");

  await step(`Apply: now ${HELD_LINK} is revoked (its grant, webhooks and deploy keys)`, ["apply", ...files, "--yes"], 0);
  const left = buildServiceArtifacts(demo.sandbox, declared, HELD_LINK);
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
    /acme\/legacy-api.*verified.*actions\/runs\/\d+.*latest \(last pushed/.test(continuity) &&
      new RegExp(`acme/legacy-web.*verified.*${RELEASE_BRANCH.replace(".", "\\.")} \\(last pushed`).test(continuity) &&
      /acme\/mobile.*verified/.test(continuity),
    "every image verified, with its run and tags",
  );
  return failures;
}

async function loadedConfig(files: string[]): Promise<SourcelinksConfig> {
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

function bitbucketRepo(sandbox: ReplacementDemo["sandbox"], fullName: string): World["bitbucket"]["repos"][number] | undefined {
  const [workspace, slug] = fullName.split("/");
  return sandbox.world().bitbucket.repos.find((r) => r.workspace === workspace && r.slug === slug);
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
