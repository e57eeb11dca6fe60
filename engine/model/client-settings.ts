/** Client settings: what config resolution produces and the clients consume (endpoints, credentials, patterns, tuning). */
import type { Secret } from "./secret.js";

/** A GitHub App as the clients use it: the key (or the file it is read from on first use) and known installations. */
export interface GitHubAppSettings {
  appId: number;
  /** The private key (PEM) from the env var `privateKeyEnv` names; null when it is unset or a file is named instead. */
  privateKey: Secret | null;
  /** The key file's path, read on first use; null when the key comes from the env. */
  privateKeyFile: string | null;
  /** Where the key comes from, for messages: `env SOURCELINKS_GITHUB_APP_KEY` or `file keys/app.pem`. */
  keySource: string;
  /** Installation id per owner login (case-insensitive); others are looked up. */
  installations: Readonly<Record<string, number>>;
}

/** What the clients need to talk to one world: endpoints, credentials and the build service's patterns. */
export interface ClientSettings {
  buildService: {
    kind: "reference" | "docker-hub";
    apiUrl: string;
    token: Secret | null;
    webhookUrlPatterns: string[];
    deployKeyTitlePatterns: string[];
  };
  /** `app`: a GitHub App (providers.github.auth), whose installations carry every call instead of `token`. */
  github: { apiUrl: string; token: Secret | null; app?: GitHubAppSettings } | null;
  bitbucket: { apiUrl: string; username: string; token: Secret | null } | null;
  /** Docker Hub's API, read to verify replacement builds; absent when not configured (read anonymously at its public URL). */
  dockerHub?: { apiUrl: string; username: string; token: Secret | null };
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
    /** Bitbucket's webhook-data budget (always paced): its size and, against a sandbox, its clock's `timeScale`. */
    bitbucketPacing?: { webhookRequestsPerHour?: number; timeScale?: number };
  };
}
