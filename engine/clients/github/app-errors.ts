/** Errors of a GitHub App's own credentials: the key, its JWTs, its installations. */
import { HttpError } from "../http-error.js";
import { SourcelinksError } from "../../model/errors.js";

/** The app cannot be used: no key, an unreadable key, or no installation for an owner. */
export class GitHubAppSetupError extends SourcelinksError {
  override readonly name = "GitHubAppSetupError";
  /** `input` when the user's own files are at fault (a key file that is not a regular file). */
  readonly kind: "input" | "operational";

  constructor(message: string, kind: "input" | "operational" = "operational") {
    super(message);
    this.kind = kind;
  }
}

/**
 * GitHub refused the app's JWT (401): the key signs for another app or was deleted from the app (GitHub
 * says only "A JSON web token could not be decoded", so this error names the key's source, the env var
 * or the file), or its dates were refused even on GitHub's clock as its `Date` header told it.
 */
export class AppJwtRefusedError extends HttpError {
  /** Where the key came from, as the config names it (`the env var …`, `the file …`). */
  readonly keySource: string;

  constructor(init: {
    appId: number;
    keySource: string;
    /** GitHub refused the JWT's dates (`iat`/`exp`), not its signature. */
    dates: boolean;
    method: string;
    url: string;
    detail: string | null;
    secrets: readonly string[];
  }) {
    super({ status: 401, service: "github", method: init.method, url: init.url, detail: init.detail, secrets: init.secrets });
    this.keySource = init.keySource;
    this.message =
      `github: GitHub refused the JWT of the GitHub App ${init.appId}, signed with the private key from ${init.keySource}: ` +
      `${this.method} ${this.url} answered HTTP 401${this.detail ? `: ${this.detail}` : ""}. ` +
      (init.dates
        ? "GitHub refused the JWT's dates, after a correction by its answer's Date header where it sent one: set this machine's clock right"
        : `Check that ${init.keySource} holds a private key of the app ${init.appId} that is still listed in its settings (Private keys)`);
  }
}
