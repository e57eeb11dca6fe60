/**
 * What the reliability tests share: a world with foreign things to protect, a fault mix (server
 * errors, rate limits with `retry-after`, dropped connections, lost responses, timeouts) under a fixed
 * seed, a proxy that kills its client at a chosen change, and readers that compare worlds without
 * their random ids.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { FaultSpec } from "../../sandbox/faults.js";
import { demoSeedPath, type SandboxHandle } from "../../sandbox/server.js";
import type { SeedDocument } from "../../sandbox/seed.js";
import type { World } from "../../sandbox/world.js";
import { startHostileProxy } from "./hostile-proxy.js";

/** The demo world's build-service webhook and deploy key patterns (examples/basic/sourcelinks.yaml). */
const SERVICE_HOOK = /^https:\/\/(cloud\.docker\.com\/api\/build\/v1\/vcs\/[^/]+\/trigger\/call\/|registry\.hub\.docker\.com\/hooks\/)/;
const SERVICE_KEY = /^Docker Hub Builder/;

/**
 * The clients' settings for runs under faults: a client timeout (an injected timeout holds the
 * connection far longer), and retry waits at 1/100: the faults' `retry-after: 1` and the clients'
 * backoff become milliseconds. The same requests are retried as often as at full waits (a fault is
 * drawn per request and occurrence, not per moment), so nothing is retried more, only sooner.
 */
export const FAULT_ENV = { SOURCELINKS_HTTP_TIMEOUT: "1", SOURCELINKS_ETAG_CACHE: "off", SOURCELINKS_RETRY_WAIT_SCALE: "0.01" } as const;

/**
 * The fault mix on every service: 10% server errors, 5% rate limits (GitHub's secondary 403/429),
 * 3% dropped connections, 3% lost responses (the change is made, the answer never comes) and 2%
 * timeouts, drawn per request from `seed`.
 */
export function faultMix(seed: number): FaultSpec {
  return {
    errorRate: 0.1,
    errorStatus: 503,
    rateLimitRate: 0.05,
    retryAfterSeconds: 1,
    dropRate: 0.03,
    lostResponseRate: 0.03,
    timeoutRate: 0.02,
    timeoutMs: 10_000,
    seed,
  };
}

/** The demo world plus foreign deploy keys beside the build service's, which no run may delete. */
export function worldWithForeignKeys(): SeedDocument {
  const seed = parse(readFileSync(demoSeedPath(), "utf8")) as SeedDocument & {
    github: { repos: { name: string; deployKeys?: { title: string }[] }[] };
  };
  for (const repo of seed.github.repos) {
    if (repo.name === "acme/legacy-api" || repo.name === "acme/api") {
      (repo.deployKeys ??= []).push({ title: `Release signing (${repo.name})` });
    }
  }
  return seed;
}

/** Every webhook and deploy key that is not the build service's, as `provider repo kind id what`. */
export function foreignThings(world: World): string[] {
  const out: string[] = [];
  for (const r of world.github.repos) {
    const repo = `${r.owner}/${r.name}`;
    for (const h of r.hooks) if (!SERVICE_HOOK.test(h.config.url)) out.push(`github ${repo} hook ${h.id} ${h.config.url}`);
    for (const k of r.keys) if (!SERVICE_KEY.test(k.title)) out.push(`github ${repo} key ${k.id} ${k.title}`);
  }
  for (const r of world.bitbucket.repos) {
    const repo = `${r.workspace}/${r.slug}`;
    for (const h of r.hooks) if (!SERVICE_HOOK.test(h.url)) out.push(`bitbucket ${repo} hook ${h.uuid} ${h.url}`);
    for (const k of r.keys) if (!SERVICE_KEY.test(k.label)) out.push(`bitbucket ${repo} key ${k.id} ${k.label}`);
  }
  return out.sort();
}

/**
 * What reconciling changes, without the random ids of links made during a run: link records, the
 * build service's webhooks and deploy keys, grants, org access. Two worlds with equal fingerprints
 * hold the same links (no duplicate from a resent `POST`), leftovers and grants.
 */
