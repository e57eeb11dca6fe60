/** Repository and org name helpers shared by the rules. GitHub and Bitbucket names compare case-insensitively. */

/** The owner (org, user or workspace) of an `owner/name` repository. */
export function ownerOf(repository: string): string {
  const slash = repository.indexOf("/");
  return slash < 0 ? "" : repository.slice(0, slash);
}

/** The name part of an `owner/name` repository (the whole string when there is no owner). */
export function nameOf(repository: string): string {
  const slash = repository.indexOf("/");
  return slash < 0 ? repository : repository.slice(slash + 1);
}

/** Whether two org or account names are the same. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Whether a repository as a `@pulumi/github` resource names it matches a declared `owner/name`.
 * A bare name (the provider's `owner` unknown) matches any declared repository with that name.
 */
export function sameRepository(written: string, declared: string): boolean {
  return written.includes("/") ? sameName(written, declared) : sameName(written, nameOf(declared));
}

/** Index of `repository` in a declared list, or -1. */
export function indexOfRepository(repositories: readonly string[], repository: string): number {
  return repositories.findIndex((r) => sameName(r, repository));
}
