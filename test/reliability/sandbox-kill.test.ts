/**
 * The sandbox's state file survives SIGKILL in the middle of a write: the test watches the state
 * folder and kills the sandbox process the moment a write's temp file appears, while clients keep
 * creating links. After every kill the state file is a whole world holding every change the sandbox
 * acknowledged, and a restart resumes from it and clears the dead writer's temp file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { watch } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../sandbox/faults.js";
import { scaleSeed, SCALE_NAMESPACE } from "../../sandbox/scale-world.js";
import { isWorld } from "../../sandbox/store.js";
import type { World } from "../../sandbox/world.js";
import { ensureBuilt } from "../support/ensure-built.js";
import { ROOT } from "../cli/cli-harness.js";

const MAIN = join(ROOT, "dist/sandbox/main.js");
/** Kills that must land inside a write (a temp file present at the kill) before the test is satisfied. */
const KILLS_MID_WRITE = 3;
const MAX_ROUNDS = 12;

let dir: string;
let seedFile: string;
let stateFile: string;

beforeAll(async () => {
  await ensureBuilt(["dist/sandbox/main.js"]);
  dir = await mkdtemp(join(tmpdir(), "sourcelinks-kill-"));
  seedFile = join(dir, "seed.json");
  stateFile = join(dir, "state", "world.json");
  await mkdir(join(dir, "state"));
  // A world of a few megabytes, so each write takes long enough to be killed inside.
  await writeFile(seedFile, JSON.stringify(scaleSeed({ links: 200, repositories: 4000 })));
}, 240_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  baseUrl: string;
  token: string;
}

async function startSandboxProcess(withSeed: boolean): Promise<Running> {
  const args = [MAIN, "--state", stateFile, "--quiet", ...(withSeed ? ["--seed", seedFile] : [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`sandbox exited (${code}) before its start line: ${stderr}`)));
  });
  const start = JSON.parse(line) as { baseUrl: string; env: Record<string, string> };
  return { child, baseUrl: start.baseUrl, token: start.env["SOURCELINKS_BUILD_TOKEN"]! };
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
    let midWrite = 0;
    let round = 0;
    for (; round < MAX_ROUNDS && midWrite < KILLS_MID_WRITE; round++) {
      const running = await startSandboxProcess(round === 0);
      // The previous round's dead writer left its temp file; opening the state removed it.
      expect(await tempFiles()).toEqual([]);
      if (round > 0) {
        const teams = new Set((await stateOnDisk()).buildService.links.map((l) => l.team));
        for (const team of acknowledged) expect(teams, `after restart ${round}`).toContain(team);
      }

      const exited = new Promise<void>((resolve) => running.child.once("exit", () => resolve()));
      let killed = false;
      const kill = (): void => {
        killed = true;
        running.child.kill("SIGKILL");
      };
      // Arm the watcher after a seeded delay, so kills land at different points of the run.
      const armAfterMs = 50 + Math.floor(random() * 250);
      const armed = new Promise<void>((resolve) => {
        setTimeout(() => {
          const watcher = watch(join(dir, "state"), (_event, name) => {
            if (name?.endsWith(".tmp") && !killed) {
              kill();
              watcher.close();
              resolve();
            }
          });
          // No write seen within 5 s: kill anyway (the round then counts as not mid-write).
          setTimeout(() => {
            watcher.close();
            if (!killed) kill();
            resolve();
          }, 5_000).unref();
        }, armAfterMs);
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
      await Promise.all([armed.then(() => exited), client(), client(), client(), client()]);
      if ((await tempFiles()).length > 0) midWrite++;

      const world = await stateOnDisk();
      const teams = new Set(world.buildService.links.map((l) => l.team));
      for (const team of acknowledged) expect(teams, `round ${round}: acknowledged ${team} is missing`).toContain(team);
    }
    expect(midWrite).toBe(KILLS_MID_WRITE);
    expect(acknowledged.size).toBeGreaterThan(round);

    const last = await startSandboxProcess(false);
    try {
      expect(await tempFiles()).toEqual([]);
      const res = await fetch(`${last.baseUrl}/build/api/build/v1/${SCALE_NAMESPACE}/links/?limit=1`, { headers: { authorization: `Bearer ${last.token}` } });
      expect(res.status).toBe(200);
    } finally {
      last.child.kill("SIGTERM");
    }
  }, 120_000);
});
