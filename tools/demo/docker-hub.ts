/**
 * The demo's second part: retiring Docker Hub autobuilds (`kind: docker-hub`, examples/docker-hub/),
 * where no API can unlink an account or revoke the OAuth grant. sourcelinks deletes the autobuild
 * webhooks and deploy keys through GitHub's API (the links' own and, by the sweep, the orphans), prints
 * the manual steps with their ids; a person does them and records them in a copy of the file; then the
 * plan is empty, check passes, and the report shows what was verified by API and what was recorded by hand.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { type PrintedStep, recordManualSteps } from "./record-manual-steps.js";

/** The docker-hub example, relative to the repository root. */
export const DOCKER_HUB_CONFIG = "examples/docker-hub/sourcelinks.yaml";

/** One CLI run: its exit code and, when `capture` was asked, what it wrote to stdout (else it was shown). */
export type DemoCli = (args: string[], options?: { capture?: boolean }) => Promise<{ code: number; stdout: string }>;

/** What the docker-hub part needs from its caller. */
export interface DockerHubDemo {
  run: DemoCli;
  log: (text: string) => void;
  /** The example to start from (default DOCKER_HUB_CONFIG, resolved by the CLI). */
  config?: string;
  /** Where the copy with the recorded manual steps is written. */
  recordedConfig: string;
  /** The date the steps are recorded as done (YYYY-MM-DD), and who did them. */
  done: string;
  by: string;
}

/** The part of `plan --format json` this part reads: each resource's entry location and open manual steps. */
interface PlanJson {
  resources: { location: { line: number; column: number }; manualSteps: { id: string }[] }[];
}

/** Runs the docker-hub part; resolves to the number of runs that did not exit as expected. */
export async function runDockerHubDemo(demo: DockerHubDemo): Promise<number> {
  const config = demo.config ?? DOCKER_HUB_CONFIG;
  let failures = 0;
  let n = 0;
  const step = async (why: string, args: string[], expect: number, capture = false): Promise<string> => {
    demo.log(`\n── docker-hub ${++n}. ${why}\n$ sourcelinks ${args.join(" ")}`);
    const { code, stdout } = await demo.run(args, { capture });
    if (code !== expect) failures++;
    demo.log(code === expect ? `(exit ${code}, as expected)` : `!! exit code ${code}, expected ${expect}`);
    return stdout;
  };

  await step("Validate the Docker Hub configuration: two links to retire and a sweep of org acme", ["validate", config], 0);
  await step(
    "Check the live world: both links' webhooks and deploy keys are still on GitHub, and the sweep finds an orphan",
    ["check", config, "--live"],
    3,
  );
  await step(
    "Apply: delete every autobuild webhook and deploy key through GitHub's API; both declared links are revoked, so the mass-revocation guard needs --max-revoke-ratio 1. The unlink in Docker Hub and the grant revocations are printed as manual steps",
    ["apply", config, "--yes", "--max-revoke-ratio", "1"],
    0,
  );
  const planned = await step(
    "Plan as JSON: only the manual steps are left, each with its id",
    ["plan", config, "--format", "json"],
    0,
    true,
  );
  const steps = openSteps(planned);
  demo.log(`Manual steps left: ${steps.map((s) => s.id).join(", ") || "none"}`);
  if (steps.length === 0) failures++;

  demo.log(
    `\nA person now unlinks the accounts in Docker Hub and revokes the grants on GitHub, then records each step by its id:\n${demo.recordedConfig}`,
  );
  writeFileSync(demo.recordedConfig, recordManualSteps(readFileSync(config, "utf8"), steps, demo.done, demo.by));

  const recorded = demo.recordedConfig;
  await step(
    "Plan the recorded copy: nothing left to do, the manual steps listed as done by hand",
    ["plan", recorded, "--detailed-exitcode"],
    0,
  );
  await step("Check the recorded copy: no violation left", ["check", recorded, "--live"], 0);
  await step(
    "Report: what GitHub's API verified (no webhook or deploy key left, the sweep clean) and what was recorded by hand",
    ["report", recorded, "--format", "markdown"],
    0,
  );
  return failures;
}

/** The open manual steps of a JSON plan, each at its entry's location. */
function openSteps(planJson: string): PrintedStep[] {
  try {
    const plan = JSON.parse(planJson) as PlanJson;
    return plan.resources.flatMap((r) => r.manualSteps.map((m) => ({ id: m.id, line: r.location.line, column: r.location.column })));
  } catch {
    return [];
  }
}
