/** The Bitbucket Cloud client. */
export { BitbucketClient, createBitbucketClient, type BitbucketClientOptions } from "./client.js";
export { createBitbucketReplacementClient } from "./replacement-client.js";
