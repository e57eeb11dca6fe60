/** The typed registry of rules: a rule id without an entry (or an entry without an id) is a compile error. */
import { teamLinkUsesServiceAccount } from "./accounts.js";
import { replacementBeforeRevocation } from "./continuity.js";
import { liveLinkBuildsDeclaredRepositories } from "./autobuild.js";
import { liveLinkHasGrant } from "./grants.js";
import { pendingManualSteps } from "./manual-steps.js";
import { recordedStepsMatchObserved } from "./recorded-steps.js";
import { declaredRepositoryExists } from "./repositories.js";
import { linkedReposHaveOrgAccess, orgAccessMatchesDeclared } from "./org-access.js";
import { revocationIsTwoSided, revokedLinkHasNoWebhooks } from "./revocation.js";
import { noOrphanedBuildServiceArtifacts } from "./sweeps.js";
import type { Rule, RuleId } from "./types.js";
import { disabledLinkWebhooksInactive, webhookHygiene } from "./webhooks.js";

/** Every rule by id, in reporting order. */
export const rules = {
  "revoked-link-has-no-webhooks": revokedLinkHasNoWebhooks,
  "revocation-is-two-sided": revocationIsTwoSided,
  "team-link-uses-service-account": teamLinkUsesServiceAccount,
  "disabled-link-webhooks-inactive": disabledLinkWebhooksInactive,
  "org-access-matches-declared": orgAccessMatchesDeclared,
  "linked-repos-have-org-access": linkedReposHaveOrgAccess,
  "webhook-hygiene": webhookHygiene,
  "live-link-has-grant": liveLinkHasGrant,
  "live-link-builds-declared-repositories": liveLinkBuildsDeclaredRepositories,
  "pending-manual-steps": pendingManualSteps,
  "no-orphaned-build-service-artifacts": noOrphanedBuildServiceArtifacts,
  "declared-repository-exists": declaredRepositoryExists,
  "recorded-steps-match-observed": recordedStepsMatchObserved,
  "replacement-before-revocation": replacementBeforeRevocation,
} as const satisfies { [K in RuleId]: Rule & { id: K } };

/** The rules as a list, in reporting order. */
export const ruleList: readonly Rule[] = Object.values(rules);
