/**
 * Child processes of the benchmark: the sandbox host (and its admin API) and the scenario runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { CountersSnapshot } from "../../sandbox/counters.js";
import type { FaultSpec } from "../../sandbox/faults.js";
import type { LimitsConfig } from "../../sandbox/limits.js";
import type { SandboxHostOptions } from "./sandbox-host.js";
import type { ScenarioOutcome, ScenarioParams, WorkloadName } from "./scenario.js";

const HERE = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** Extra node flags for the children, for profiling (`BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof"`). */
const NODE_ARGS = (process.env["BENCH_NODE_ARGS"] ?? "").split(" ").filter(Boolean);

/** A sandbox running in a child process, driven through `/_sandbox`. */
export class SandboxProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly env: Record<string, string>,
  ) {}

  /** Starts a sandbox host and waits for its start line. */
  static async start(options: SandboxHostOptions): Promise<SandboxProcess> {
    const child = spawn(process.execPath, [...NODE_ARGS, HERE("./sandbox-host.js")], {
      env: { ...process.env, BENCH_SANDBOX: JSON.stringify(options) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = await firstLine(child, "sandbox-host");
    const { baseUrl, env } = JSON.parse(line) as { baseUrl: string; env: Record<string, string> };
    return new SandboxProcess(child, baseUrl, env);
  }

  /** `GET /_sandbox/counters`. */
  counters(): Promise<CountersSnapshot> {
    return this.#admin<CountersSnapshot>("GET", "/counters");
  }

  /** `POST /_sandbox/counters/reset`. */
  async resetCounters(): Promise<void> {
    await this.#admin("POST", "/counters/reset");
  }

  /** `PUT /_sandbox/limits`: also starts every window afresh, as a pause of an hour of GitHub time would. */
  setLimits(change: Partial<LimitsConfig>): Promise<LimitsConfig> {
    return this.#admin<LimitsConfig>("PUT", "/limits", change);
  }

  /** `PUT /_sandbox/limits/bitbucket` with no change: forgets every webhook-data request counted so far. */
  async resetBitbucketWindows(): Promise<void> {
    await this.#admin("PUT", "/limits/bitbucket", {});
  }

  /** `PUT /_sandbox/clock`: the sandbox clock `offsetSeconds` real seconds from real time (its rate windows age with it). */
  async setClockOffset(offsetSeconds: number): Promise<void> {
    await this.#admin("PUT", "/clock", { offsetSeconds });
  }

  /** `POST /_sandbox/faults`. */
  async addFault(spec: FaultSpec): Promise<void> {
    await this.#admin("POST", "/faults", spec);
  }

  /** `POST /_sandbox/reset`: back to the generated world. */
  async resetWorld(): Promise<void> {
    await this.#admin("POST", "/reset");
  }

  /** Stops the host (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    await exited;
  }

  async #admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_sandbox${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox admin ${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
}

/** Runs `node dist/tools/bench/scenario.js <workload>` against a sandbox and returns what it printed. */
export async function runScenario(
  workload: WorkloadName,
  params: ScenarioParams,
  sandboxEnv: Record<string, string>,
): Promise<ScenarioOutcome> {
  const child = spawn(process.execPath, [...NODE_ARGS, HERE("./scenario.js"), workload], {
    env: { ...process.env, ...sandboxEnv, BENCH_SCENARIO: JSON.stringify(params) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await firstLine(child, `scenario ${workload}`);
  const code = await new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", resolve),
  );
  if (code !== 0) throw new Error(`scenario ${workload} exited with ${code}`);
  return JSON.parse(line) as ScenarioOutcome;
}

/** Runs a command to completion; returns its exit code, real seconds (process start included) and output. */
export async function timeCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; seconds: number; stdout: string; stderr: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, seconds: (performance.now() - started) / 1000, stdout, stderr };
}

/** The first line a child prints on stdout; rejects if it exits first. */
export function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) return reject(new Error(`${what}: no stdout`));
    const lines = createInterface({ input: child.stdout });
    const onExit = (code: number | null): void => reject(new Error(`${what} exited with ${code} before printing its result`));
    child.once("exit", onExit);
    lines.once("line", (line) => {
      child.off("exit", onExit);
      lines.close();
      resolve(line);
    });
  });
}
