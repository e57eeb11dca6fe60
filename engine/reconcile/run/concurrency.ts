/**
 * How many links or orgs a run applies, and orgs or sweeps it observes, at the same time; the clients
 * pace requests themselves (map-limit.ts bounds the resources). Links are observed with `OBSERVE_CONCURRENCY`.
 */
export const RESOURCE_CONCURRENCY = 8;
