/**
 * Verifying a GitHub App's JWT as GitHub does
 * (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app):
 * RS256 over `header.payload`, signed by the app's private key and checked with the public key of the
 * seed (`node:crypto`); `iss` is the app id; `iat` not in the future (60 s of clock drift allowed) and
 * `exp` in the future and at most 10 minutes after now, on the sandbox clock.
 */
import { createPublicKey, verify } from "node:crypto";
import type { GitHubAppState, World } from "../world.js";

/** GitHub's longest JWT lifetime, in seconds. */
const MAX_LIFETIME_SECONDS = 600;
/** How far in the future `iat` may be (clock drift between the app's machine and GitHub). */
const DRIFT_SECONDS = 60;

/** Why a JWT is refused, in GitHub's words where it has some, or the app it authenticates. */
export type JwtCheck = { ok: true; app: GitHubAppState } | { ok: false; message: string };

/** Whether an `Authorization` value looks like a JWT (three base64url parts) rather than a token. */
export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

/** The `iss` claim of a JWT, unverified: only to charge a request to an app's rate-limit window. */
export function unverifiedIssuer(jwt: string): string | null {
  const claims = decodePart(jwt.split(".")[1] ?? "");
  return claims && (typeof claims["iss"] === "number" || typeof claims["iss"] === "string") ? String(claims["iss"]) : null;
}

/** Checks a JWT against the world's apps at `nowMs` (sandbox clock). */
export function verifyAppJwt(world: World, jwt: string, nowMs: number): JwtCheck {
  const undecodable = { ok: false as const, message: "A JSON web token could not be decoded" };
  const [head = "", body = "", signature = ""] = jwt.split(".");
  const header = decodePart(head);
  const claims = decodePart(body);
  if (!header || !claims || header["alg"] !== "RS256") return undecodable;
  const app = (world.github.apps ?? []).find((a) => String(a.id) === String(claims["iss"]));
  if (!app) return { ok: false, message: "'Issuer' claim ('iss') must be an Integer" };
  const signed = verify("RSA-SHA256", Buffer.from(`${head}.${body}`), createPublicKey(app.publicKey), Buffer.from(signature, "base64url"));
  if (!signed) return undecodable;
  const now = Math.floor(nowMs / 1000);
  const iat = claims["iat"];
  const exp = claims["exp"];
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > now + DRIFT_SECONDS) {
    return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" };
  }
  if (typeof exp !== "number" || !Number.isInteger(exp) || exp <= now) {
    return {
      ok: false,
      message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    };
  }
  if (exp - now > MAX_LIFETIME_SECONDS || exp - iat > MAX_LIFETIME_SECONDS) {
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  }
  return { ok: true, app };
}

function decodePart(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
