/**
 * A GitHub App's credentials (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app):
 * the private key signs JWTs (app-jwt.ts), which mint an installation access token per owner
 * (`POST /app/installations/{id}/access_tokens`), valid for an hour. Tokens are minted on first use,
 * replaced before they expire (on an injectable clock, so tests need no wall clock), and minted anew
 * when GitHub refuses one (401). The key, every JWT and every token join the run's redaction set the
 * moment they exist, and every failure leaves as a redacted `HttpError` or a `GitHubAppSetupError`.
 */
import { readFile } from "node:fs/promises";
import type { GitHubOctokit } from "./octokit.js";
import { Secret, type SecretSet } from "../../model/secret.js";
import type { GitHubAppSettings } from "../../model/client-settings.js";
import { HttpError } from "../http-error.js";
import { GitHubAppSetupError } from "./app-errors.js";
import { AppJwts } from "./app-jwt.js";

export { GitHubAppSetupError } from "./app-errors.js";

/** A live installation token. */
interface HeldToken {
  token: Secret;
  /** Epoch ms (GitHub's `expires_at`). */
  expiresAt: number;
  /** When it is replaced: a twelfth of its lifetime before expiry (5 minutes of GitHub's hour). */
  renewAt: number;
}

/** The HTTP side of the app: a request function for app-authenticated (JWT) calls, and the clock. */
export interface AppCredentialIo {
  /** Octokit's `request` for the API (pacing and guarded fetch included); the JWT goes in its headers. */
  request: GitHubOctokit["request"];
  /** Epoch milliseconds; default `Date.now`. */
  now?: () => number;
  /** The run's redaction set: the key, the JWTs and the tokens join it as they are read, signed and minted. */
  secrets: SecretSet;
}

/** The tokens of one GitHub App, per installation, and each owner's installation id. */
export class GitHubAppCredentials {
  readonly appId: number;
  readonly #settings: GitHubAppSettings;
  readonly #io: AppCredentialIo;
  readonly #now: () => number;
  readonly #secrets: SecretSet;
  readonly #jwts: AppJwts;
  #key: Promise<string> | null = null;
  readonly #held = new Map<number, HeldToken>();
  readonly #minting = new Map<number, Promise<HeldToken>>();
  readonly #owners = new Map<string, Promise<number>>();

