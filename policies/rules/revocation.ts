/**
 * Revocation rules: a revoked link leaves nothing behind on the repositories (`revoked-link-has-no-webhooks`)
 * and is revoked on both sides, the build service and the provider's OAuth grant (`revocation-is-two-sided`).
 */
import { matchesAny } from "./glob.js";
import { APPLY, GRANT_UI, RECHECK, describeDeployKey, describeWebhook, pointerAt, repositoryPointer } from "./common.js";
import { ownerOf, sameName, sameRepository } from "./names.js";
import { revokeGrantStep } from "../../engine/reconcile/manual-steps.js";
import { isLive } from "../../engine/model/observed.js";
import type { Finding, GithubWebhookFacts, LinkFacts, LinkRule, RuleContext, StackFacts } from "./types.js";

/** The fix for a leftover of kind `webhooks` or `deployKeys`, depending on what `onRevoke` says. */
function leftoverFix(link: LinkFacts, kind: "webhooks" | "deployKeys"): string {
  return link.desired.onRevoke[kind] === "keep" ? `set onRevoke.${kind}: delete and ${APPLY}` : `${APPLY} to delete it`;
}

/** Per link: live leftovers, or (without observed state) an `onRevoke: keep` that guarantees them. */
function revokedLinkLeftovers(link: LinkFacts): Finding[] {
  const { desired, observed, name } = link;
  if (desired.state !== "revoked") return [];
  const findings: Finding[] = [];
  if (observed === undefined || observed === "unknown") {
    for (const kind of ["webhooks", "deployKeys"] as const) {
      if (desired.onRevoke[kind] !== "keep") continue;
      const noun = kind === "webhooks" ? "webhooks" : "deploy keys";
      const fix = `set onRevoke.${kind}: delete and ${APPLY}`;
      for (const repository of desired.repositories) {
        findings.push({
          resource: name,
          subject: repository,
          message: `link "${name}" is revoked with onRevoke.${kind}: keep, so the build service's ${noun} stay on ${repository}: ${fix}`,
          fix,
          pointer: pointerAt(link, `/onRevoke/${kind}`),
        });
      }
    }
    if (observed === "unknown" && findings.length === 0) {
      findings.push({
        resource: name,
        subject: desired.repositories.join(", "),
        message: `link "${name}" is revoked; whether the build service's webhooks and deploy keys are gone from ${desired.repositories.join(", ")} cannot be checked until apply: ${RECHECK}`,
        fix: RECHECK,
        pointer: pointerAt(link, "/state"),
        undecided: true,
      });
    }
    return findings;
  }
  for (const repo of observed.repositories) {
    // Another live link builds from this repository: what is there is its own, and no revocation removes it.
    if (repo.coveredBy !== undefined && repo.coveredBy.length > 0) continue;
    for (const hook of repo.webhooks) {
      const fix = leftoverFix(link, "webhooks");
      findings.push({
        resource: name,
        subject: repo.repository,
        message: `link "${name}" is revoked but the build service's ${describeWebhook(hook)} is still on ${repo.repository}: ${fix}`,
        fix,
        pointer: repositoryPointer(link, repo.repository),
      });
    }
    for (const key of repo.deployKeys) {
      const fix = leftoverFix(link, "deployKeys");
      findings.push({
        resource: name,
        subject: repo.repository,
        message: `link "${name}" is revoked but the build service's ${describeDeployKey(key)} is still on ${repo.repository}: ${fix}`,
        fix,
        pointer: repositoryPointer(link, repo.repository),
      });
    }
  }
  return findings;
}

/** The revoked GitHub links a `@pulumi/github` webhook resource lands on, with the declared repository or org it hits. */
function revokedTargets(hook: GithubWebhookFacts, links: readonly LinkFacts[]): { link: LinkFacts; subject: string }[] {
  const out: { link: LinkFacts; subject: string }[] = [];
  for (const link of links) {
    if (link.desired.state !== "revoked" || link.desired.provider !== "github") continue;
    if (hook.type === "github:index/repositoryWebhook:RepositoryWebhook") {
      const written = hook.repository;
      if (written === undefined) continue;
      for (const declared of link.desired.repositories) {
        if (sameRepository(written, declared)) out.push({ link, subject: declared });
      }
    } else if (hook.org !== undefined) {
      const org = hook.org;
      const declared = link.desired.repositories.find((r) => sameName(ownerOf(r), org));
      if (declared !== undefined) out.push({ link, subject: ownerOf(declared) });
    }
  }
  return out;
}

