/**
 * How many GraphQL queries `GitHubDeployKeyReader` has in flight, seen from a gate proxy on 127.0.0.1
 * in front of the sandbox. The gate forwards each query at once but holds the sandbox's answer back
 * until two answers wait (or every expected query has arrived and waits), then sends the earliest
 * batch's: a reader that keeps two queries going always fills the gate, and one that sends more is
 * seen with more than two in flight. Nothing here waits on a clock (a reader sending one query at a
 * time never fills the gate, and fails by the test's timeout).
 */
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createGitHubClients, type GitHubProviderClient } from "../../engine/clients/github/index.js";
import { Secret } from "../../engine/model/secret.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { addBulkRepositories, githubFixtureWorld } from "../support/github-harness.js";
import { startHostileProxy, type HostileProxy, type ProxyTools, type UpstreamAnswer } from "../support/hostile-proxy.js";

const REPOSITORIES = 1000;
const PER_QUERY = 100;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

/** What the gate saw of one query. */
interface Query {
  /** The batch it read: its first repository's number / 100. */
  batch: number;
  /** Answers sent to the reader before this query arrived. */
  answeredBefore: number;
}

/** A proxy that counts GraphQL queries in flight and answers them two at a time, earliest batch first. */
async function startGate(
  sandbox: SandboxHandle,
  expected: number,
): Promise<{ proxy: HostileProxy; peak(): number; arrivals(): Query[]; answers(): number[] }> {
  let inFlight = 0;
  let peak = 0;
  let arrived = 0;
  let answered = 0;
  const arrivals: (Query | null)[] = [];
  const answers: number[] = [];
  const ready: { batch: number; answer: UpstreamAnswer; res: ServerResponse; tools: ProxyTools }[] = [];

  const release = (): void => {
    while (ready.length >= 2 || (ready.length > 0 && arrived === expected && ready.length === inFlight)) {
      ready.sort((a, b) => a.batch - b.batch);
      const next = ready.shift()!;
      inFlight--;
      answered++;
      answers.push(next.batch);
      next.tools.send(next.answer.status, next.answer.headers, next.answer.text);
    }
  };

  const proxy = await startHostileProxy(sandbox.baseUrl, (req) => {
    if (req.method !== "POST" || req.url.pathname !== "/github/graphql") return undefined;
    return async (res, tools) => {
      const index = arrived++;
      arrivals.push(null);
      const answeredBefore = answered;
      inFlight++;
      peak = Math.max(peak, inFlight);
      const answer = await tools.forward();
      // Every repository holds one key titled `bulk-<n>`; the answer's first one names the batch.
      const first = /"title":"bulk-(\d+)"/.exec(answer.text);
      if (!first) throw new Error(`gate: no bulk key in the answer: ${answer.text.slice(0, 200)}`);
      const batch = Math.floor(Number(first[1]) / PER_QUERY);
      arrivals[index] = { batch, answeredBefore };
      ready.push({ batch, answer, res, tools });
      release();
    };
  });
  open.push(proxy);
  return {
    proxy,
    peak: () => peak,
    arrivals: () => arrivals.map((a) => a!),
    answers: () => [...answers],
  };
}

/** The fixture world plus `acme/bulk-0..999`, one key `bulk-<n>` each, and a provider client through `baseUrl`. */
async function start(): Promise<{ sandbox: SandboxHandle; provider(baseUrl: string): GitHubProviderClient }> {
  const { world, tokens } = githubFixtureWorld(0);
  addBulkRepositories(world, REPOSITORIES, (i) => `bulk-${i}`);
  const sandbox = await startSandbox({ seed: world });
  open.push(sandbox);
  return {
    sandbox,
    provider: (baseUrl) =>
      createGitHubClients({ apiUrl: `${baseUrl}/github`, token: new Secret(tokens.admin), retryAfterBaseMs: 5 })
        .provider as GitHubProviderClient,
  };
}

const bulk = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `acme/bulk-${from + i}`);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Checks that queries arrived in batch order, each only once all but the one before it were answered. */
function expectTwoAtATimeInOrder(arrivals: readonly Query[], batches: number): void {
  expect(arrivals).toHaveLength(batches);
  // The first two start together and may reach the gate either way round; every later one in order.
  expect(
    arrivals
      .slice(0, 2)
      .map((q) => q.batch)
      .sort(),
  ).toEqual([0, 1]);
  expect(arrivals.slice(2).map((q) => q.batch)).toEqual(range(batches).slice(2));
  // Batch k is sent only when an answer frees a slot: after the k - 1 batches before its neighbour.
  for (const query of arrivals) expect(query.answeredBefore, `batch ${query.batch}`).toBeGreaterThanOrEqual(query.batch - 1);
}

describe("GitHubDeployKeyReader's queries in flight", { timeout: 10_000 }, () => {
  it("reads 1,000 repositories in 10 queries, two in flight at a time, in the order asked", async () => {
    const { sandbox, provider } = await start();
    const gate = await startGate(sandbox, REPOSITORIES / PER_QUERY);
    const keys = await provider(gate.proxy.baseUrl).readDeployKeys(bulk(0, REPOSITORIES));

    expect(keys.size).toBe(REPOSITORIES);
    expect(keys.get("acme/bulk-999")).toMatchObject({ exists: true, items: [{ id: "30999", title: "bulk-999", readOnly: true }] });
    expect(keys.get("acme/bulk-999")?.identity?.repository).toBe("acme/bulk-999");
    expect(sandbox.counters().graphql.queries).toBe(10);
    // Two at once, not one after another and not all ten together.
    expect(gate.peak()).toBe(2);
    expectTwoAtATimeInOrder(gate.arrivals(), 10);
    expect(gate.answers()).toEqual(range(10));
  });

  it("shares the two queries between reads made at once: the later read's batches wait behind the earlier's", async () => {
    const { sandbox, provider } = await start();
    const gate = await startGate(sandbox, REPOSITORIES / PER_QUERY);
    const client = provider(gate.proxy.baseUrl);
    const [first, second] = await Promise.all([client.readDeployKeys(bulk(0, 600)), client.readDeployKeys(bulk(600, REPOSITORIES))]);

    expect([first.size, second.size]).toEqual([600, 400]);
    expect(second.get("acme/bulk-600")!.items).toEqual([{ id: "30600", title: "bulk-600", readOnly: true }]);
    expect(gate.peak()).toBe(2);
    expectTwoAtATimeInOrder(gate.arrivals(), 10);
  });
});
