/**
 * Webhook rules: a disabled link's webhooks stop delivering (`disabled-link-webhooks-inactive`) and
 * build-service webhooks are sound and declared (`webhook-hygiene`).
 */
import { matchesAny } from "./glob.js";
import { RECHECK, describeWebhook, pointerAt, repositoryPointer } from "./common.js";
import { sameRepository } from "./names.js";
import type { Finding, GithubWebhookFacts, LinkFacts, LinkRule, RuleContext, StackFacts } from "./types.js";

/** Per link: active webhooks of a disabled link. */
function activeWebhooksOfDisabledLink(link: LinkFacts): Finding[] {
  const { desired, observed, name } = link;
  if (desired.state !== "disabled" || observed === undefined) return [];
  if (observed === "unknown") {
    return [
      {
        resource: name,
        subject: desired.repositories.join(", "),
        message: `link "${name}" is disabled; whether its webhooks on ${desired.repositories.join(", ")} still deliver cannot be checked until apply: ${RECHECK}`,
        fix: RECHECK,
        pointer: pointerAt(link, "/state"),
        undecided: true,
      },
    ];
  }
  const fix = "deactivate the webhook in the repository's webhook settings, or set state: revoked if the link is no longer needed";
  return observed.repositories.flatMap((repo) =>
    // Another live link builds from the repository (`coveredBy`, the sharing test a revocation's deletions
    // pass): the webhook serves it too, and deactivating it would stop its builds.
    (repo.coveredBy?.length ? [] : repo.webhooks)
      .filter((hook) => hook.active)
      .map((hook) => ({
        resource: name,
        subject: repo.repository,
        message: `link "${name}" is disabled but the build service's ${describeWebhook(hook)} on ${repo.repository} is still active, so pushes still reach the build service: ${fix}`,
        fix,
        pointer: repositoryPointer(link, repo.repository),
      })),
  );
}

/** `disabled-link-webhooks-inactive`: a disabled link should not keep triggering builds. */
export const disabledLinkWebhooksInactive = {
  id: "disabled-link-webhooks-inactive",
  scope: "link",
  defaultEnforcement: "advisory",
  description:
    "A disabled link (the gray plug icon) pauses builds without revoking access, but its repositories keep their webhooks. A disabled link whose build-service webhooks are still active keeps sending every push to the build service, so this rule reports each active webhook of a disabled link.",
  evaluate: activeWebhooksOfDisabledLink,
} satisfies LinkRule;

/** Per link: webhooks without a secret or with TLS verification off. */
function unsoundWebhooks(link: LinkFacts): Finding[] {
  const { desired, observed, name } = link;
  if (observed === undefined || desired.state === "revoked") return [];
  if (observed === "unknown") {
    return [
      {
        resource: name,
        subject: desired.repositories.join(", "),
        message: `link "${name}": whether the build service's webhooks on ${desired.repositories.join(", ")} have a secret and verify TLS cannot be checked until apply: ${RECHECK}`,
        fix: RECHECK,
        pointer: pointerAt(link),
        undecided: true,
      },
    ];
  }
  const findings: Finding[] = [];
  for (const repo of observed.repositories) {
    for (const hook of repo.webhooks) {
      if (!hook.hasSecret) {
        const fix = `set a secret on the webhook in ${repo.repository}'s webhook settings (GitHub: Settings → Webhooks → Edit → Secret; Bitbucket: Repository settings → Webhooks → Edit → Secret), so deliveries are signed`;
        findings.push({
          resource: name,
          subject: repo.repository,
          message: `link "${name}": the build service's ${describeWebhook(hook)} on ${repo.repository} has no secret, so anyone who knows the URL can trigger builds: ${fix}`,
          fix,
          pointer: repositoryPointer(link, repo.repository),
        });
      }
      if (hook.insecureSsl) {
        const fix = `turn SSL verification back on for the webhook in ${repo.repository}'s webhook settings (GitHub: Settings → Webhooks → Edit → Enable SSL verification; Bitbucket: Repository settings → Webhooks → Edit → uncheck Skip certificate verification)`;
        findings.push({
          resource: name,
          subject: repo.repository,
          message: `link "${name}": the build service's ${describeWebhook(hook)} on ${repo.repository} has insecure_ssl: 1, so deliveries do not verify TLS certificates: ${fix}`,
          fix,
          pointer: repositoryPointer(link, repo.repository),
        });
      }
    }
  }
  return findings;
}

