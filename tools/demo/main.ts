/**
 * `npm start`: the main job on the embedded sandbox. Starts the sandbox in-process with the demo
 * world, then drives the built CLI exactly as a user would (separate processes, the sandbox's env):
 * validate → builds render (the CI that replaces the example's autobuilds, in the OS temp folder) →
 * check --live → plan → apply → plan --detailed-exitcode → check --live → report (HTML, in the
 * OS temp folder, its path printed last). The sweep of org acme finds the orphaned webhook on
 * acme/old-site, which apply deletes. Then, on the demo world afresh, the Docker Hub path (docker-hub.ts):
 * the same retirement where the link side and the grants are manual steps, recorded by hand. Then,
 * afresh again, the replacement builds (replacements.ts) of the example's builds file as it is: plan
 * proposes each replacement and holds legacy-builds' revocation back, apply opens the pull requests and
 * sets the secrets, the owners merge them and the sandbox's CI pushes the tags, the next plans verify
 * them (legacy-web on the release branch it declares, once cut) and apply revokes.
 * Exits 0 only when every step answered as the demo world promises.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { SANDBOX_ENV_KEYS } from "../../sandbox/env.js";
import { type DemoCli, runDockerHubDemo } from "./docker-hub.js";
import { runReplacementDemo } from "./replacements.js";

const CLI = fileURLToPath(new URL("../../cli/main.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CONFIG = "examples/basic/sourcelinks.yaml";
/** Where the demo writes its retirement report (the OS temp folder: the checkout stays clean). */
const REPORT = join(tmpdir(), "sourcelinks-demo-report.html");
/** The example's builds, which the replacement part proposes, verifies and waits for as they are. */
const BUILDS = "examples/basic/builds.yaml";
/** Where the Docker Hub part writes its configuration with the manual steps recorded. */
const RECORDED = join(tmpdir(), "sourcelinks-demo-docker-hub.yaml");

/** One CLI run of the demo and the exit code it must end with. */
interface DemoStep {
  why: string;
  args: string[];
  expect: number;
}

const STEPS: DemoStep[] = [
  { why: "Validate the declared links (schema and semantics, no network)", args: ["validate", CONFIG], expect: 0 },
  {
    why: "Render the CI that keeps the declared autobuilds going once their links are revoked (GitHub workflows, a Bitbucket Pipelines file)",
    args: ["builds", "render", BUILDS, "--out", join(tmpdir(), "sourcelinks-demo-builds")],
    expect: 0,
  },
  {
    why: "Check the live world against the policies: the revoked link's webhooks are still there, team ci is linked through a person's account, and the sweep of acme finds an orphaned webhook",
    args: ["check", CONFIG, "--live"],
    expect: 3,
  },
  { why: "Plan: what apply would do, read from the live world", args: ["plan", CONFIG], expect: 0 },
  { why: "Apply the plan through the same operations the Pulumi provider uses", args: ["apply", CONFIG, "--yes"], expect: 0 },
  { why: "Plan again: nothing left to do", args: ["plan", CONFIG, "--detailed-exitcode"], expect: 0 },
  { why: "Check again: no violation left", args: ["check", CONFIG, "--live"], expect: 0 },
  {
    why: "Write the retirement report: the live evidence, as one HTML page",
    args: ["report", CONFIG, "--format", "html", "--out", REPORT],
    expect: 0,
  },
];

/** Runs the CLI in a child process (never synchronously: the sandbox serves from this event loop); stdout is shown unless captured. */
function runCli(args: string[], env: NodeJS.ProcessEnv, capture = false): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"] });
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

/**
 * The environment a user of the sandbox has: theirs, minus any real credentials, plus the sandbox's.
 * Each part of the demo starts the world afresh, so each keeps its ETag cache and stored inventories in
 * a folder of its own: what one world's runs stored must not stand for another world.
 */
function sandboxEnvironment(env: Record<string, string>, part: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SANDBOX_ENV_KEYS) delete out[key];
  const cache = join(mkdtempSync(join(tmpdir(), `sourcelinks-demo-${part}-`)), "etags.json");
  return { ...out, ...env, NO_COLOR: "1", SOURCELINKS_ETAG_CACHE: cache };
}

