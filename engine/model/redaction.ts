/**
 * Redaction: removing credentials from URLs, texts and parsed answers before anything is stored,
 * printed or thrown. `HttpError` applies it at construction; the provider applies it to its messages.
 */

/** Query parameters that carry credentials in some APIs (GitHub's legacy `access_token`, OAuth `client_secret`). */
const SECRET_QUERY_PARAMS = ["access_token", "token", "client_secret", "password"];

/** What a removed secret is replaced with. */
const REDACTED = "[redacted]";

/**
 * An Authorization header value echoed back by a server or a proxy (RFC 9110 §11.6.2: `scheme
 * credentials`), known to us or not: `Basic`/`Bearer` followed by a credential-shaped word, with the
 * space as it appears in text, in a form-encoded query (`+`) or percent-encoded (`%20`).
 */
const AUTHORIZATION_VALUE = /\b(basic|bearer)(\s+|\+|%20)[A-Za-z0-9+/=._~%-]{16,}/gi;

/**
 * A run of base64 or base64url characters long enough to hide a credential (a Basic header encodes
 * `user:secret`), possibly wrapped into lines (MIME wraps at 76, PEM at 64), with real line breaks or
 * JSON's escaped `\n` between them.
 */
const BASE64_RUN = /[A-Za-z0-9+/_-]{4,}(?:(?:\r?\n|\\r\\n|\\n)[A-Za-z0-9+/_-]{4,})*={0,2}/g;

/** Line breaks inside a wrapped base64 run, removed before decoding. */
const LINE_BREAKS = /\r?\n|\\r\\n|\\n/g;

/** Shortest run of a credential's characters redacted on its own (a prefix cut short, a tail): long enough not to match by chance. */
const FRAGMENT_LENGTH = 12;

/**
 * Strips userinfo and credential query parameters from a URL before it is stored or printed, and
 * any of the given secret values (or an echoed Authorization value) from its path and query: a
 * hostile or broken server can put them in a pagination link the client then follows.
 */
export function redactUrl(raw: string, secrets: readonly string[] = []): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redactText(raw, secrets);
  }
  url.username = "";
  url.password = "";
  url.pathname = redactText(url.pathname, secrets);
  for (const [name, value] of [...url.searchParams]) {
    if (SECRET_QUERY_PARAMS.includes(name)) url.searchParams.set(name, REDACTED);
    else {
      const clean = redactText(value, secrets);
      if (clean !== value) url.searchParams.set(name, clean);
    }
  }
  return url.toString();
}

/**
 * Removes every occurrence of the given secret values from a text (for provider error bodies that
 * echo input, and every string of a successful answer): the values themselves, percent-encoded, any
 * run of 12 or more of their characters (a prefix cut short), inside base64 even when wrapped into
 * lines (an echoed Basic header), and any echoed `Basic …`/`Bearer …` credential even when its value
 * is not one we know.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  return redactorFor(secrets)(text);
}

/**
 * Every string (and key) of parsed JSON with the secret values removed, as `redactText` does: for
 * answers that echo a credential in data (a hook URL carrying a token) before it is printed or cached.
 */
export function redactData(value: unknown, secrets: readonly string[]): unknown {
  // One redactor for the whole answer: a listing has hundreds of strings and the same secrets.
  return redactWith(value, redactorFor(secrets));
}

/**
 * `value` with every string redacted, copied only where something changed: an answer that holds no
 * secret (nearly all of them) comes back as the same object, so a 600 KB listing page is not built twice.
 */
function redactWith(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const clean = redactWith(item, redact);
      if (copy === null && clean !== item) copy = value.slice(0, i);
      copy?.push(clean);
    }
    return copy ?? value;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    let copy: Record<string, unknown> | null = null;
    entries.forEach(([key, item], i) => {
      const cleanKey = redact(key);
      const clean = redactWith(item, redact);
      if (copy === null && (cleanKey !== key || clean !== item)) {
        copy = {};
        for (const [k, v] of entries.slice(0, i)) define(copy, k, v);
      }
      if (copy !== null) define(copy, cleanKey, clean);
    });
    return copy ?? value;
  }
  return value;
}

