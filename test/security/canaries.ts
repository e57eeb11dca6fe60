/**
 * Canary credentials: distinctive fake values built at run time (`canary-<kind>-<hex>`, never shaped
 * like a real token), the encoded forms they travel in (Basic `user:password`, `Bearer …`, base64,
 * URL-encoded), and a search that reports WHERE any of them shows up, with an excerpt in which every
 * canary is replaced by its label, so a failing assertion says what leaked into which output.
 */
import { randomBytes } from "node:crypto";
import type { World } from "../../sandbox/world.js";

/** A fresh canary value: `canary-<kind>-<24 hex>`. */
export function canary(kind: string): string {
  return `canary-${kind}-${randomBytes(12).toString("hex")}`;
}

/** One string to look for, and what it is. */
interface Needle {
  label: string;
  text: string;
}

/** Where a needle was found. */
export interface Leak {
  where: string;
  label: string;
  excerpt: string;
}

/** One output to search: what produced it (command, stream, file) and its text. */
export interface Output {
  where: string;
  text: string;
}

/** Characters of context on each side of a leak in its report. */
const EXCERPT = 60;

/** Every credential value under test, with the forms it travels in. */
export class CanarySet {
  readonly #needles: Needle[] = [];
  readonly #values = new Map<string, string>();

  /** Adds a secret value and its encodings; `basicUser` adds the Basic-auth forms of `basicUser:value`. */
  add(label: string, value: string, options: { basicUser?: string } = {}): this {
    if (value.length < 8) throw new Error(`canary ${label} is too short to search for: "${value}"`);
    if (this.#values.has(value)) return this;
    this.#values.set(value, label);
    this.#push(label, value);
    // Catches a value cut short (a truncated excerpt) or stripped of its prefix by a partial redaction.
    const body = value.slice(value.lastIndexOf("-") + 1);
    if (body.length >= 16) this.#push(`${label} (first 12 characters of its random part)`, body.slice(0, 12));
    this.#push(`${label} as "Bearer …"`, `Bearer ${value}`);
    this.#push(`${label} as "token …"`, `token ${value}`);
    this.#encodings(`${label} in base64`, Buffer.from(value).toString("base64"));
    if (options.basicUser !== undefined) {
      const basic = Buffer.from(`${options.basicUser}:${value}`).toString("base64");
      this.#encodings(`${label} as Basic ${options.basicUser}:…`, basic);
      this.#push(`${label} as "Basic …" header`, `Basic ${basic}`);
    }
    return this;
  }

  /** Adds every credential a sandbox world holds that is not yet known (e.g. grant tokens minted during a run). */
  addWorld(world: World, source: string): this {
    for (const t of world.github.tokens) this.add(`${source}: GitHub ${t.kind} token of ${t.login}`, t.token);
    for (const t of world.github.installationTokens ?? [])
      this.add(`${source}: GitHub App installation token of installation ${t.installationId}`, t.token);
    for (const a of world.oauthApps)
      this.add(`${source}: ${a.provider} OAuth app client secret`, a.clientSecret, { basicUser: a.clientId });
    for (const u of world.bitbucket.users) {
      this.add(`${source}: Bitbucket API token of ${u.username}`, u.apiToken, { basicUser: u.email });
      this.add(`${source}: Bitbucket app password of ${u.username}`, u.appPassword, { basicUser: u.username });
      for (const g of u.grants) this.add(`${source}: Bitbucket grant of ${u.username}`, g.accessToken);
    }
    for (const t of world.buildService.tokens) this.add(`${source}: build-service token of ${t.namespaces.join(",")}`, t.token);
    for (const l of world.buildService.links) if (l.grantToken) this.add(`${source}: grant token of link ${l.id}`, l.grantToken);
    return this;
  }

  /** Whether `value` is one of the canaries (or a known credential). */
  has(value: string): boolean {
    return this.#values.has(value);
  }

  /** How many distinct secret values are searched for. */
  get size(): number {
    return this.#values.size;
  }

  /** Every occurrence of every needle in `text`, each with a redacted excerpt. */
  leaks(where: string, text: string): Leak[] {
    const hits: { at: number; end: number; needle: Needle }[] = [];
    // Longest first, so a fragment (a prefix, a base64 tail) inside a reported match is not reported again.
    for (const needle of [...this.#needles].sort((a, b) => b.text.length - a.text.length)) {
      for (let at = text.indexOf(needle.text); at >= 0; at = text.indexOf(needle.text, at + needle.text.length)) {
        const end = at + needle.text.length;
        if (!hits.some((h) => h.at <= at && end <= h.end)) hits.push({ at, end, needle });
      }
    }
    return hits
      .sort((a, b) => a.at - b.at)
      .map(({ at, end, needle }) => {
        const raw = text.slice(Math.max(0, at - EXCERPT), end + EXCERPT);
        return { where, label: needle.label, excerpt: this.redact(raw).replace(/\s+/g, " ") };
      });
  }

  /**
   * Every leak in every output, as one line each: `WHERE: LABEL: …excerpt…`. Throws when there is no
   * canary or no output: an empty report of a search over nothing would pass as "nothing leaked".
   */
  report(outputs: readonly Output[]): string[] {
    if (this.#needles.length === 0) throw new Error("no canary to search for");
    if (outputs.length === 0) throw new Error("no output to search for canaries");
    return outputs.flatMap((o) => this.leaks(o.where, o.text)).map((l) => `${l.where}: ${l.label}: …${l.excerpt}…`);
  }

  /** `text` with every needle replaced by `«label»` (longest first), safe to print in a failure. */
  redact(text: string): string {
    let out = text;
    for (const needle of [...this.#needles].sort((a, b) => b.text.length - a.text.length)) {
      out = out.split(needle.text).join(`«${needle.label}»`);
    }
    return out;
  }

  #encodings(label: string, base64: string): void {
    this.#push(label, base64);
    const url = base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    if (url !== base64) this.#push(`${label}url`, url);
    const encoded = encodeURIComponent(base64);
    if (encoded !== base64) this.#push(`${label}, URL-encoded`, encoded);
    // The last 20 characters encode only the secret's tail: a cut-off header still matches.
    const tail = base64.replace(/=+$/, "").slice(-20);
    if (tail.length === 20) this.#push(`${label} (its last 20 characters)`, tail);
  }

  #push(label: string, text: string): void {
    if (!this.#needles.some((n) => n.text === text)) this.#needles.push({ label, text });
  }
}
