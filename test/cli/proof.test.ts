/**
 * What the proof claims on the real service's path (`kind: docker-hub`, no link API), end to end over
 * loopback against the sandbox world of test/fixtures/worlds/docker-hub.yaml: a declared repository
 * that does not exist is never clean, `retired` holds only once everything is proven (verified by API
 * or recorded by hand, each shown as such), and the manual steps are one ledger that plan, check and
 * report count alike, sweeps included.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RetirementReport } from "../../cli/report/model.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/index.js";
import { ROOT, runCli } from "../support/cli-harness.js";

const SEED = join(ROOT, "test/fixtures/worlds/docker-hub.yaml");
const CONFIG = join(ROOT, "test/fixtures/worlds/docker-hub.sourcelinks.yaml");
const DOCKER_HOOK = "https://registry.hub.docker.com/hooks/github";

const validateReport = new Ajv2020({ allErrors: true }).compile(
  JSON.parse(readFileSync(join(ROOT, "schema/report.schema.json"), "utf8")) as object,
);

let sandbox: SandboxHandle;
let tmp: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-proof-"));
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(async () => {
  await sandbox.reset();
});

function env(): Record<string, string> {
  return { ...sandbox.env, SOURCELINKS_ETAG_CACHE: "off" };
}

/** The docker-hub config with `edit` applied to its text, written to a temp file. */
function config(file: string, edit: (text: string) => string = (t) => t): string {
  const path = join(tmp, file);
  const text = readFileSync(CONFIG, "utf8");
  const edited = edit(text);
  if (edited === text && file !== "typo.yaml") throw new Error(`the edit of ${file} changed nothing: update this test`);
  writeFileSync(path, edited);
  return path;
}

const fixTypo = (t: string): string => t.replace("repositories: [globex/legacy-3]", "repositories: [globex/legacy-2]");
const sweepGlobex = (t: string): string => `${t}sweeps:\n  - { provider: github, owner: globex, exclude: ["globex/frozen"] }\n`;

/** The build service's webhook URLs on a repository of the sandbox. */
function dockerHooks(fullName: string): string[] {
  const [owner, name] = fullName.split("/");
  const repo = sandbox.world().github.repos.find((r) => r.owner === owner && r.name === name);
  if (!repo) throw new Error(`no repository ${fullName}`);
  return repo.hooks.map((h) => h.config.url).filter((u) => u === DOCKER_HOOK);
}

async function report(file: string): Promise<RetirementReport> {
  const run = await runCli(["report", file, "--format", "json", "--as-of", "2026-11-26"], env());
  expect(run.code, run.stderr).toBe(0);
  const value = JSON.parse(run.stdout) as unknown;
  expect(validateReport(value), JSON.stringify(validateReport.errors)).toBe(true);
  return value as RetirementReport;
}

interface CheckJson {
  violations: { ruleId: string; enforcement: string; subject: string; location: { file: string; line: number; column: number } | null }[];
}

