/**
 * A hostile API server on 127.0.0.1:0, mounted like the sandbox (`/github`, `/bitbucket/2.0`,
 * `/build/api/build/v1`). Requests it chooses to fail are answered with an error whose body echoes
 * back everything credential-bearing the client sent (the Authorization header, the query string,
 * the request body) in each service's own error shape (GitHub `{message}`, Bitbucket
 * `{error: {message}}`, build service `{detail}`), and in `Location` and `Link` headers. Other
 * requests are proxied to the real sandbox, so a run gets as far as the step under attack. The
 * `paginate` trap answers a list with an empty first page whose "next" link (GitHub's Link header,
 * Bitbucket's `next`, the build service's `meta.next`) carries the echo in its query string, so the
 * client itself requests a URL holding its credential, and that request fails.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MOUNTS } from "../../sandbox/index.js";

/** The three services by their sandbox mount. */
export type HostileService = "github" | "bitbucket" | "build-service";

/** What the server does with a request it attacks. */
export type Trap =
  /** An error status (401, 422, 502 …) with the echo in body and headers. */
  | { kind: "error"; status: number }
  /** A 302 whose Location holds the echo, to a same-origin URL that then fails with the echo (or, without the echo, to `to`: another origin). */
  | { kind: "redirect"; to?: string }
  /** An empty first page whose "next" link holds the echo, on this origin, and then fails with the echo (or, without the echo, is on `to`: another origin). */
  | { kind: "paginate"; to?: string };

/** Which requests to attack: a service, an optional method and a path test (relative to the mount). */
export interface Attack {
  service: HostileService;
  method?: string;
  path?: RegExp;
  trap: Trap;
}

/** A running hostile server. */
export interface HostileServer {
  baseUrl: string;
  /** The env overrides that point the three API URLs at this server. */
  env: Record<string, string>;
  /** How many requests were attacked (proves the attack was reached). */
  attacked(): number;
  close(): Promise<void>;
}

const MOUNT: Record<HostileService, string> = { github: MOUNTS.github, bitbucket: MOUNTS.bitbucket, "build-service": MOUNTS.buildService };
/** Marks the follow-up request of a redirect or pagination trap, which always fails. */
const ECHO_PARAM = "sl_echo";

/** Starts a hostile server in front of the sandbox at `upstream`. */
export async function startHostileServer(upstream: string, attacks: readonly Attack[]): Promise<HostileServer> {
  let attacked = 0;
  let baseUrl = "";

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(599, { "content-type": "text/plain" });
      res.end(`hostile server bug: ${String(error)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", baseUrl);
    const method = req.method ?? "GET";
    const service = (Object.keys(MOUNT) as HostileService[]).find((s) => url.pathname.startsWith(`${MOUNT[s]}/`));
    const rel = service ? url.pathname.slice(MOUNT[service].length) : url.pathname;
    const attack = attacks.find(
      (a) => a.service === service && (a.method === undefined || a.method === method) && (a.path === undefined || a.path.test(rel)),
    );
    if (!service || !attack) return proxy(req, res, url, body);
    attacked++;
    const echo = `authorization=${req.headers.authorization ?? "(none)"} query=${url.search} body=${body}`;
    const elsewhere = attack.trap.kind === "error" ? undefined : attack.trap.to;
    const echoUrl = new URL(url.pathname, elsewhere ?? baseUrl);
    // Off-origin links carry no echo: the question there is only what the client sends unprompted.
    if (elsewhere === undefined) echoUrl.searchParams.set(ECHO_PARAM, `${req.headers.authorization ?? ""}|${url.search}|${body}`);
    else echoUrl.searchParams.set("page", "2");
    const trap = url.searchParams.has(ECHO_PARAM) ? ({ kind: "error", status: 422 } as const) : attack.trap;
    const headers: Record<string, string> = {
      location: echoUrl.toString(),
      link: `<${echoUrl.toString()}>; rel="next", <${echoUrl.toString()}>; rel="last"`,
      "x-echo-authorization": encodeURIComponent(req.headers.authorization ?? ""),
    };
    switch (trap.kind) {
      case "error":
        return send(res, trap.status, headers, errorBody(service, `hostile ${service}: rejected ${method} ${url.pathname}: ${echo}`));
      case "redirect":
        return send(res, 302, headers, errorBody(service, `moved: ${echo}`));
      case "paginate":
        // GitHub's page carries an ETag, so a client that caches pages would persist the Link header.
        return send(res, 200, service === "github" ? { ...headers, etag: '"hostile-page"' } : {}, firstPage(service, echoUrl.toString()));
    }
  }

  async function proxy(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    const headers: Record<string, string> = {};
    for (const name of ["authorization", "accept", "content-type", "if-none-match", "user-agent"]) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const answer = await fetch(`${upstream}${url.pathname}${url.search}`, {
      method: req.method ?? "GET",
      headers,
      body: body === "" ? null : body,
      redirect: "manual",
    });
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!["content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"].includes(name)) {
        // Pagination links name the sandbox; point them back here so the next page is attacked too.
        out[name] = value.split(upstream).join(baseUrl);
      }
    });
    const text = (await answer.text()).split(upstream).join(baseUrl);
    res.writeHead(answer.status, out);
    res.end(answer.status === 204 || answer.status === 304 ? undefined : text);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    env: {
      SOURCELINKS_BUILD_API_URL: `${baseUrl}${MOUNTS.buildService}`,
      SOURCELINKS_GITHUB_API_URL: `${baseUrl}${MOUNTS.github}`,
      SOURCELINKS_BITBUCKET_API_URL: `${baseUrl}${MOUNTS.bitbucket}`,
    },
    attacked: () => attacked,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A server on another origin that records every request it receives (what a client sent where it should not). */
export interface Collector {
  baseUrl: string;
  /** Each request as `METHOD URL` and its headers, for the canary search. */
  received(): string[];
  close(): Promise<void>;
}

/** Starts a collector: it answers 404 to everything and remembers what it was sent. */
export async function startCollector(): Promise<Collector> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
    req.resume();
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ message: "Not Found", detail: "Not Found", error: { message: "Not Found" } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => [...received],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Each service's error body shape. */
function errorBody(service: HostileService, message: string): unknown {
  switch (service) {
    case "github":
      return { message, documentation_url: `https://docs.github.com/rest?${message}` };
    case "bitbucket":
      return { type: "error", error: { message, detail: message } };
    case "build-service":
      return { detail: message };
  }
}

/** An empty first page whose "next" is `next` (GitHub's is in the Link header). */
function firstPage(service: HostileService, next: string): unknown {
  switch (service) {
    case "github":
      return [];
    case "bitbucket":
      return { pagelen: 10, page: 1, values: [], next };
    case "build-service":
      return { meta: { limit: 100, offset: 0, next, previous: null, total_count: 1000 }, objects: [] };
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}