/** Stack part: `@pulumi/github` webhooks that re-add the build service's webhook where a link is revoked. */
function managedWebhooksOnRevokedLinks(stack: StackFacts, ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const hook of stack.githubWebhooks) {
    const kind = hook.type === "github:index/repositoryWebhook:RepositoryWebhook" ? "RepositoryWebhook" : "OrganizationWebhook";
    const target = kind === "RepositoryWebhook" ? hook.repository : hook.org;
    if (target === undefined) {
      // Without the repository (unknown during preview) or the org (no provider `owner`), a matching
      // or unknown URL cannot be placed: report it as undecided rather than pass it.
      const revoked = stack.links.find((l) => l.desired.state === "revoked" && l.desired.provider === "github");
      if (revoked === undefined || (hook.url !== undefined && !matchesAny(hook.url, ctx.webhookUrlPatterns))) continue;
      const what = kind === "RepositoryWebhook" ? "repository" : "org";
      const fix = kind === "RepositoryWebhook" ? RECHECK : "set the github provider's owner so the org is known, then check again";
      findings.push({
        resource: hook.resourceName,
        subject: `(unknown ${what})`,
        message: `@pulumi/github ${kind} "${hook.resourceName}" may put the build service's webhook on a ${what} of revoked link "${revoked.name}", but its ${what} cannot be known: ${fix}`,
        fix,
        undecided: true,
      });
      continue;
    }
    for (const { link, subject } of revokedTargets(hook, stack.links)) {
      const where = kind === "RepositoryWebhook" ? `${subject}, a repository` : `org ${subject}, an org`;
      const pointer = kind === "RepositoryWebhook" ? repositoryPointer(link, subject) : pointerAt(link, "/state");
      if (hook.url === undefined) {
        findings.push({
          resource: hook.resourceName,
          subject,
          message: `@pulumi/github ${kind} "${hook.resourceName}" on ${where} of revoked link "${link.name}", cannot be checked until apply because its URL is unknown during preview: ${RECHECK}`,
          fix: RECHECK,
          pointer,
          undecided: true,
        });
      } else if (matchesAny(hook.url, ctx.webhookUrlPatterns)) {
        const fix = `remove the ${kind} resource from the Pulumi program and run pulumi up`;
        findings.push({
          resource: hook.resourceName,
          subject,
          message: `@pulumi/github ${kind} "${hook.resourceName}" points the build service's webhook URL ${hook.url} at ${where} of revoked link "${link.name}": ${fix}`,
          fix,
          pointer,
        });
      }
    }
  }
  return findings;
}

/** `revoked-link-has-no-webhooks`: nothing of the build service stays on a revoked link's repositories. */
export const revokedLinkHasNoWebhooks = {
  id: "revoked-link-has-no-webhooks",
  scope: "link",
  defaultEnforcement: "mandatory",
  description:
    "A revoked link must leave no build-service webhook or deploy key on its repositories: the build service does not remove them when access is revoked, so a revoked link with `onRevoke: keep` or with live leftovers still receives pushes and can still clone. In a Pulumi stack, a `@pulumi/github` RepositoryWebhook or OrganizationWebhook whose URL matches the build service's patterns on a repository or org of a revoked link is a violation too, because it puts the webhook back.",
  evaluate: revokedLinkLeftovers,
  evaluateStack: managedWebhooksOnRevokedLinks,
} satisfies LinkRule;

/**
 * The fix for a provider grant that is still active or cannot be checked, naming only what will work:
 * apply revokes a GitHub grant by API when the client secret is declared and the build service has a
 * link API (it holds the token that names the grant); on `docker-hub` and on Bitbucket a person does it.
 */
function grantFix(link: LinkFacts, ctx: RuleContext): string {
  const { provider, account } = link.desired;
  const manual = `have "${account}" revoke it at ${GRANT_UI[provider]}, then record ${revokeGrantStep(provider, account, "").id} under the link's manualSteps`;
  if (provider !== "github") return manual;
  const caps = ctx.capabilities;
  if (caps?.buildServiceKind === "docker-hub") return manual;
  if (caps?.githubClientSecret === true) return `${APPLY} to revoke it by API, or ${manual}`;
  return `set buildService.oauthApps.github.clientSecretEnv and ${APPLY} so the grant is revoked by API, or ${manual}`;
}

/** `revocation-is-two-sided`: revoked on the build service and at the provider. */
function twoSided(link: LinkFacts, ctx: RuleContext): Finding[] {
  const { desired, observed, name } = link;
  if (desired.state !== "revoked" || observed === undefined) return [];
  if (observed === "unknown") {
    return [
      {
        resource: name,
        subject: desired.account,
        message: `link "${name}" is revoked; whether it is unlinked on the build service and the ${desired.provider} grant of "${desired.account}" is revoked cannot be checked until apply: ${RECHECK}`,
        fix: RECHECK,
        pointer: pointerAt(link, "/state"),
        undecided: true,
      },
    ];
  }
  const findings: Finding[] = [];
  if (isLive(observed.state)) {
    const fix = `${APPLY} to unlink it`;
    findings.push({
      resource: name,
      subject: desired.namespace,
      message: `link "${name}" is revoked in the config but still ${observed.state} on the build service in namespace ${desired.namespace}: ${fix}`,
      fix,
      pointer: pointerAt(link, "/state"),
    });
  }
  // A grant other live links still use is kept on purpose; pending-manual-steps says which and when.
  if ((observed.grantSharedWith ?? []).length > 0) return findings;
  if (observed.providerGrant === "active") {
    const fix = grantFix(link, ctx);
    findings.push({
      resource: name,
      subject: desired.account,
      message: `link "${name}" is revoked but the ${desired.provider} OAuth grant of "${desired.account}" to the build service's app is still active: ${fix}`,
      fix,
      pointer: pointerAt(link, "/account"),
    });
  } else if (
    observed.providerGrant === "unverifiable" &&
    observed.pendingManualSteps.length === 0 &&
    (observed.manualStepsDoneByHand ?? []).length === 0
  ) {
    const fix = grantFix(link, ctx);
    findings.push({
      resource: name,
      subject: desired.account,
      message: `link "${name}" is revoked but whether the ${desired.provider} OAuth grant of "${desired.account}" is revoked cannot be verified and no manual step is recorded: ${fix}`,
      fix,
      pointer: pointerAt(link, "/account"),
    });
  }
  return findings;
}

/** `revocation-is-two-sided`: unlinking on the build service alone leaves the OAuth grant usable. */
export const revocationIsTwoSided = {
  id: "revocation-is-two-sided",
  scope: "link",
  defaultEnforcement: "mandatory",
  description:
    "Revoking a link takes two steps: unlinking on the build service and revoking the OAuth app's grant at the provider (GitHub Settings → Applications, Bitbucket app authorizations). A link declared revoked that is still live on the build service, whose provider grant is still active, or whose grant cannot be verified while no manual step records the revocation, violates this rule.",
  evaluate: twoSided,
} satisfies LinkRule;