export function fingerprint(world: World): unknown {
  return {
    links: world.buildService.links.map((l) => `${l.namespace} ${l.provider} ${l.account} ${l.team ?? "-"} ${l.state}`).sort(),
    github: world.github.repos.map((r) => ({
      repo: `${r.owner}/${r.name}`,
      hooks: r.hooks.map((h) => `${h.id} ${h.config.url}`),
      keys: r.keys.map((k) => `${k.id} ${k.title}`),
    })),
    tokens: world.github.tokens.map((t) => `${t.login} ${t.kind} ${t.clientId ?? "-"} ${t.revoked}`).sort(),
    orgs: world.github.orgs.map((o) => `${o.login} ${JSON.stringify(o.oauthAppAccess)}`),
    bitbucket: world.bitbucket.repos.map((r) => ({
      repo: `${r.workspace}/${r.slug}`,
      hooks: r.hooks.map((h) => h.url),
      keys: r.keys.map((k) => k.label),
    })),
    grants: world.bitbucket.users.map((u) => u.grants.map((g) => `${g.consumerKey} ${g.revoked}`)),
  };
}

/**
 * The clients' settings for runs killed at a change: no faults are injected, so the client timeout
 * stays at its default (the 1 s of FAULT_ENV could expire on a loaded machine before the kill point).
 */
export const KILL_ENV = { SOURCELINKS_ETAG_CACHE: "off" } as const;

/** Whether a request changes something: every non-GET except the grant check (`POST …/token`, a read) and GraphQL (reads here). */
function isChange(method: string, path: string): boolean {
  return method !== "GET" && !/\/applications\/[^/]+\/token$/.test(path) && !path.endsWith("/graphql");
}

/** A proxy that kills its client at one change: see `killAtChange`. */
export interface ChangeTrap {
  /** The env overrides that send the client's API requests through the trap. */
  env: Record<string, string>;
  /** Whether the trapped change arrived (and the client was killed there). */
  sprung(): boolean;
  /** Resolves once every request the trap took is done with (forwarded, answered or dropped). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A proxy in front of `sandbox` that holds the client's `at`th change, runs `kill` (which resolves once
 * the client is gone), then makes that change (`made: true`: the client died waiting for the answer)
 * or drops it (`made: false`: it died before sending it). Requests arriving after the trapped one are
 * never forwarded. So the kill lands at the same change, with the same world behind it, whatever the
 * machine's load.
 */
export async function killAtChange(
  sandbox: SandboxHandle,
  at: number,
  options: { made: boolean; kill: () => Promise<void> },
): Promise<ChangeTrap> {
  let changes = 0;
  let killing: Promise<void> | null = null;
  const taken = new Set<Promise<void>>();
  const proxy = await startHostileProxy(sandbox.baseUrl, (req) => {
    const trapped = isChange(req.method, req.url.pathname) && ++changes === at;
    return (res, tools) => {
      const done = (async () => {
        if (trapped) killing = options.kill();
        if (killing !== null) {
          await killing;
          if (trapped && options.made) await tools.forward();
          res.destroy();
          return;
        }
        const answer = await tools.forward();
        tools.send(answer.status, answer.headers, answer.text);
      })();
      taken.add(done);
      return done.finally(() => taken.delete(done));
    };
  });
  return {
    env: proxy.env,
    sprung: () => killing !== null,
    settled: async () => {
      while (taken.size > 0) await Promise.allSettled([...taken]);
    },
    close: () => proxy.close(),
  };
}

/** Requests that changed something so far: every non-GET except the grant check (`POST …/token`, a read). */
export function changesSent(sandbox: SandboxHandle): number {
  return Object.entries(sandbox.counters().byEndpoint)
    .filter(
      ([endpoint]) =>
        !endpoint.startsWith("GET ") && !endpoint.endsWith("/applications/:client_id/token") && !endpoint.endsWith("/graphql"),
    )
    .reduce((sum, [, n]) => sum + n, 0);
}
