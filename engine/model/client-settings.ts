/** Client settings: what config resolution produces and the clients consume (endpoints, credentials, patterns, tuning). */
import type { Secret } from "./secret.js";

/** What the clients need to talk to one world: endpoints, credentials and the build service's patterns. */
export interface ClientSettings {
  buildService: {
    kind: "reference" | "docker-hub";
    apiUrl: string;
    token: Secret | null;
    webhookUrlPatterns: string[];
    deployKeyTitlePatterns: string[];
  };
  github: { apiUrl: string; token: Secret | null } | null;
  bitbucket: { apiUrl: string; username: string; token: Secret | null } | null;
  /** Optional tuning; defaults suit api.github.com. */
  options?: {
    /** Maximum concurrent requests per provider. */
    concurrency?: number;
    /** File that persists ETags between runs; memory only when absent. */
    etagCacheFile?: string;
    /** Per-attempt HTTP timeout in milliseconds for every client; default 30 000. */
    requestTimeoutMs?: number;
    /** Fraction of each retry wait (`retry-after`, backoff) actually waited; default 1. Tests against the sandbox only (config/runtime.ts). */
    retryWaitScale?: number;
    /**
     * GitHub pacing: point budgets are paced by default only for api.github.com and *.ghe.com;
     * `budgets: true` forces them (a github.com-like sandbox), `timeScale` matches the sandbox's.
     */
    githubPacing?: { budgets?: boolean; timeScale?: number; endpointPointsPerMinute?: number; contentCreatingPerMinute?: number };
  };
}
