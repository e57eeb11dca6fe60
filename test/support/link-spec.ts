/**
 * The link spec most tests start from and change one field of: team ci of namespace acme linked
 * through the service account acme-builder, building from acme/api and acme/web, as the demo world
 * and examples/basic/sourcelinks.yaml declare it.
 */
import type { LinkSpec } from "../../engine/model/spec.js";

/** The declared team link `acme-builds` (linked, deleting webhooks and deploy keys on revoke), with `overrides` applied. */
export function teamSpec(overrides: Partial<LinkSpec> = {}): LinkSpec {
  return {
    name: "acme-builds",
    namespace: "acme",
    team: "ci",
    provider: "github",
    account: "acme-builder",
    serviceAccount: true,
    state: "linked",
    repositories: ["acme/api", "acme/web"],
    onRevoke: { webhooks: "delete", deployKeys: "delete" },
    ...overrides,
  };
}
