/** How many links or orgs the CLI applies, and orgs or sweeps it observes, at once (engine/reconcile/map-limit.ts bounds them). */

/**
 * How many links or orgs are applied, and orgs or sweeps observed, at the same time; the clients pace
 * requests themselves. Links are observed with the engine's `OBSERVE_CONCURRENCY`.
 */
export const DEFAULT_CONCURRENCY = 8;
