/**
 * GitHub's refusal of a write under `.github/workflows/`: it needs the `workflow` scope on a classic
 * (or OAuth) token and the Workflows permission (read and write) on a fine-grained token or a GitHub
 * App, beside write access to contents. This error names both, whatever GitHub's 403 said.
 */
import { HttpError } from "../http-error.js";

/** A workflow file write GitHub refused for want of the workflow scope or permission. */
export class WorkflowPermissionError extends HttpError {
  constructor(init: {
    repository: string;
    path: string;
    method: string;
    url: string;
    detail: string | null;
    /** The permissions GitHub named as accepted (`contents=write or workflows=write`), when it named any. */
    accepted: string | null;
    secrets: readonly string[];
  }) {
    super({ status: 403, service: "github", method: init.method, url: init.url, detail: init.detail, secrets: init.secrets });
    this.message =
      `github: writing ${init.path} to ${init.repository} needs the \`workflow\` scope (classic token) or the Workflows permission, read and write ` +
      `(fine-grained token, GitHub App), beside write access to its contents; ${this.method} ${this.url} answered HTTP 403${this.detail ? `: ${this.detail}` : ""}` +
      `${init.accepted === null ? "" : ` (GitHub accepts ${init.accepted})`}`;
  }
}