describe("a declared repository that does not exist is never clean", () => {
  it("a revoked docker-hub link naming a typo is a mandatory finding at the repository's line, and the report is not retired", async () => {
    const typo = config("typo.yaml");
    const check = await runCli(["check", typo, "--live", "--format", "json"], env());
    expect(check.code, check.stderr).toBe(3);
    const found = (JSON.parse(check.stdout) as CheckJson).violations.filter((v) => v.ruleId === "declared-repository-exists");
    // `    repositories: [globex/legacy-3]` is line 17 of the config; the name starts at column 20.
    expect(found).toEqual([
      expect.objectContaining({ enforcement: "mandatory", subject: "globex/legacy-3", location: { file: typo, line: 17, column: 20 } }),
    ]);
    const text = await runCli(["check", typo, "--live"], env());
    expect(text.stdout).toContain(`${typo}:17:20`);

    const r = await report(typo);
    expect(r.summary.retired).toBe(false);
    expect(r.summary.notProven).toContainEqual({ reason: "unobserved-repositories", names: ["globex/legacy-3"] });
    expect(r.namespaces[0]!.links[0]!.unobservedRepositories).toEqual(["globex/legacy-3"]);
    // The hook the name meant is still there.
    expect(dockerHooks("globex/legacy-2")).toEqual([DOCKER_HOOK]);
  });

  it("recording the repository as gone clears the finding (the report still wants the owner swept)", async () => {
    const gone = config("gone.yaml", (t) =>
      t.replace(
        '      - { id: "revoke-grant:github:globex-bot", done: 2026-11-20, by: jdoe }\n',
        '      - { id: "revoke-grant:github:globex-bot", done: 2026-11-20, by: jdoe }\n      - { id: "repository-gone:github:globex:legacy-3", done: 2026-11-21, by: jdoe }\n',
      ),
    );
    const check = await runCli(["check", gone, "--live", "--format", "json"], env());
    expect((JSON.parse(check.stdout) as CheckJson).violations.filter((v) => v.ruleId === "declared-repository-exists")).toEqual([]);
    const r = await report(gone);
    expect(r.summary.notProven.map((n) => n.reason)).toEqual(["owners-not-swept"]);
    expect(r.summary.notProven[0]!.names).toEqual(["github:globex"]);
  });
});

describe("retired only when proven, verified apart from recorded", () => {
  it("fixed, applied and swept: retired, with the Docker Hub steps listed as recorded by hand and the rest as verified", async () => {
    const fixed = config("fixed.yaml", fixTypo);
    expect((await runCli(["apply", fixed, "--yes", "--max-revoke-ratio", "1"], env())).code).toBe(0);
    expect(dockerHooks("globex/legacy-2")).toEqual([]);

    // Without a sweep of globex nothing says no other repository there still has the hook.
    const unswept = await report(fixed);
    expect(unswept.summary.retired).toBe(false);
    expect(unswept.summary.notProven).toEqual([{ reason: "owners-not-swept", names: ["github:globex"] }]);

    const swept = config("swept.yaml", (t) => sweepGlobex(fixTypo(t)));
    expect((await runCli(["check", swept, "--live"], env())).code).toBe(0);
    const r = await report(swept);
    expect(r.summary.notProven).toEqual([]);
    expect(r.summary.retired).toBe(true);
    expect(r.namespaces[0]!.links[0]!.evidence).toEqual({ unlinked: "recorded", grantRevoked: "recorded" });
    expect(r.summary.facts.recordedByHand).toEqual([
      "link globex-legacy: docker-hub-unlink:globex:github:globex-bot, done 2026-11-20 by jdoe",
      "link globex-legacy: revoke-grant:github:globex-bot, done 2026-11-20 by jdoe",
    ]);
    expect(r.summary.facts.verified).toEqual(["sweep sweep-github-globex of github:globex: 1 repository read, no leftover or orphan"]);
    const md = await runCli(["report", swept, "--format", "markdown"], env());
    expect(md.stdout).toContain(
      "### Recorded by hand (not verifiable by API)\n\n- link globex-legacy: docker-hub-unlink:globex:github:globex-bot, done 2026-11-20 by jdoe",
    );
    // A retired report lists no link as not yet retired: its retirement rests on the recorded steps.
    expect(md.stdout).not.toContain("### Links not yet retired");
    const html = await runCli(["report", swept, "--format", "html"], env());
    expect(html.stdout).toContain(
      '<h3 id="recorded-by-hand">Recorded by hand (not verifiable by API)</h3><ul><li>link globex-legacy: docker-hub-unlink:globex:github:globex-bot, done 2026-11-20 by jdoe</li>',
    );
  });

  it("a docker-hub link whose Docker Hub steps are not recorded is not proven gone, and says why in every format", async () => {
    const open = config("open.yaml", (t) => sweepGlobex(fixTypo(t)).replace(/ {4}manualSteps:\n(?: {6}- .*\n)+/, ""));
    expect((await runCli(["apply", open, "--yes", "--max-revoke-ratio", "1"], env())).code).toBe(0);
    const r = await report(open);
    expect(r.summary.retired).toBe(false);
    expect(r.summary.notProven).toEqual([
      { reason: "unlinking-not-proven", names: ["globex-legacy"] },
      { reason: "grants-not-proven", names: ["globex-bot (globex-legacy)"] },
      { reason: "open-manual-steps", names: ["docker-hub-unlink:globex:github:globex-bot", "revoke-grant:github:globex-bot"] },
    ]);
    const md = await runCli(["report", open, "--format", "markdown"], env());
    expect(md.stdout).toContain("### Not proven\n\n- revoked links whose unlinking is neither observed nor recorded (1): globex-legacy\n");
    expect(md.stdout).toContain("### Links not yet retired\n\n| Link | Namespace | Account | State | Grant | Open steps |");
    const html = await runCli(["report", open, "--format", "html"], env());
    expect(html.stdout).toContain(
      '<section id="not-proven"><h2>Not proven</h2><ul><li>revoked links whose unlinking is neither observed nor recorded (1): globex-legacy</li>',
    );
  });

  it("a docker-hub link declared linked counts as live", async () => {
    const linked = config("linked.yaml", (t) => sweepGlobex(fixTypo(t)).replace("state: revoked", "state: linked"));
    const r = await report(linked);
    expect(r.summary.notProven[0]).toEqual({ reason: "live-links", names: ["globex-legacy"] });
  });
});

