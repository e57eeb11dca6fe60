/** The Docker Hub API client (tags and when they were pushed). */
export { createDockerHubClient, DockerHubClient, DOCKER_HUB_API_URL, type DockerHubClientOptions } from "./client.js";
export type { DockerHubTag } from "./wire.js";
