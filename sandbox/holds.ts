/** Requests held open by an injected timeout, released when their time is up, the client leaves or the sandbox closes. */
import type { ServerResponse } from "node:http";

/** The pending holds of one sandbox. */
export class Holds {
  readonly #pending = new Set<() => void>();

  /** Resolves after `ms`, or earlier when the client closes the connection or `releaseAll` runs. */
  hold(ms: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#pending.delete(done);
        res.off("close", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#pending.add(done);
      res.on("close", done);
    });
  }

  /** Ends every hold now (on close). */
  releaseAll(): void {
    for (const release of [...this.#pending]) release();
  }
}
