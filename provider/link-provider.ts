/**
 * The dynamic provider of `SourceProviderLink`, as `dynamic.Resource` serializes it into each
 * resource's `__provider` input. It captures nothing but the package specifier of its implementation
 * and the function that imports it: each method imports link-methods.js by package name inside the
 * dynamic-provider host, resolved from the project directory (import-from-project.ts), and passes the
 * credentials `configure()` read from stack config, which it keeps outside the object so they are
 * never serialized.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderCredentials } from "./credentials.js";
import { importFromProject } from "./import-from-project.js";
import type * as LinkMethods from "./link-methods.js";
import type { SourceProviderLinkInputs, SourceProviderLinkOutputs } from "./properties.js";

/** The implementation, by package name (import-from-project.ts), captured by value when the provider is serialized. */
const LINK_METHODS = "sourcelinks/provider/link-methods";

/** A dynamic provider that keeps the credentials `configure()` read, in the host's memory only. */
export interface CredentialedProvider<Inputs, Outputs> extends pulumi.dynamic.ResourceProvider<Inputs, Outputs> {
  readonly credentials: ProviderCredentials;
}

/** The host process's global object, where `configure()` keeps what it read (see `credentials` below). */
export type CredentialStore = { [key: symbol]: ProviderCredentials | undefined };

/** The `SourceProviderLink` provider object. */
export const linkProvider: CredentialedProvider<SourceProviderLinkInputs, SourceProviderLinkOutputs> = {
  // A getter over the host process's global object, never a field of this object: the object is what
  // `dynamic.Resource` serializes into `__provider` (and so into state), and a field that configure()
  // set in the process that serializes it would be serialized with it. The key is written out in each
  // place because anything this object refers to is captured by value.
  get credentials(): ProviderCredentials {
    return (globalThis as CredentialStore)[Symbol.for("sourcelinks.providerCredentials")] ?? {};
  },

  // The host calls this once, with the whole stack config, before the first method (Pulumi ≥ 3.139).
  async configure(req) {
    (globalThis as CredentialStore)[Symbol.for("sourcelinks.providerCredentials")] = {
      githubToken: req.config.get("sourcelinks:githubToken"),
      buildToken: req.config.get("sourcelinks:buildToken"),
      bitbucketToken: req.config.get("sourcelinks:bitbucketToken"),
      githubClientSecret: req.config.get("sourcelinks:githubClientSecret"),
    };
  },

  async check(olds, news) {
    const methods = (await importFromProject(LINK_METHODS)) as typeof LinkMethods;
    return methods.checkLink(olds, news);
  },

  async diff(id, olds, news) {
    const methods = (await importFromProject(LINK_METHODS)) as typeof LinkMethods;
    return methods.diffLink(id, olds, news);
  },

  async create(inputs) {
    const methods = (await importFromProject(LINK_METHODS)) as typeof LinkMethods;
    return methods.createLink(this.credentials, inputs);
  },

  async read(id, props) {
    const methods = (await importFromProject(LINK_METHODS)) as typeof LinkMethods;
    return methods.readLink(this.credentials, id, props);
  },

  async update(id, olds, news) {
    const methods = (await importFromProject(LINK_METHODS)) as typeof LinkMethods;
    return methods.updateLink(this.credentials, id, olds, news);
  },

  async delete(id, props) {
    const methods = (await importFromProject(LINK_METHODS)) as typeof LinkMethods;
    return methods.deleteLink(this.credentials, id, props);
  },
};
