/** Reading request bodies and writing answers on `node:http`, for the sandbox server. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** The largest request body read; a larger one is answered 413. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The whole request body, or `too-large` past MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) return "too-large";
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a request body as JSON: the value (undefined when empty), or what is wrong with it. */
export function parseJsonBody(raw: Buffer | "too-large"): { body: unknown } | { invalid: string } {
  if (raw === "too-large") return { invalid: "Request body too large" };
  if (raw.length === 0) return { body: undefined };
  try {
    return { body: JSON.parse(raw.toString("utf8")) };
  } catch {
    // GitHub's wording for a malformed JSON body; the parse error itself carries nothing useful.
    return { invalid: "Problems parsing JSON" };
  }
}

/**
 * Parses a request body by its content type: a form (`application/x-www-form-urlencoded`, as
 * Bitbucket's `POST …/src` takes files) as an object of its fields (a repeated field: the last), else JSON.
 */
export function parseRequestBody(raw: Buffer | "too-large", contentType: string | undefined): { body: unknown } | { invalid: string } {
  if (raw !== "too-large" && /^application\/x-www-form-urlencoded\b/i.test(contentType ?? "")) {
    return { body: Object.fromEntries(new URLSearchParams(raw.toString("utf8"))) };
  }
  return parseJsonBody(raw);
}

/** Writes an answer: JSON unless `body` is a string, none for 204 and 304. */
export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  let payload: string | undefined;
  // 204 and 304 never carry a body (RFC 9110 §15.3.5, §15.4.5).
  if (status !== 204 && status !== 304 && body !== undefined) {
    if (typeof body === "string") {
      payload = body;
      out["content-type"] ??= "text/plain; charset=utf-8";
    } else {
      payload = JSON.stringify(body);
      out["content-type"] ??= "application/json; charset=utf-8";
    }
    out["content-length"] = String(Buffer.byteLength(payload));
  }
  res.writeHead(status, out);
  res.end(payload);
}
