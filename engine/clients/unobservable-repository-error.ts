/**
 * A repository that exists but whose webhooks or deploy keys the credentials may not read. GitHub
 * answers 404 to a hook or key listing without admin rights, exactly as for a repository that is
 * gone; the clients ask the repository itself to tell the two apart, and this error is the second
 * case: what could not be observed is never reported as clean.
 */
import type { ServiceName } from "./http-error.js";
import { SourcelinksError } from "../model/errors.js";

/** The repository exists, but its listing was hidden from the credentials. */
export class UnobservableRepositoryError extends SourcelinksError {
  override readonly name = "UnobservableRepositoryError";
  readonly kind = "operational";
  readonly service: ServiceName;
  readonly repository: string;

  constructor(init: { service: ServiceName; repository: string; what: "webhooks" | "deploy keys"; status: number; permission: string }) {
    super(
      `${init.service}: cannot observe the ${init.what} of ${init.repository}: the repository exists, but listing its ${init.what} answered HTTP ${init.status}; ` +
        `the credentials need ${init.permission}`,
    );
    this.service = init.service;
    this.repository = init.repository;
  }
}
