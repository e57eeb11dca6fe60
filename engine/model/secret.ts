/** A credential that cannot leak by accident: every stringification is redacted. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The raw value, for the one place that puts it on the wire. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return "[redacted]";
  }

  toJSON(): string {
    return "[redacted]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "Secret([redacted])";
  }
}

/**
 * The credentials a run must never print: the configured ones, and every one derived at run time (a
 * GitHub App's JWTs and installation tokens, an OAuth token read from the build service, a registry's
 * token), added the moment it exists. One set is shared by a world's clients, each of which reads it
 * afresh for every answer and error it redacts: a server may echo any credential it was ever sent.
 */
export class SecretSet implements Iterable<Secret> {
  readonly #secrets = new Map<string, Secret>();
  /** The raw values as last listed; dropped when a credential joins, so an unchanged set lists the same array. */
  #values: readonly string[] | null = null;

  constructor(initial: Iterable<Secret | null | undefined> = []) {
    for (const secret of initial) this.add(secret);
  }

  /** Adds a credential (again: no effect). */
  add(secret: Secret | null | undefined): void {
    if (secret != null && !this.#secrets.has(secret.reveal())) {
      this.#secrets.set(secret.reveal(), secret);
      this.#values = null;
    }
  }

  /** A credential obtained at run time, added before anything else sees it. */
  derive(value: string): Secret {
    const known = this.#secrets.get(value);
    if (known) return known;
    const secret = new Secret(value);
    this.#secrets.set(value, secret);
    this.#values = null;
    return secret;
  }

  /**
   * The raw values, for the redactor: the same array until a credential joins, so the redactor built for
   * it is found by identity (every answer of a run is redacted, and a run's set holds a token per link).
   */
  values(): readonly string[] {
    this.#values ??= Object.freeze([...this.#secrets.keys()]);
    return this.#values;
  }

  [Symbol.iterator](): Iterator<Secret> {
    return this.#secrets.values();
  }
}
