/**
 * The fake services by name: where each is mounted and the error body it answers in when the
 * server itself answers (400, 404, 405, 413, 500, injected errors), in that service's own shape.
 */
import type { ServiceName } from "./counters.js";
import { MOUNTS } from "./env.js";

/** A mounted service: its mount and its error body shape for answers the server makes itself. */
export interface ServiceSpec {
  mount: string;
  errorBody(status: number, message: string): unknown;
}

/** The error shapes of each service. */
export const SERVICES = {
  // GitHub `basic-error`: https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api
  github: {
    mount: MOUNTS.github,
    errorBody: (status, message) => ({ message, documentation_url: "https://docs.github.com/rest", status: String(status) }),
  },
  // Bitbucket Cloud's error object: https://developer.atlassian.com/cloud/bitbucket/rest/intro/#standardized-error-responses
  bitbucket: { mount: MOUNTS.bitbucket, errorBody: (_status, message) => ({ type: "error", error: { message } }) },
  // Django REST framework's `{detail}`, which the reference contract uses.
  "build-service": { mount: MOUNTS.buildService, errorBody: (_status, message) => ({ detail: message }) },
  // hub.docker.com's `{message, errinfo}`.
  "docker-hub": { mount: MOUNTS.dockerHub, errorBody: (_status, message) => ({ message, errinfo: {} }) },
} satisfies Record<ServiceName, ServiceSpec>;

/** Which service a router mount belongs to (`/github/...` is GitHub). */
export function serviceOf(mount: string): ServiceName {
  for (const [name, spec] of Object.entries(SERVICES) as [ServiceName, ServiceSpec][]) {
    if (mount === spec.mount || mount.startsWith(`${spec.mount}/`)) return name;
  }
  throw new Error(
    `sandbox: router mount "${mount}" is not under ${Object.values(SERVICES)
      .map((s) => s.mount)
      .join(", ")}`,
  );
}

/** The body of an error the server answers itself: the service's shape, or `{message}` for the admin API (null). */
export function errorBodyOf(service: ServiceName | null, status: number, message: string): unknown {
  return service ? SERVICES[service].errorBody(status, message) : { message };
}
