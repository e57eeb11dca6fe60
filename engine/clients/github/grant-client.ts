/**
 * GitHub's OAuth app endpoints, authenticated with the app owner's client credentials (Basic
 * `client_id:client_secret`): https://docs.github.com/en/rest/apps/oauth-applications.
 */
import type { PlannedRequest } from "../../model/plan.js";
import { plannedUrl } from "../planned-request.js";
import { HttpError } from "../http-error.js";
import type { Secret } from "../../model/secret.js";
import type { OAuthGrantClient } from "../types.js";
import type { GitHubContext } from "./context.js";
import type { GitHubOctokit } from "./octokit.js";

/** Checks and revokes the OAuth grant a build service holds. */
export class GitHubGrantClient implements OAuthGrantClient {
  #octokit: GitHubOctokit | null = null;

  constructor(private readonly ctx: GitHubContext) {}

  /** `POST /applications/{client_id}/token`: 200 → active; 404 ("Invalid tokens will return 404") → revoked. */
  async checkGrant(clientId: string, clientSecret: Secret, accessToken: Secret): Promise<"active" | "revoked"> {
    const request: PlannedRequest = { method: "POST", url: this.ctx.url(`/applications/${encodeURIComponent(clientId)}/token`) };
    try {
      await this.#send(request, clientId, clientSecret, accessToken, "POST /applications/{client_id}/token");
      return "active";
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return "revoked";
      throw error;
    }
  }

  /**
   * `DELETE /applications/{client_id}/grant` (204). Idempotent: GitHub answers 404 or 422 for a token
   * that is no longer valid, which means the grant is already gone.
   */
  async revokeGrant(planned: PlannedRequest, clientId: string, clientSecret: Secret, accessToken: Secret): Promise<"revoked" | "gone"> {
    // Sent as planned, the request a plan's revoke-grant step shows; only under the app's own path.
    const app = this.ctx.url(`/applications/${encodeURIComponent(clientId)}`);
    const request = { method: "DELETE" as const, url: plannedUrl("github", app, planned, "DELETE") };
    try {
      await this.#send(request, clientId, clientSecret, accessToken, `${request.method} ${request.url}`);
      return "revoked";
    } catch (error) {
      if (error instanceof HttpError && (error.status === 404 || error.status === 422)) return "gone";
      throw error;
    }
  }

  /**
   * Sends `route` with the token in the body and Basic client credentials. `route` is the token check's
   * template, or a built request's `METHOD absolute-URL` (the client id is then in the URL already).
   */
  async #send(request: PlannedRequest, clientId: string, clientSecret: Secret, accessToken: Secret, route: string): Promise<void> {
    this.#remember(clientSecret, accessToken);
    const octokit = this.#client();
    const basic = Buffer.from(`${clientId}:${clientSecret.reveal()}`).toString("base64");
    const headers = { authorization: `basic ${basic}` };
    const params = route.includes("{client_id}")
      ? { client_id: clientId, access_token: accessToken.reveal(), headers }
      : { access_token: accessToken.reveal(), headers };
    await this.ctx.call(request, async (): Promise<void> => {
      await octokit.request(route, params);
    }, [clientSecret, accessToken]);
  }

  /** The Octokit for client-credential calls: no token of its own, each request sends Basic auth. */
  #client(): GitHubOctokit {
    this.#octokit ??= this.ctx.octokit(null, { cache: false, secrets: () => this.ctx.secrets() });
    return this.#octokit;
  }

  /** The credentials a grant call sends join the run's redaction set: every client's answers and errors are scrubbed of them from now on. */
  #remember(clientSecret: Secret, accessToken: Secret): void {
    this.ctx.secretSet.add(clientSecret);
    this.ctx.secretSet.add(accessToken);
  }
}
