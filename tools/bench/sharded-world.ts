/**
 * The world of bench scenario (h): several orgs of N repositories each, one GitHub App installed on
 * every org. Each repository holds the build service's webhook and a foreign one. The app's public
 * key is passed in (the bench makes the pair at run time; no private key is ever written to disk).
 */
import type { SeedDocument } from "../../sandbox/seed.js";

/** The shape of a sharded world. */
export interface ShardedWorldOptions {
  orgs: number;
  reposPerOrg: number;
  appId: number;
  publicKey: string;
}

/** The first installation id; org k's is this plus k. */
const FIRST_INSTALLATION = 9000;

/** The login of org `k`. */
export function shardOrg(k: number): string {
  return `shard-${k}`;
}

/** The installation id of org `k`. */
export function shardInstallation(k: number): number {
  return FIRST_INSTALLATION + k;
}

/** The seed of a sharded world. */
export function shardedSeed(options: ShardedWorldOptions): SeedDocument {
  const orgs = Array.from({ length: options.orgs }, (_, k) => shardOrg(k));
  return {
    github: {
      users: [{ login: "shard-admin" }],
      orgs: orgs.map((login) => ({ login, owners: ["shard-admin"] })),
      repos: orgs.flatMap((org) =>
        Array.from({ length: options.reposPerOrg }, (_, r) => ({
          name: `${org}/repo-${r}`,
          hooks: [
            { url: `https://cloud.docker.com/api/build/v1/vcs/${org}-${r}/trigger/call/`, events: ["push", "pull_request"] },
            { url: `https://ci.${org}.example/hooks/${r}` },
          ],
        })),
      ),
      apps: [
        {
          id: options.appId,
          publicKey: options.publicKey,
          installations: orgs.map((owner, k) => ({
            id: shardInstallation(k),
            owner,
            permissions: { metadata: "read", repository_hooks: "read" },
          })),
        },
      ],
    },
  };
}
