/**
 * The sandbox's state file survives SIGKILL in the middle of a write. The sandbox's crash-test hook
 * (`SOURCELINKS_SANDBOX_STALL_AT_WRITE=N`) stops its Nth write halfway through the temp file, and the
 * test kills the process the moment that temp file appears, while clients keep creating links. So
 * every kill lands inside a write, whatever the machine's load. After every kill the state file is a
 * whole world holding every change the sandbox acknowledged, and a restart resumes from it and
 * clears the dead writer's temp file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../sandbox/faults.js";
import { scaleSeed, SCALE_NAMESPACE } from "../../sandbox/scale-world.js";
import { isWorld, STALL_AT_WRITE_ENV } from "../../sandbox/store.js";
import type { World } from "../../sandbox/world.js";
import { ensureBuilt } from "../support/ensure-built.js";
import { ROOT } from "../support/cli-harness.js";

const MAIN = join(ROOT, "dist/sandbox/main.js");
/** Rounds, each ending with a kill inside a write. */
const KILLS_MID_WRITE = 3;

let dir: string;
let seedFile: string;
let stateFile: string;

beforeAll(async () => {
  await ensureBuilt(["dist/sandbox/main.js"]);
  dir = await mkdtemp(join(tmpdir(), "sourcelinks-kill-"));
  seedFile = join(dir, "seed.json");
  stateFile = join(dir, "state", "world.json");
  await mkdir(join(dir, "state"));
  await writeFile(seedFile, JSON.stringify(scaleSeed({ links: 20, repositories: 200 })));
}, 240_000);

/** Every sandbox process started here, so a failed run leaves none behind. */
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  baseUrl: string;
  token: string;
  /** Resolves once the sandbox reports that its stalled write stopped halfway. */
  stalled: Promise<void>;
}

/** Starts the sandbox on the state file; `stallAtWrite` makes that write stop halfway. */
async function startSandboxProcess(withSeed: boolean, stallAtWrite?: number): Promise<Running> {
  const args = [MAIN, "--state", stateFile, "--quiet", ...(withSeed ? ["--seed", seedFile] : [])];
  const env = { ...process.env, [STALL_AT_WRITE_ENV]: stallAtWrite === undefined ? "" : String(stallAtWrite) };
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
  children.push(child);
  let stderr = "";
  let reportStall!: () => void;
  const stalled = new Promise<void>((resolve) => (reportStall = resolve));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
    if (stderr.includes(`stalled (${STALL_AT_WRITE_ENV})`)) reportStall();
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`sandbox exited (${code}) before its start line: ${stderr}`)));
  });
  const start = JSON.parse(line) as { baseUrl: string; env: Record<string, string> };
  return { child, baseUrl: start.baseUrl, token: start.env["SOURCELINKS_BUILD_TOKEN"]!, stalled };
}

async function stateOnDisk(): Promise<World> {
  const parsed: unknown = JSON.parse(await readFile(stateFile, "utf8"));
  expect(isWorld(parsed)).toBe(true);
  return parsed as World;
}

async function tempFiles(): Promise<string[]> {
  return (await readdir(join(dir, "state"))).filter((n) => n.endsWith(".tmp"));
}

describe("SIGKILL of the sandbox in the middle of a state write", () => {
  it(`leaves a whole state file with every acknowledged change, ${KILLS_MID_WRITE} times over`, async () => {
    const random = mulberry32(4242);
    const acknowledged = new Set<string>();
    for (let round = 0; round < KILLS_MID_WRITE; round++) {
      // The seed's own write (round 0) comes first; then at least two writes acknowledge links.
      const stallAt = 3 + Math.floor(random() * 4) + (round === 0 ? 1 : 0);
      const running = await startSandboxProcess(round === 0, stallAt);
      // The previous round's dead writer left its temp file; opening the state removed it.
      expect(await tempFiles()).toEqual([]);
      if (round > 0) {
        const teams = new Set((await stateOnDisk()).buildService.links.map((l) => l.team));
        for (const team of acknowledged) expect(teams, `after restart ${round}`).toContain(team);
      }
      const acknowledgedBefore = acknowledged.size;

      const exited = new Promise<void>((resolve) => running.child.once("exit", () => resolve()));
      let killed = false;
      // The stalled write never finishes, so the kill always lands while its temp file exists.
      const killedMidWrite = running.stalled.then(() => {
        killed = true;
        running.child.kill("SIGKILL");
      });

      let next = 0;
      const client = async (): Promise<void> => {
        while (!killed) {
          const team = `r${round}-${next++}`;
          try {
            const res = await fetch(`${running.baseUrl}/build/api/build/v1/${SCALE_NAMESPACE}/links/`, {
              method: "POST",
              headers: { authorization: `Bearer ${running.token}`, "content-type": "application/json" },
              body: JSON.stringify({ provider: "github", account: "builder-0", team, service_account: true }),
            });
            if (res.status === 201) acknowledged.add(team);
            else throw new Error(`unexpected ${res.status}: ${await res.text()}`);
          } catch (error) {
            // A request cut by the kill has no answer: it was never acknowledged, so nothing is owed.
            if (!killed) throw error;
          }
        }
      };
      await Promise.all([killedMidWrite.then(() => exited), client(), client(), client(), client()]);
      expect(await tempFiles(), `round ${round}: the kill landed inside a write`).toHaveLength(1);
      expect(acknowledged.size, `round ${round}: writes before the stalled one acknowledged links`).toBeGreaterThan(acknowledgedBefore);

      const world = await stateOnDisk();
      const teams = new Set(world.buildService.links.map((l) => l.team));
      for (const team of acknowledged) expect(teams, `round ${round}: acknowledged ${team} is missing`).toContain(team);
    }

    const last = await startSandboxProcess(false);
    try {
      expect(await tempFiles()).toEqual([]);
      const res = await fetch(`${last.baseUrl}/build/api/build/v1/${SCALE_NAMESPACE}/links/?limit=1`, {
        headers: { authorization: `Bearer ${last.token}` },
      });
      expect(res.status).toBe(200);
    } finally {
      last.child.kill("SIGTERM");
    }
  }, 120_000);
});
