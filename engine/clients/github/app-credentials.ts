/**
 * A GitHub App's credentials (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app):
 * the private key signs a JWT (by `@octokit/auth-app`), which mints an installation access token per
 * owner (`POST /app/installations/{id}/access_tokens`), valid for an hour. Tokens are minted on first
 * use, replaced before they expire (on an injectable clock, so tests need no wall clock), and minted
 * anew when GitHub refuses one (401). Every key and token this object ever held is listed by
 * `secrets()`, so the clients redact them from every answer, error and cached page.
 */
import { readFile } from "node:fs/promises";
import { createAppAuth } from "@octokit/auth-app";
import type { GitHubOctokit } from "./octokit.js";
import { Secret } from "../../model/secret.js";
import type { GitHubAppSettings } from "../../model/client-settings.js";

/** The app cannot be used: no key, an unreadable key, or no installation for an owner. */
export class GitHubAppSetupError extends Error {
  override readonly name = "GitHubAppSetupError";
}

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
}

/** The tokens of one GitHub App, per installation, and each owner's installation id. */
export class GitHubAppCredentials {
  readonly appId: number;
  readonly #settings: GitHubAppSettings;
  readonly #io: AppCredentialIo;
  readonly #now: () => number;
  #key: Promise<string> | null = null;
  #keyValue: string | null = null;
  readonly #held = new Map<number, HeldToken>();
  readonly #minting = new Map<number, Promise<HeldToken>>();
  readonly #owners = new Map<string, Promise<number>>();
  /** Every token minted, newest last: a server may echo an old one. */
  readonly #minted: string[] = [];

  constructor(settings: GitHubAppSettings, io: AppCredentialIo) {
    this.appId = settings.appId;
    this.#settings = settings;
    this.#io = io;
    this.#now = io.now ?? Date.now;
    for (const [owner, id] of Object.entries(settings.installations)) this.#owners.set(owner.toLowerCase(), Promise.resolve(id));
  }

  /** The key and every token held so far, to redact. */
  secrets(): string[] {
    return [...(this.#keyValue === null ? [] : [this.#keyValue]), ...this.#minted];
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
    const auth = await this.#auth();
    const minted = await auth({ type: "installation", installationId, refresh: true });
    this.#minted.push(minted.token);
    const now = this.#now();
    const expiresAt = Date.parse(minted.expiresAt);
    const lifetime = Number.isFinite(expiresAt) ? Math.max(0, expiresAt - now) : 0;
    const held = { token: new Secret(minted.token), expiresAt, renewAt: expiresAt - lifetime / 12 };
    this.#held.set(installationId, held);
    return held;
  }

  async #lookUp(owner: string): Promise<number> {
    const headers = { authorization: `bearer ${await this.#jwt()}` };
    const attempts = [
      () => this.#io.request("GET /orgs/{org}/installation", { org: owner, headers }),
      () => this.#io.request("GET /users/{username}/installation", { username: owner, headers }),
    ];
    for (const attempt of attempts) {
      let data: { id?: unknown };
      try {
        data = (await attempt()).data as { id?: unknown };
      } catch (error) {
        if ((error as { status?: unknown }).status === 404) continue;
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

  /** A JWT for app-level calls (10 minutes, GitHub's maximum). */
  async #jwt(): Promise<string> {
    const auth = await this.#auth();
    return (await auth({ type: "app" })).token;
  }

  /**
   * An auth-app strategy whose JWTs are dated by this object's clock: auth-app signs with
   * `Date.now() + timeDifference`, so the difference is taken afresh for each strategy.
   */
  async #auth(): Promise<ReturnType<typeof createAppAuth>> {
    const privateKey = await this.#privateKey();
    const timeDifference = Math.round((this.#now() - Date.now()) / 1000);
    return createAppAuth({ appId: this.appId, privateKey, request: this.#io.request, timeDifference, log: { warn: () => undefined } });
  }

  #privateKey(): Promise<string> {
    this.#key ??= this.#readKey().then((key) => {
      this.#keyValue = key;
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
