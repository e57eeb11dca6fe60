/** Connects the sandbox's CI to its git model: every commit that lands on a branch runs the replacement files it holds. */
import { onCommitLanded } from "../git/landed.js";
import { runCi } from "./runs.js";

let subscribed = false;

/** Subscribes once per process; a listener acts on each event's own world, so several sandboxes share it. */
export function runCiOnCommits(): void {
  if (subscribed) return;
  subscribed = true;
  onCommitLanded((event) => {
    const files = new Map<string, string>();
    for (const [path, base64] of Object.entries(event.files)) {
      if (path === "bitbucket-pipelines.yml" || path.startsWith(".github/workflows/"))
        files.set(path, Buffer.from(base64, "base64").toString("utf8"));
    }
    if (files.size === 0) return;
    runCi(event.world, event.clock, {
      provider: event.provider,
      repository: event.repository,
      ref: `refs/heads/${event.branch}`,
      sha: event.sha,
      files,
    });
  });
}
