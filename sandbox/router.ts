/**
 * A tiny method + path router for the sandbox. Each service registers its routes on its own
 * router under a mount prefix (`/github`, `/bitbucket/2.0`, `/build/api/build/v1`, `/_sandbox`).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { SandboxClock } from "./clock.js";
import type { World } from "./world.js";

/** HTTP methods the sandbox serves. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a route handler sees. */
export interface RouteContext {
  method: Method;
  /** Full request URL (absolute, with the sandbox's origin). */
  url: URL;
  /** Path parameters from `:name` segments, URI-decoded. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when there was none. Invalid JSON is answered 400 before routing. */
  body: unknown;
  /** The world, to read and mutate. Mutations are persisted after a successful (< 400) response. */
  world: World;
  /** Absolute URL of this router's mount point, e.g. `http://127.0.0.1:4567/github`, for Link headers. */
  mountUrl: string;
  /** The sandbox clock (injectable): token expiry and JWT dates are judged on it. */
  clock: SandboxClock;
}

/** What a route handler returns. `body` is JSON-encoded unless it is a string. */
export interface RouteResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A route handler. */
export type RouteHandler = (ctx: RouteContext) => RouteResponse | Promise<RouteResponse>;

interface Route {
  method: Method;
  pattern: string;
  segments: string[];
  handler: RouteHandler;
}

/** The result of matching a request path to a route. */
export interface RouteMatch {
  /** The route's pattern, e.g. `/repos/:owner/:repo/hooks`: the endpoint key for rate limits and counters. */
  pattern: string;
  params: Record<string, string>;
  handler: RouteHandler;
}

/** Routes of one mounted service. */
export class Router {
  readonly #routes: Route[] = [];

  constructor(readonly mount: string) {}

  /** Registers `handler` for `method` on `pattern` (`:name` matches one path segment, a last `*name` the rest of the path). */
  add(method: Method, pattern: string, handler: RouteHandler): this {
    this.#routes.push({ method, pattern, segments: split(pattern), handler });
    return this;
  }

  /** The route for a path relative to the mount, or `"method-not-allowed"` / undefined. */
  match(method: Method, path: string): RouteMatch | "method-not-allowed" | undefined {
    const parts = split(path);
    let pathMatched = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method) return { pattern: route.pattern, params, handler: route.handler };
    }
    return pathMatched ? "method-not-allowed" : undefined;
  }
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const last = pattern[pattern.length - 1];
  // A last segment `*name` takes the rest of the path (a file path, a branch name with slashes), at least one segment.
  if (last?.startsWith("*")) {
    if (parts.length < pattern.length) return undefined;
    const params = matchSegments(pattern.slice(0, -1), parts.slice(0, pattern.length - 1));
    if (!params) return undefined;
    params[last.slice(1)] = parts
      .slice(pattern.length - 1)
      .map(decodeURIComponent)
      .join("/");
    return params;
  }
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith(":")) params[p.slice(1)] = decodeURIComponent(v);
    else if (p !== v) return undefined;
  }
  return params;
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): RouteResponse {
  return { status, body, headers };
}
