/** Test helper: a valid configuration with many links, for the load-time check (docs/performance.md). */
import { MINIMAL_CONFIG_HEAD } from "../../tools/bench/scale-config.js";

/** YAML text of a config with `count` GitHub links (about 150 bytes per link). */
export function largeConfigText(count: number): string {
  const lines = [...MINIMAL_CONFIG_HEAD, "links:"];
  for (let i = 0; i < count; i++) {
    const id = String(i).padStart(5, "0");
    lines.push(
      `  - name: app-${id}`,
      "    namespace: acme",
      "    provider: github",
      `    account: builder-${i}`,
      `    state: ${i % 10 === 0 ? "revoked" : "linked"}`,
      `    repositories: [acme/app-${id}, acme/app-${id}-web]`,
    );
  }
  return lines.join("\n") + "\n";
}