  constructor(settings: GitHubAppSettings, io: AppCredentialIo) {
    this.appId = settings.appId;
    this.#settings = settings;
    this.#io = io;
    this.#now = io.now ?? Date.now;
    this.#secrets = io.secrets;
    this.#jwts = new AppJwts({
      appId: settings.appId,
      keySource: settings.keySource,
      privateKey: () => this.#privateKey(),
      secrets: io.secrets,
      now: this.#now,
    });
    for (const [owner, id] of Object.entries(settings.installations)) this.#owners.set(owner.toLowerCase(), Promise.resolve(id));
  }

  /**
   * The installation id of an owner: from the config, else `GET /orgs/{org}/installation`, falling
   * back to `GET /users/{username}/installation` (GitHub answers 404 for a user on the org route).
   */
  installationOf(owner: string): Promise<number> {
    const key = owner.toLowerCase();
    let found = this.#owners.get(key);
    if (!found) {
      // A failed look-up is not remembered: the next call asks again.
      found = this.#lookUp(owner).catch((error: unknown) => {
        this.#owners.delete(key);
        throw error;
      });
      this.#owners.set(key, found);
    }
    return found;
  }

  /** An installation id already known (configured or looked up), for requests about no owner in particular; null when none is. */
  knownInstallation(): number | null {
    const configured = Object.values(this.#settings.installations)[0];
    if (configured !== undefined) return configured;
    const held = [...this.#held.keys()][0];
    return held ?? null;
  }

  /** A token of the installation valid for a while yet: the held one, or a new one. */
  async token(installationId: number): Promise<string> {
    const held = this.#held.get(installationId);
    if (held && this.#now() < held.renewAt) return held.token.reveal();
    return (await this.#mint(installationId)).token.reveal();
  }

  /** GitHub refused `token` (401): drop it, so the next `token()` mints a new one. */
  rejected(installationId: number, token: string): void {
    const held = this.#held.get(installationId);
    if (held?.token.reveal() === token) this.#held.delete(installationId);
  }

  /** One mint per installation at a time: concurrent requests share it. */
  #mint(installationId: number): Promise<HeldToken> {
    let pending = this.#minting.get(installationId);
    if (!pending) {
      pending = this.#mintNow(installationId).finally(() => this.#minting.delete(installationId));
      this.#minting.set(installationId, pending);
    }
    return pending;
  }

  async #mintNow(installationId: number): Promise<HeldToken> {
    const route = "POST /app/installations/{installation_id}/access_tokens";
    const fallback = { method: "POST", url: `/app/installations/${installationId}/access_tokens` };
    const response = await this.#jwts.call(fallback, (authorization) =>
      this.#io.request(route, { installation_id: installationId, headers: { authorization } }),
    );
    const data = response.data as { token?: unknown; expires_at?: unknown };
    if (typeof data.token !== "string" || data.token === "") {
      throw new GitHubAppSetupError(`github: ${fallback.method} ${fallback.url} answered without a token`);
    }
    const token = this.#secrets.derive(data.token);
    const now = this.#now();
    const expiresAt = typeof data.expires_at === "string" ? Date.parse(data.expires_at) : Number.NaN;
    const lifetime = Number.isFinite(expiresAt) ? Math.max(0, expiresAt - now) : 0;
    const held = { token, expiresAt, renewAt: expiresAt - lifetime / 12 };
    this.#held.set(installationId, held);
    return held;
  }

  async #lookUp(owner: string): Promise<number> {
    const attempts = [
      { route: "GET /orgs/{org}/installation", params: { org: owner }, url: `/orgs/${encodeURIComponent(owner)}/installation` },
      { route: "GET /users/{username}/installation", params: { username: owner }, url: `/users/${encodeURIComponent(owner)}/installation` },
    ];
    for (const { route, params, url } of attempts) {
      let data: { id?: unknown };
      try {
        const response = await this.#jwts.call({ method: "GET", url }, (authorization) =>
          this.#io.request(route, { ...params, headers: { authorization } }),
        );
        data = response.data as { id?: unknown };
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) continue;
        throw error;
      }
      if (typeof data.id !== "number") throw new GitHubAppSetupError(`github: the installation of ${owner} was answered without an id`);
      return data.id;
    }
    throw new GitHubAppSetupError(
      `github: the GitHub App ${this.appId} is not installed on ${owner} (GET /orgs/${owner}/installation and /users/${owner}/installation answered 404): ` +
        `install the app on ${owner} (its settings → Install App), or name the installation under providers.github.auth.installations`,
    );
  }

  #privateKey(): Promise<string> {
    this.#key ??= this.#readKey().then((key) => {
      this.#secrets.add(new Secret(key));
      return key;
    });
    return this.#key;
  }

  async #readKey(): Promise<string> {
    const { privateKey, privateKeyFile, keySource } = this.#settings;
    let key: string;
    if (privateKey !== null) key = privateKey.reveal();
    else if (privateKeyFile !== null) {
      try {
        key = await readFile(privateKeyFile, "utf8");
      } catch (error) {
        throw new GitHubAppSetupError(
          `github: cannot read the GitHub App's private key from ${keySource} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`,
        );
      }
    } else {
      throw new GitHubAppSetupError(
        `github: no private key for the GitHub App ${this.appId}: set ${keySource.replace(/^the env var /, "")} to the app's PEM key`,
      );
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
      throw new GitHubAppSetupError(
        `github: ${keySource} does not hold a PEM private key (-----BEGIN … PRIVATE KEY-----); download one from the app's settings → Private keys`,
      );
    }
    return key;
  }
}
