/**
 * The provider's path (reconcileLink on one link, no other declaration known) in the shared world of
 * test/fixtures/worlds/shared.yaml: what the build-service token shows in its other namespaces
 * (`GET /namespaces/`) is enough to keep what other live links use.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfigFiles } from "../../engine/config/load.js";
import type { SourcelinksConfig } from "../../engine/model/spec.js";
import { createOperationContext, reconcileLink } from "../../engine/reconcile/operations.js";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { githubRepo, liveAppTokens } from "../support/demo-config.js";

const SEED = fileURLToPath(new URL("../fixtures/worlds/shared.yaml", import.meta.url));
const CONFIG = fileURLToPath(new URL("../fixtures/worlds/shared.sourcelinks.yaml", import.meta.url));
const CLIENT_ID = "Iv1.7c3e9a1f5b2d4e60";

let sandbox: SandboxHandle;
let config: SourcelinksConfig;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED });
  config = (await loadConfigFiles([CONFIG])).config;
});
afterAll(async () => {
  await sandbox?.close();
});
beforeEach(async () => {
  await sandbox.reset();
});

function spec(name: string) {
  const found = config.links.find((l) => l.name === name);
  if (!found) throw new Error(`no link ${name}`);
  return found;
}

describe("revoking one link alone (as the provider's delete does)", () => {
  it("keeps the grant and the acme/api artifacts acme's live link uses, and cleans the rest, the record's repositories included", async () => {
    const ctx = createOperationContext({ ...config, links: [spec("beta-shared")] }, { ...sandbox.env });
    const before = githubRepo(sandbox.world(), "acme/api");
    const hooksBefore = before.hooks.length;
    const keysBefore = before.keys.length;

    const { plan, result, observed } = await reconcileLink(ctx, spec("beta-shared"));
    expect(result.failed).toBeNull();
    expect(plan.steps.map((s) => s.kind)).not.toContain("revoke-grant");
    const acmeLink = sandbox.world().buildService.links.find((l) => l.namespace === "acme" && l.account === "shared-bot")!;
    expect(plan.kept?.map((k) => [k.kind, k.keptFor])).toEqual([
      ["grant", [`link ${acmeLink.id} in namespace acme (github account shared-bot)`]],
      ["webhook", [`link ${acmeLink.id} in namespace acme (github account shared-bot)`]],
      ["deploy-key", [`link ${acmeLink.id} in namespace acme (github account shared-bot)`]],
    ]);
    // Both tokens of the grant (acme's and beta's link) stay valid: the grant was not revoked.
    expect(liveAppTokens(sandbox.world(), "shared-bot", CLIENT_ID)).toBe(2);
    expect([githubRepo(sandbox.world(), "acme/api").hooks.length, githubRepo(sandbox.world(), "acme/api").keys.length]).toEqual([
      hooksBefore,
      keysBefore,
    ]);
    expect(githubRepo(sandbox.world(), "beta/old-tool").keys).toEqual([]);
    expect(observed.repositories.map((r) => [r.repository, r.source ?? "declared"])).toEqual([
      ["acme/api", "declared"],
      ["beta/app", "declared"],
      ["beta/old-tool", "record"],
    ]);
  });
});
