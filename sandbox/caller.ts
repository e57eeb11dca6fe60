/** Who a GitHub request is charged to, for rate limits and counters. */
import { createHash } from "node:crypto";
import { appRateKey } from "./github/installation-access.js";
import type { Caller } from "./limits.js";
import type { World } from "./world.js";

/** The caller of an `authorization` header; labels never contain the credential. */
export function identify(authorization: string | undefined, world: World): Caller {
  if (!authorization) return { key: "anonymous", label: "anonymous", userId: null };
  const [scheme = "", value = ""] = authorization.trim().split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    const clientId = Buffer.from(value, "base64").toString("utf8").split(":")[0] ?? "";
    return { key: `app:${clientId}`, label: `app:${clientId}`, userId: null };
  }
  const app = appRateKey(world, value);
  if (app) return { ...app, userId: null };
  const hash = createHash("sha256").update(value).digest("hex");
  const token = world.github.tokens.find((t) => t.token === value);
  if (!token) return { key: `t:${hash}`, label: `unknown#${hash.slice(0, 8)}`, userId: null };
  const userId = world.github.accounts.find((a) => a.login === token.login)?.id ?? null;
  return { key: `t:${hash}`, label: `${token.kind}:${token.login}#${hash.slice(0, 8)}`, userId };
}
