/** A sandbox whose Docker Hub holds a private and a public repository, on a fake clock the test moves. */
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import type { PacerClock } from "../../engine/clients/pacer.js";

/** A clock both the sandbox and a client read: timers fire at once, moving time to their due moment. */
export class FakeClock implements PacerClock {
  /** Every wait asked for, in ms. */
  readonly waits: number[] = [];
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.waits.push(ms);
    return setImmediate(() => {
      this.ms += ms;
      fn();
    });
  }
  clearTimeout(handle: unknown): void {
    clearImmediate(handle as ReturnType<typeof setImmediate>);
  }
  /** A `sleep` for the transport that moves this clock instead of waiting. */
  readonly sleep = async (ms: number): Promise<void> => {
    this.waits.push(ms);
    this.ms += ms;
  };
}

/** The seed: user acme-ci reads namespace acme with a read-only token; acme/api is private, acme/docs public. */
export function dockerHubSeed(options: { limit?: number; token?: string } = {}): string {
  return [
    "dockerHub:",
    "  users:",
    `    - { username: acme-ci, namespaces: [acme], accessTokens: [{ scope: read, value: ${options.token ?? "sbx-dckr-read-0123456789abcdef"} }] }`,
    "  repositories:",
    "    - name: acme/api",
    "      tags: [{ name: latest, lastPushed: 2026-11-01T12:00:00Z }, { name: v1.2.3, lastPushed: 2026-11-02T08:30:00Z }]",
    "    - { name: acme/docs, private: false, tags: [{ name: latest, lastPushed: 2026-10-01T00:00:00Z }] }",
    ...(options.limit === undefined ? [] : [`  rateLimit: { limit: ${options.limit}, windowSeconds: 60 }`]),
    "",
  ].join("\n");
}

/** Starts a sandbox on `clock` with the seed. */
export function startDockerHub(clock: FakeClock, options: { limit?: number; token?: string } = {}): Promise<SandboxHandle> {
  return startSandbox({ seed: dockerHubSeed(options), now: () => clock.now() });
}
