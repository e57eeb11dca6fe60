/** The `reference` build service client. */
export { createBuildServiceClient, ReferenceBuildServiceClient, type BuildServiceClientOptions } from "./client.js";
