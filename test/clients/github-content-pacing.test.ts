/**
 * The GitHub client paces content-creating requests under GitHub's hourly budget (500 a token), over
 * loopback against a sandbox that enforces it. The sandbox and the pacer read one clock that moves only
 * when the test says so, so the hour passes without waiting for it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createGitHubClients } from "../../engine/clients/github/index.js";
import type { PacerClock } from "../../engine/clients/pacer.js";
import { Secret } from "../../engine/model/secret.js";
import { proposalBranchRequest } from "../../engine/model/replacement-requests.js";
import { startGitHubSandbox, type GitHubSandbox } from "../support/github-harness.js";

const HOUR_MS = 3_600_000;

/** One clock for the sandbox and the pacer: time moves, and the pacer's timers fire, only in `advance`. */
class SharedClock implements PacerClock {
  t = 1_700_000_000_000;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #ids = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#ids;
    this.#timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.t += ms;
    for (const [id, timer] of [...this.#timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.t) break;
      this.#timers.delete(id);
      timer.fn();
    }
  }
}

let open: GitHubSandbox | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

/** Resolves once `count` of `settled` have settled (answers arrive over real loopback, not on the test's clock). */
async function settledCount(settled: boolean[], count: number): Promise<void> {
  while (settled.filter(Boolean).length < count) await new Promise((resolve) => setImmediate(resolve));
}

describe("content-creating requests past GitHub's hourly budget", () => {
  it("wait for the hour to pass instead of being refused", async () => {
    const clock = new SharedClock();
    const gh = await startGitHubSandbox({ now: () => clock.now(), limits: { enabled: true, contentCreatingPerHour: 3 } });
    open = gh;
    const { replacement } = createGitHubClients({
      apiUrl: gh.apiUrl,
      token: new Secret(gh.tokens.admin),
      // A refusal is retried at once, so a client that does not pace the hour ends refused, not waiting.
      retryAfterBaseMs: 0,
      pacing: { budgets: true, contentCreatingPerHour: 3, clock },
    });
    // Six branches created (POST …/git/refs): content-creating, unlike a DELETE.
    const main = await replacement.branchHead("acme/many", "main");
    const settled: boolean[] = [];
    const branches = Array.from({ length: 6 }, (_, i) => {
      const request = proposalBranchRequest(gh.apiUrl, "acme/many", `paced-${i}`, false);
      return replacement.send(request, { ref: `refs/heads/paced-${i}`, sha: main }).then(
        () => {
          settled[i] = true;
          return "created";
        },
        (error: unknown) => {
          settled[i] = true;
          return error instanceof Error ? error.message : String(error);
        },
      );
    });
    await settledCount(settled, 3);
    expect(gh.sandbox.counters().byEndpoint["POST /github/repos/:owner/:repo/git/refs"]).toBe(3);
    clock.advance(HOUR_MS);
    expect(await Promise.all(branches)).toEqual(Array(6).fill("created"));
    expect(gh.sandbox.counters().rejections["secondary-content-creation"]).toBe(0);
  });
});
