/** Test helper: a valid configuration with many links, for the load-time check (design.md §8). */

/** YAML text of a config with `count` GitHub links (about 150 bytes per link). */
export function largeConfigText(count: number): string {
  const lines = [
    "apiVersion: sourcelinks/v1",
    "buildService:",
    "  kind: docker-hub",
    "  oauthApps:",
    "    github: { clientId: Iv1.5a9d0c3e7b214f68, name: Docker Hub Builder }",
    "providers:",
    "  github: {}",
    "links:",
  ];
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
