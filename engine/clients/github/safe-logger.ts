/**
 * The logger handed to Octokit. Octokit's request log passes whole request options at debug level
 * (bodies such as `{access_token}` and explicit authorization headers), so only plain strings are
 * forwarded, with every known secret value removed.
 */
import { redactText } from "../../model/redaction.js";

/** Where client log lines go; each method is optional. */
export interface ClientLogger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

/** Octokit's logger shape. */
export interface OctokitLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that forwards only redacted strings; `secrets()` is read at each call. */
export function safeLogger(target: ClientLogger | undefined, secrets: () => readonly string[]): OctokitLog {
  const forward =
    (level: keyof ClientLogger) =>
    (message: unknown): void => {
      const sink = target?.[level];
      if (!sink || typeof message !== "string") return;
      // A 304 is a cache hit, not an error: Octokit's request log reports it at error level.
      const effective = level === "error" && / - 304 with id /.test(message) ? "debug" : level;
      const out = target?.[effective];
      if (out) out.call(target, redactText(message, secrets()));
    };
  return { debug: forward("debug"), info: forward("info"), warn: forward("warn"), error: forward("error") };
}