interface PlanJson {
  summary: { manualSteps: number; manualStepsDone: number; manualStepsObservedOtherwise: number };
  resources: { resource: string; manualSteps: { id: string }[]; manualStepsObservedOtherwise: { id: string; observed: string }[] }[];
}

/** plan, check and report of one config: the ledger's three counts as each one tells them. */
async function ledgers(file: string): Promise<{ plan: number[]; check: number[]; report: number[] }> {
  const plan = await runCli(["plan", file, "--format", "json"], env());
  expect(plan.code, plan.stderr).toBe(0);
  const p = (JSON.parse(plan.stdout) as PlanJson).summary;
  const check = await runCli(["check", file, "--live", "--format", "json"], env());
  const v = (JSON.parse(check.stdout) as CheckJson).violations;
  const done = (await report(file)).summary.manualSteps;
  return {
    plan: [p.manualSteps, p.manualStepsDone, p.manualStepsObservedOtherwise],
    check: [
      v.filter((x) => x.ruleId === "pending-manual-steps").length,
      -1,
      v.filter((x) => x.ruleId === "recorded-steps-match-observed").length,
    ],
    report: [done.open, done.done, done.observedOtherwise],
  };
}

describe("manual steps are one ledger", () => {
  it("a sweep's unarchive step has an id, is counted alike by plan, check and report, and the markdown plan shows the ids", async () => {
    const file = config("ledger.yaml", (t) => fixTypo(t) + "sweeps:\n  - { provider: github, owner: globex }\n");
    const l = await ledgers(file);
    expect(l.plan).toEqual([1, 2, 0]);
    expect(l.report).toEqual(l.plan);
    expect([l.check[0], l.check[2]]).toEqual([l.plan[0], l.plan[2]]);
    const md = await runCli(["plan", file, "--format", "markdown"], env());
    expect(md.stdout).toContain("   id: `unarchive:github:globex:frozen`");
    expect(md.stdout).toContain("- `docker-hub-unlink:globex:github:globex-bot`: done by hand 2026-11-20 by jdoe (not verifiable by API)");
  });

  it("a sweep's step can be recorded where it arises; while the hook is still listed it is recorded done, but observed otherwise", async () => {
    const file = config(
      "ledger-recorded.yaml",
      (t) =>
        fixTypo(t) +
        'sweeps:\n  - provider: github\n    owner: globex\n    manualSteps: [{ id: "unarchive:github:globex:frozen", done: 2026-11-22, by: jdoe }]\n',
    );
    expect((await runCli(["validate", file], env())).code).toBe(0);
    const l = await ledgers(file);
    expect(l.plan).toEqual([0, 2, 1]);
    expect(l.report).toEqual(l.plan);
    expect([l.check[0], l.check[2]]).toEqual([l.plan[0], l.plan[2]]);
    const text = await runCli(["plan", file], env());
    expect(text.stdout).toContain(
      "    ! unarchive:github:globex:frozen: recorded done 2026-11-22 by jdoe, but globex/frozen is still archived and the build service's artifact is still listed there",
    );
    const md = await runCli(["plan", file, "--format", "markdown"], env());
    expect(md.stdout).toContain(
      "- `unarchive:github:globex:frozen`: recorded done 2026-11-22 by jdoe, **but observed otherwise**: globex/frozen is still archived",
    );
    const r = await report(file);
    const sweep = r.owners.find((o) => o.owner === "globex")!.sweeps[0]!;
    expect(sweep.manualSteps.map((m) => [m.id, m.status])).toEqual([["unarchive:github:globex:frozen", "observed-otherwise"]]);
    expect(r.summary.notProven).toContainEqual({ reason: "observed-otherwise", names: ["unarchive:github:globex:frozen"] });
    expect(dockerHooks("globex/frozen")).toEqual([DOCKER_HOOK]);
  });
});

