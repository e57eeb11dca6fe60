/**
 * `RunDeployKeys` splits a run's declared repositories into batches of `DEPLOY_KEY_BATCH` and lets a
 * link wait only for its own batch. A fake client whose batched reads the test answers by hand: this
 * is about which promise waits for which, not HTTP (the batched read itself is tested over the sandbox
 * in test/clients/github-deploy-keys-*.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { RepositoryListing, SourceProviderClient } from "../../engine/clients/types.js";
import type { ObservedDeployKey } from "../../engine/model/observed.js";
import { DEPLOY_KEY_BATCH, RunDeployKeys } from "../../engine/reconcile/run-deploy-keys.js";
import { teamSpec } from "../support/link-spec.js";

type Listing = RepositoryListing<ObservedDeployKey>;

/** One `readDeployKeys` call, answered when the test says. */
interface Call {
  repositories: string[];
  answer(): void;
  fail(error: Error): void;
}

/** A GitHub client whose `readDeployKeys` records each call and answers only when told. */
function handAnsweredClient(): { client: SourceProviderClient; calls: Call[] } {
  const calls: Call[] = [];
  const refuse = (): never => {
    throw new Error("not part of this test");
  };
  const client: SourceProviderClient = {
    kind: "github",
    listWebhooks: refuse,
    deleteWebhook: refuse,
    listDeployKeys: refuse,
    deleteDeployKey: refuse,
    readDeployKeys: (repositories) =>
      new Promise<Map<string, Listing>>((resolve, reject) => {
        const asked = [...repositories];
        calls.push({
          repositories: asked,
          answer: () => resolve(new Map(asked.map((r) => [r, { exists: true, items: [{ id: r, title: `key of ${r}`, readOnly: true }] }]))),
          fail: reject,
        });
      }),
  };
  return { client, calls };
}

/** `count` repositories `acme/r<from>…`. */
const repos = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `acme/r${from + i}`);

/** 25 links of about 10 repositories each (249 declared, three batches), plus a Bitbucket link that is not GitHub's to read. */
function declaredLinks(): ReturnType<typeof teamSpec>[] {
  const links = Array.from({ length: 25 }, (_, i) => teamSpec({ name: `link-${i}`, repositories: repos(i * 10, 10) }));
  // A repository named by two links is read once, in the batch of its first mention.
  links[3] = teamSpec({ name: "link-3", repositories: [...repos(30, 9), "acme/r0"] });
  links.splice(1, 0, teamSpec({ name: "bb", provider: "bitbucket", repositories: ["ws/one"] }));
  return links;
}

/** "settled" once `promise` has settled; "pending" if it has not after every queued microtask (one event-loop turn). */
async function stateOf(promise: Promise<unknown>): Promise<"settled" | "pending"> {
  const settled = promise.then(
    () => "settled" as const,
    () => "settled" as const,
  );
  const turn = new Promise<"pending">((resolve) => setImmediate(() => resolve("pending")));
  return Promise.race([settled, turn]);
}

describe("RunDeployKeys", () => {
  it("reads the declared repositories in batches of 100 in declaration order, once for the run", async () => {
    const { client, calls } = handAnsweredClient();
    const keys = new RunDeployKeys(declaredLinks());
    const first = keys.read(client, repos(0, 10));
    const again = keys.read(client, repos(240, 10));

    const declared = [...repos(0, 39), ...repos(40, 210)];
    expect(calls.map((c) => c.repositories)).toEqual([declared.slice(0, 100), declared.slice(100, 200), declared.slice(200)]);
    expect(DEPLOY_KEY_BATCH).toBe(100);
    for (const call of calls) call.answer();
    expect((await first).get("acme/r3")).toEqual({ exists: true, items: [{ id: "acme/r3", title: "key of acme/r3", readOnly: true }] });
    expect([...(await again).keys()]).toEqual(repos(240, 10));
    expect(calls).toHaveLength(3);
  });

  it("answers a link when its own batch is answered, while the other batches are still pending", async () => {
    const { client, calls } = handAnsweredClient();
    const keys = new RunDeployKeys(declaredLinks());
    const firstLink = keys.read(client, repos(0, 10));
    const lastLink = keys.read(client, repos(240, 10));
    // r39 is not declared, so r40 and on are one place earlier: r95..r100 close the first batch, r101..r104 open the second.
    const straddling = keys.read(client, [...repos(95, 10), "acme/r0"]);
    expect(calls).toHaveLength(3);

    calls[0]!.answer();
    expect(await stateOf(firstLink)).toBe("settled");
    expect([...(await firstLink).keys()]).toEqual(repos(0, 10));
    expect(await stateOf(lastLink)).toBe("pending");
    expect(await stateOf(straddling)).toBe("pending");

    calls[2]!.answer();
    expect(await stateOf(lastLink)).toBe("settled");
    expect(await stateOf(straddling)).toBe("pending");

    calls[1]!.answer();
    expect([...(await straddling).keys()]).toEqual([...repos(95, 10), "acme/r0"]);
  });

  it("reads a repository no declared link names in a call of its own, beside the batches", async () => {
    const { client, calls } = handAnsweredClient();
    const keys = new RunDeployKeys(declaredLinks());
    const read = keys.read(client, ["acme/r5", "acme/r39", "other/revoked"]);
    expect(calls.map((c) => c.repositories.length)).toEqual([100, 100, 49, 2]);
    expect(calls[3]!.repositories).toEqual(["acme/r39", "other/revoked"]);

    calls[3]!.answer();
    expect(await stateOf(read)).toBe("pending");
    calls[0]!.answer();
    expect(await stateOf(read)).toBe("settled");
    expect([...(await read).keys()]).toEqual(["acme/r5", "acme/r39", "other/revoked"]);
  });

  it("leaves no unhandled rejection for a failed batch no one awaits, and gives its error to whoever reads it later", async () => {
    const { client, calls } = handAnsweredClient();
    const keys = new RunDeployKeys(declaredLinks());
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on("unhandledRejection", record);
    try {
      const firstLink = keys.read(client, repos(0, 10));
      const refused = new Error("GraphQL query refused");
      calls[2]!.fail(refused);
      calls[1]!.fail(refused);
      calls[0]!.answer();
      expect((await firstLink).size).toBe(10);
      // Node reports unhandled rejections once the microtask queue is drained, before the next turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      await expect(keys.read(client, repos(240, 10))).rejects.toBe(refused);
    } finally {
      process.off("unhandledRejection", record);
    }
  });
});
