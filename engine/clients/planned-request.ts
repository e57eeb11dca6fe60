/**
 * The last check before a client sends a planned write with its credentials: the request a plan
 * showed is sent as it is, but only when it is the method the operation uses and addresses the API the
 * client holds credentials for. A plan edited to point elsewhere never carries a token off its API.
 */
import type { PlannedRequest } from "../model/plan.js";
import { HttpError, type ServiceName } from "./http-error.js";

/** `request`'s URL, when it is a `method` request under `base` (the client's API URL); else a refused `HttpError`, nothing sent. */
export function plannedUrl(service: ServiceName, base: string, request: PlannedRequest, method: PlannedRequest["method"]): string {
  const root = new URL(`${base.replace(/\/+$/, "")}/`).href;
  let url: string | null = null;
  try {
    // Parsing resolves `..` and the like: what is checked is what would be sent.
    url = new URL(request.url).href;
  } catch {
    url = null;
  }
  if (request.method === method && url !== null && url.startsWith(root)) return url;
  throw new HttpError({
    status: 0,
    service,
    method: request.method,
    url: url ?? root,
    detail: `refusing to send a planned ${request.method} that is not a ${method} under ${root}`,
    refused: true,
  });
}
