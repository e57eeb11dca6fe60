/**
 * `PATCH /repos/{owner}/{repo}` (https://docs.github.com/en/rest/repos/repos#update-a-repository): the
 * fields a migration meets: `name` (a rename: the old name keeps redirecting, auth.ts `renamedRepo`),
 * `archived` (true archives; false unarchives, the one change GitHub takes on an archived repository)
 * and `private`. Other fields are accepted and ignored.
 */
import type { Router } from "../router.js";
import type { GitHubRepoState } from "../world.js";
import { recordAuditEvent } from "./audit-log.js";
import { authed, findRepo, repoFor, sameLogin } from "./auth.js";
import { githubError, validationFailed } from "./respond.js";
import { fullRepository } from "./wire.js";

/** GitHub's rule for a repository name: letters, digits, `.`, `-`, `_`, at most 100 characters, not `.` or `..`. */
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** Registers `PATCH /repos/{owner}/{repo}`. */
export function registerRepoRoutes(router: Router): void {
  router.add(
    "PATCH",
    "/repos/:owner/:repo",
    authed((ctx, caller) => {
      const found = repoFor(ctx, caller, "admin-archived");
      if (!found.ok) return found.response;
      const repo = found.value;
      const body =
        typeof ctx.body === "object" && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
      const { name, archived } = body;
      const isPrivate = body.private;
      if (name !== undefined && (typeof name !== "string" || !NAME.test(name) || name === "." || name === ".."))
        return validationFailed([{ resource: "Repository", code: "invalid", field: "name" }]);
      if (archived !== undefined && typeof archived !== "boolean")
        return validationFailed([{ resource: "Repository", code: "invalid", field: "archived" }]);
      if (isPrivate !== undefined && typeof isPrivate !== "boolean")
        return validationFailed([{ resource: "Repository", code: "invalid", field: "private" }]);
      // While archived, unarchiving is the only change GitHub takes.
      if (repo.archived === true && archived !== false) return githubError(403, "Repository was archived so is read-only.");
      if (typeof name === "string" && !sameLogin(name, repo.name) && findRepo(ctx.world, repo.owner, name))
        return validationFailed([
          { resource: "Repository", code: "custom", field: "name", message: "name already exists on this account" },
        ]);
      const audit = (action: string, extra: { old_name?: string } = {}): void =>
        recordAuditEvent(ctx.world, repo.owner, caller.login, { action, repo: `${repo.owner}/${repo.name}`, ...extra }, ctx.clock.now());
      if (typeof name === "string" && name !== repo.name) {
        const oldName = `${repo.owner}/${repo.name}`;
        rename(repo, name);
        audit("repo.rename", { old_name: oldName });
      }
      if (typeof archived === "boolean" && archived !== (repo.archived === true)) {
        if (archived) repo.archived = true;
        else delete repo.archived;
        audit(archived ? "repo.archived" : "repo.unarchived");
      }
      if (typeof isPrivate === "boolean") repo.private = isPrivate;
      return { status: 200, body: fullRepository(ctx.mountUrl, ctx.world, repo, true) };
    }),
  );
}

/** Renames in place (the id, hooks and keys stay), keeping the old name to redirect from. */
function rename(repo: GitHubRepoState, name: string): void {
  const before = `${repo.owner}/${repo.name}`;
  // A case-only rename leaves nothing to redirect: names are case-insensitive.
  if (!sameLogin(repo.name, name)) repo.formerNames = [...(repo.formerNames ?? []), before];
  repo.name = name;
}
