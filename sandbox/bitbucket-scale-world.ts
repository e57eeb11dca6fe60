/**
 * A large generated Bitbucket workspace for the benchmark and the pacing tests (docs/performance.md):
 * one workspace of N repositories, each with a foreign webhook, every Kth also with the build service's
 * webhook and deploy key, and one user with an API token who administers it.
 */
import { loadSeed, type SeedDocument } from "./seed.js";
import type { World } from "./world.js";

/** The workspace holding every generated repository. */
export const BITBUCKET_SCALE_WORKSPACE = "scale-ws";
/** The user whose API token reads the workspace. */
export const BITBUCKET_SCALE_USER = "scale-bb-admin";

/** Shape of a generated workspace. */
export interface BitbucketScaleOptions {
  /** Repositories `scale-ws/repo-<n>` (default 5,000). */
  repositories?: number;
  /** Every how many repositories carry the build service's webhook and deploy key (default 10: a tenth). */
  artifactsEvery?: number;
}

/** The build service's webhook URL on repository `n` (docker-hub's pattern). */
export function bitbucketScaleHookUrl(n: number): string {
  return `https://cloud.docker.com/api/build/v1/vcs/5ca1eb0b-0000-4000-8000-${n.toString(16).padStart(12, "0")}/trigger/call/`;
}

/** The seed document of a generated workspace. */
export function bitbucketScaleSeed(options: BitbucketScaleOptions = {}): SeedDocument {
  const count = options.repositories ?? 5000;
  const every = options.artifactsEvery ?? 10;
  if (!(count >= 1) || !(every >= 1)) throw new RangeError("bitbucket scale world: need at least one repository and artifactsEvery ≥ 1");
  const repos = Array.from({ length: count }, (_, n) => {
    const ours = n % every === 0;
    return {
      name: `${BITBUCKET_SCALE_WORKSPACE}/repo-${n}`,
      hooks: [
        ...(ours ? [{ url: bitbucketScaleHookUrl(n), description: "Docker Hub", secret: true }] : []),
        { url: `https://ci.scale.example/bitbucket/${n}`, description: "CI" },
      ],
      deployKeys: ours ? [{ label: "Docker Hub Builder", key: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIbbscale${n} sandbox` }] : [],
    };
  });
  return {
    operator: { bitbucket: BITBUCKET_SCALE_USER },
    bitbucket: { users: [{ username: BITBUCKET_SCALE_USER, workspaces: [BITBUCKET_SCALE_WORKSPACE] }], repos },
  };
}

/** A generated workspace, ready for `startSandbox({ seed })`. */
export function generateBitbucketScaleWorld(options: BitbucketScaleOptions = {}): World {
  return loadSeed(bitbucketScaleSeed(options), "bitbucket-scale-world");
}
