/** The Bitbucket Cloud client. */
export { BitbucketClient, createBitbucketClient, type BitbucketClientOptions } from "./client.js";
export { createBitbucketReplacementClient } from "./replacement-client.js";
export { BITBUCKET_WEBHOOK_REQUESTS_PER_HOUR, type BitbucketPacing } from "./webhook-pacing.js";
