/** How many links or orgs the CLI observes or applies at once (engine/reconcile/map-limit.ts bounds them). */

/** How many links or orgs are observed or applied at the same time; the clients pace requests themselves. */
export const DEFAULT_CONCURRENCY = 8;