async function main(): Promise<number> {
  const sandbox = await startSandbox();
  const env = sandboxEnvironment(sandbox.env, "links");
  console.log(`sourcelinks demo: the build service, GitHub and Bitbucket are faked on ${sandbox.baseUrl}`);
  let failures = 0;
  try {
    for (const [i, step] of STEPS.entries()) {
      console.log(`\n── ${i + 1}/${STEPS.length} ${step.why}\n$ sourcelinks ${step.args.join(" ")}`);
      const { code } = await runCli(step.args, env);
      if (code !== step.expect) {
        failures++;
        console.log(`!! exit code ${code}, expected ${step.expect}`);
      } else {
        console.log(`(exit ${code}, as expected)`);
      }
    }
    const legacy = sandbox.world().github.repos.filter((r) => r.name.startsWith("legacy-"));
    const foreign = legacy.flatMap((r) => r.hooks).filter((h) => h.config.url.startsWith("https://ci.acme.example/"));
    console.log(`\nForeign webhooks still on the legacy repositories: ${foreign.length} of ${legacy.length} (never touched).`);
    // The sweep of org acme found the webhook no link names any more on acme/old-site, and apply removed it.
    const orphans = sandbox.world().github.repos.find((r) => r.owner === "acme" && r.name === "old-site")?.hooks.length ?? -1;
    console.log(`Build-service webhooks left on acme/old-site (the sweep's orphan): ${orphans}.`);
    if (orphans !== 0) failures++;
    failures += await dockerHubPart(sandbox, sandboxEnvironment(sandbox.env, "docker-hub"));
    failures += await replacementPart(sandbox, sandboxEnvironment(sandbox.env, "replacements"));
  } finally {
    await sandbox.close();
  }
  console.log(
    failures === 0 ? "\nDemo finished: every step answered as expected." : `\nDemo finished with ${failures} unexpected answer(s).`,
  );
  console.log(`Retirement report (open it in a browser): ${REPORT}`);
  console.log(`Docker Hub configuration with the manual steps recorded: ${RECORDED}`);
  return failures === 0 ? 0 : 1;
}

/** The Docker Hub part on the demo world afresh; the number of unexpected answers. */
async function dockerHubPart(sandbox: SandboxHandle, env: NodeJS.ProcessEnv): Promise<number> {
  await sandbox.reset();
  console.log("\n══ Part 2: the same world on Docker Hub (kind: docker-hub): no link API, so unlinking and the grants are manual steps");
  const run: DemoCli = (args, options) => runCli(args, env, options?.capture ?? false);
  const today = new Date().toISOString().slice(0, 10);
  let failures = await runDockerHubDemo({ run, log: (text) => console.log(text), recordedConfig: RECORDED, done: today, by: "jdoe" });
  // Ground truth from the sandbox: no autobuild webhook or deploy key is left on any acme repository.
  const acme = sandbox.world().github.repos.filter((r) => r.owner === "acme");
  const left = acme.flatMap((r) => [...r.hooks.filter((h) => !h.config.url.startsWith("https://ci.acme.example/")), ...r.keys]).length;
  console.log(`\nAutobuild webhooks and deploy keys left on acme's ${acme.length} repositories: ${left}.`);
  if (left !== 0) failures++;
  return failures;
}

/** The replacement builds on the demo world afresh: propose, merge, verify, and only then revoke; the number of unexpected answers. */
async function replacementPart(sandbox: SandboxHandle, env: NodeJS.ProcessEnv): Promise<number> {
  await sandbox.reset();
  console.log(
    "\n══ Part 3: keep the autobuilds going: propose each replacement, verify it built and pushed, and only then revoke the link",
  );
  const secretValues = demoSecretValues();
  const withSecrets = { ...env, ...secretValues };
  return runReplacementDemo({
    run: (args, options) => runCli(args, withSecrets, options?.capture ?? false),
    log: (text) => console.log(text),
    sandbox,
    root: ROOT,
    links: CONFIG,
    builds: BUILDS,
    secretValues,
  });
}

/** Stand-ins for the values a user keeps in DOCKERHUB_USERNAME, DOCKERHUB_TOKEN and NPM_TOKEN (the sandbox accepts any). */
function demoSecretValues(): Record<string, string> {
  const run = Date.now().toString(36);
  return { DOCKERHUB_USERNAME: "acme-ci", DOCKERHUB_TOKEN: `demo-hub-${run}`, NPM_TOKEN: `demo-npm-${run}` };
}

process.exitCode = await main();