/** Sets an own property, even one named `__proto__` (which JSON.parse creates as data, and `=` would turn into a prototype). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The last secrets' redactor: the clients redact every answer with the same few credentials. */
let redactorMemo: { secrets: readonly string[]; key: string; redact: (text: string) => string } | null = null;

/** `redactText` for one set of secrets, with their forms worked out once. */
function redactorFor(secrets: readonly string[]): (text: string) => string {
  // The same array (an unchanged SecretSet) is the same set, found without joining hundreds of tokens.
  if (redactorMemo?.secrets === secrets) return redactorMemo.redact;
  const key = secrets.join("\u0000");
  if (redactorMemo?.key === key) {
    redactorMemo = { ...redactorMemo, secrets };
    return redactorMemo.redact;
  }
  // Longest first, so a header value is scrubbed whole before its parts.
  const values = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  const forms = values.flatMap((secret) => {
    const encoded = encodeURIComponent(secret);
    return encoded !== secret ? [secret, encoded] : [secret];
  });
  const hidden = values.filter((s) => s.length >= 8);
  // Worked out once per set of secrets, not per string: a run's set holds a token per link.
  const windows = fragmentsOf(values);
  const redact = (text: string): string => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    out = redactFragments(out, windows);
    if (hidden.length > 0) {
      // Each run is decoded once and then searched for every secret: a run's four decodings are the
      // cost, and a run holds hundreds of derived credentials' worth of checks (one per link's token).
      out = out.replace(BASE64_RUN, (run) => {
        if (run.length < 16) return run;
        const decoded = decodingsOf(run);
        return hidden.some((s) => decoded.some((d) => d.includes(s))) ? REDACTED : run;
      });
    }
    return out.replace(AUTHORIZATION_VALUE, (_match, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
  };
  redactorMemo = { secrets, key, redact };
  return redact;
}

/**
 * Removes every run of at least `FRAGMENT_LENGTH` characters that also occurs in one of the secrets
 * (of 16 characters or more): a credential cut short by an excerpt, or its tail behind a partial redaction.
 */
function redactFragments(text: string, windows: ReadonlySet<string>): string {
  if (text.length < FRAGMENT_LENGTH || windows.size === 0) return text;
  const ranges: [number, number][] = [];
  for (let i = 0; i + FRAGMENT_LENGTH <= text.length; i++) {
    if (!windows.has(text.slice(i, i + FRAGMENT_LENGTH))) continue;
    const last = ranges[ranges.length - 1];
    if (last && i <= last[1]) last[1] = i + FRAGMENT_LENGTH;
    else ranges.push([i, i + FRAGMENT_LENGTH]);
  }
  if (ranges.length === 0) return text;
  let out = "";
  let at = 0;
  for (const [start, end] of ranges) {
    out += `${text.slice(at, start)}${REDACTED}`;
    at = end;
  }
  return out + text.slice(at);
}

/** The last secrets' fragments: redactData calls redactText for every string of an answer with the same secrets. */
let fragmentMemo: { key: string; windows: ReadonlySet<string> } | null = null;

/** Every run of `FRAGMENT_LENGTH` characters of the secrets of 16 characters or more. */
function fragmentsOf(secrets: readonly string[]): ReadonlySet<string> {
  const long = secrets.filter((s) => s.length >= 16);
  const key = long.join("\u0000");
  if (fragmentMemo?.key === key) return fragmentMemo.windows;
  const windows = new Set<string>();
  for (const secret of long) for (let i = 0; i + FRAGMENT_LENGTH <= secret.length; i++) windows.add(secret.slice(i, i + FRAGMENT_LENGTH));
  fragmentMemo = { key, windows };
  return windows;
}

/** `run` read as base64 or base64url from each of its first four offsets (text may be glued in front of the encoding). */
function decodingsOf(run: string): string[] {
  const joined = run.replace(LINE_BREAKS, "");
  const encoding = /[-_]/.test(joined) ? "base64url" : "base64";
  return [0, 1, 2, 3].map((offset) => Buffer.from(joined.slice(offset), encoding).toString("latin1"));
}