describe("org access steps recorded by hand", () => {
  it("an org whose access cannot be observed stops warning once its owner's step is recorded; one observed otherwise is a finding", async () => {
    const orgs = (recorded: string): string =>
      config(
        `orgs-${recorded === "" ? "open" : "recorded"}.yaml`,
        (t) =>
          `${fixTypo(t)}orgAccess:\n` +
          `  - { org: globex, access: denied${recorded} }\n` +
          `  - { org: initech, access: denied${recorded.replaceAll("globex", "initech")} }\n`,
      );
    const record = ', manualSteps: [{ id: "org-access:github:globex", done: 2026-11-23, by: jdoe }]';
    const findings = async (file: string): Promise<string[]> =>
      (JSON.parse((await runCli(["check", file, "--live", "--format", "json"], env())).stdout) as CheckJson).violations
        .filter((v) => v.subject === "globex" || v.subject === "initech")
        .map((v) => `${v.ruleId} ${v.subject} ${v.enforcement}`);

    expect(await findings(orgs(""))).toEqual([
      "org-access-matches-declared globex advisory",
      "org-access-matches-declared initech mandatory",
      "pending-manual-steps globex advisory",
      "pending-manual-steps initech advisory",
    ]);
    const recorded = orgs(record);
    // globex cannot be observed: the record is the evidence. initech's audit log says granted: the record is contradicted.
    expect(await findings(recorded)).toEqual([
      "org-access-matches-declared initech mandatory",
      "recorded-steps-match-observed initech mandatory",
    ]);
    const fix = (
      JSON.parse((await runCli(["check", recorded, "--live", "--format", "json"], env())).stdout) as {
        violations: { ruleId: string; subject: string; fix: string }[];
      }
    ).violations.find((v) => v.ruleId === "org-access-matches-declared")!.fix;
    // Docker Hub has no link API: apply cannot set an org's access there.
    expect(fix).not.toContain("sourcelinks apply");
    const r = await report(recorded);
    expect(r.summary.facts.recordedByHand).toContain("org globex: org-access:github:globex, done 2026-11-23 by jdoe");
    expect(r.owners.find((o) => o.owner === "initech")!.orgAccess!.manualSteps.map((m) => [m.status, m.observed])).toEqual([
      ["observed-otherwise", "org initech's access is still granted (observed via audit-log)"],
    ]);
  });
});
