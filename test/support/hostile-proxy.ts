/**
 * A misbehaving proxy on 127.0.0.1:0 in front of the sandbox: every request is forwarded unless the
 * test's `intercept` takes it, and an interceptor may answer on its own (a body cut off, a stall, a
 * redirect elsewhere, a page that loops) or change what the sandbox answered (a token echoed into a
 * hook URL). URLs naming the sandbox are rewritten to name the proxy, so later pages come back here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MOUNTS } from "../../sandbox/index.js";

/** A request as the proxy saw it. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, e.g. `/github/repos/acme/api/hooks?per_page=100`. */
  url: URL;
  headers: IncomingMessage["headers"];
  /** How many requests with this method and path (query ignored) came before this one. */
  seen: number;
}

/** What the sandbox answered to a forwarded request, with its URLs rewritten to the proxy's. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Helpers an interceptor may use. */
export interface ProxyTools {
  /** The proxy's base URL. */
  baseUrl: string;
  /** Forwards the request to the sandbox and returns its answer without sending it. */
  forward(): Promise<UpstreamAnswer>;
  /** Sends an answer (a string body or a JSON value) with a correct content-length. */
  send(status: number, headers: Record<string, string>, body: unknown): void;
}

/** Takes a request (answering it through `res`) by returning a handler, or lets it through with undefined. */
export type Intercept = (req: ProxiedRequest) => ((res: ServerResponse, tools: ProxyTools) => void | Promise<void>) | undefined;

/** A running proxy. */
export interface HostileProxy {
  baseUrl: string;
  /** The env overrides that point the three API URLs at the proxy. */
  env: Record<string, string>;
  /** Requests received, as `METHOD /path?query`. */
  requests(): string[];
  close(): Promise<void>;
}

/** Starts a proxy in front of the sandbox at `upstream`. */
export async function startHostileProxy(upstream: string, intercept: Intercept): Promise<HostileProxy> {
  const log: string[] = [];
  const counts = new Map<string, number>();
  let baseUrl = "";

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(599, { "content-type": "text/plain" });
      res.end(`hostile proxy bug: ${String(error)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", baseUrl);
    const method = req.method ?? "GET";
    log.push(`${method} ${url.pathname}${url.search}`);
    const key = `${method} ${url.pathname}`;
    const seen = counts.get(key) ?? 0;
    counts.set(key, seen + 1);

    const forward = async (): Promise<UpstreamAnswer> => {
      const headers: Record<string, string> = {};
      for (const name of ["authorization", "accept", "content-type", "if-none-match", "user-agent"]) {
        const value = req.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      const answer = await fetch(`${upstream}${url.pathname}${url.search}`, {
        method,
        headers,
        body: body === "" ? null : body,
        redirect: "manual",
      });
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!["content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"].includes(name))
          out[name] = value.split(upstream).join(baseUrl);
      });
      return { status: answer.status, headers: out, text: (await answer.text()).split(upstream).join(baseUrl) };
    };
    const send = (status: number, headers: Record<string, string>, payload: unknown): void => {
      const text = typeof payload === "string" ? payload : JSON.stringify(payload);
      const noBody = status === 204 || status === 304;
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        ...headers,
        ...(noBody ? {} : { "content-length": String(Buffer.byteLength(text)) }),
      });
      res.end(noBody ? undefined : text);
    };

    const handler = intercept({ method, url, headers: req.headers, seen });
    if (handler) return handler(res, { baseUrl, forward, send });
    const answer = await forward();
    send(answer.status, answer.headers, answer.text);
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
    requests: () => [...log],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A server on another origin (a stranger), answering every request with `body` and recording what it was sent. */
export async function startStranger(body: unknown): Promise<{ baseUrl: string; received(): string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    const text = JSON.stringify(body);
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)) });
    res.end(text);
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