/** Whether any link declares `repository` (bare names match by name), or the allowlist admits it. */
function declaredOrAllowed(repository: string, stack: StackFacts, ctx: RuleContext): boolean {
  if (matchesAny(repository, ctx.allowedRepositories)) return true;
  return stack.links.some((l) => l.desired.repositories.some((r) => sameRepository(repository, r)));
}

/** The `@pulumi/github` resource kind named in messages. */
function kindOf(hook: GithubWebhookFacts): string {
  return hook.type === "github:index/repositoryWebhook:RepositoryWebhook" ? "RepositoryWebhook" : "OrganizationWebhook";
}

/** Stack part: build-service webhooks on undeclared repositories, and unsound `@pulumi/github` ones. */
function undeclaredAndManaged(stack: StackFacts, ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const link of stack.links) {
    // A revoked link's leftovers are revoked-link-has-no-webhooks' (its fix, apply, deletes them).
    if (link.observed === undefined || link.observed === "unknown" || link.desired.state === "revoked") continue;
    for (const repo of link.observed.repositories) {
      if (repo.webhooks.length === 0 || declaredOrAllowed(repo.repository, stack, ctx)) continue;
      for (const hook of repo.webhooks) {
        // Deleting is advice only where no other live link builds from the repository (the sharing test of deletions).
        const fix = `add ${repo.repository} to the repositories of link "${link.name}" (or to allowedRepositories)${repo.coveredBy?.length ? "" : ", or delete the webhook"}`;
        findings.push({
          resource: link.name,
          subject: repo.repository,
          message: `link "${link.name}": the build service's ${describeWebhook(hook)} is on ${repo.repository}, which no link declares: ${fix}`,
          fix,
          pointer: pointerAt(link, "/repositories"),
        });
      }
    }
  }
  for (const hook of stack.githubWebhooks) {
    if (hook.url === undefined || !matchesAny(hook.url, ctx.webhookUrlPatterns)) continue;
    const kind = kindOf(hook);
    const where = hook.repository ?? (hook.org === undefined ? "its org" : `org ${hook.org}`);
    const subject = hook.repository ?? hook.org ?? "(unknown org)";
    if (kind === "RepositoryWebhook" && hook.repository !== undefined && !declaredOrAllowed(hook.repository, stack, ctx)) {
      const fix = `declare ${hook.repository} in a link's repositories (or in allowedRepositories), or remove the resource`;
      findings.push({
        resource: hook.resourceName,
        subject,
        message: `@pulumi/github ${kind} "${hook.resourceName}" adds the build service's webhook ${hook.url} to ${where}, which no link declares: ${fix}`,
        fix,
      });
    }
    if (hook.hasSecret === false) {
      const fix = "set configuration.secret (from pulumi config --secret)";
      findings.push({
        resource: hook.resourceName,
        subject,
        message: `@pulumi/github ${kind} "${hook.resourceName}" on ${where} is a build-service webhook without a secret: ${fix}`,
        fix,
      });
    }
    if (hook.insecureSsl === true) {
      const fix = "set configuration.insecureSsl: false";
      findings.push({
        resource: hook.resourceName,
        subject,
        message: `@pulumi/github ${kind} "${hook.resourceName}" on ${where} is a build-service webhook with insecure_ssl: ${fix}`,
        fix,
      });
    }
  }
  return findings;
}

/** `webhook-hygiene`: build-service webhooks carry a secret, verify TLS and sit only where a link declares them. */
export const webhookHygiene = {
  id: "webhook-hygiene",
  scope: "link",
  defaultEnforcement: "advisory",
  description:
    "Build-service webhooks should carry a secret (so deliveries can be verified), verify TLS (`insecure_ssl: 0`), and exist only on repositories a link declares or `allowedRepositories` admits; an undeclared webhook is invisible to revocation and survives it. The rule checks the webhooks a link observes and the `@pulumi/github` webhook resources of the stack whose URL matches the build service's patterns.",
  evaluate: unsoundWebhooks,
  evaluateStack: undeclaredAndManaged,
} satisfies LinkRule;
