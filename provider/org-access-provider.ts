/**
 * The dynamic provider of `OrgThirdPartyAccess`, serialized into each resource's `__provider`.
 * Like link-provider.ts it captures only the package specifier of its implementation and imports
 * it by package name inside each method, in the dynamic-provider host.
 */
import type { ProviderCredentials } from "./credentials.js";
import { importFromProject } from "./import-from-project.js";
import type { CredentialedProvider, CredentialStore } from "./link-provider.js";
import type * as OrgAccessMethods from "./org-access-methods.js";
import type { OrgThirdPartyAccessInputs, OrgThirdPartyAccessOutputs } from "./properties.js";

/** The implementation, by package name (import-from-project.ts), captured by value when the provider is serialized. */
const ORG_ACCESS_METHODS = "sourcelinks/provider/org-access-methods";

/** The `OrgThirdPartyAccess` provider object. */
export const orgAccessProvider: CredentialedProvider<OrgThirdPartyAccessInputs, OrgThirdPartyAccessOutputs> = {
  // Kept on the host process's global object, as in link-provider.ts, so it is never serialized.
  get credentials(): ProviderCredentials {
    return (globalThis as CredentialStore)[Symbol.for("sourcelinks.providerCredentials")] ?? {};
  },

  async configure(req) {
    (globalThis as CredentialStore)[Symbol.for("sourcelinks.providerCredentials")] = {
      githubToken: req.config.get("sourcelinks:githubToken"),
      buildToken: req.config.get("sourcelinks:buildToken"),
      bitbucketToken: req.config.get("sourcelinks:bitbucketToken"),
      githubClientSecret: req.config.get("sourcelinks:githubClientSecret"),
    };
  },

  async check(olds, news) {
    const methods = (await importFromProject(ORG_ACCESS_METHODS)) as typeof OrgAccessMethods;
    return methods.checkOrgAccess(olds, news);
  },

  async diff(id, olds, news) {
    const methods = (await importFromProject(ORG_ACCESS_METHODS)) as typeof OrgAccessMethods;
    return methods.diffOrgAccess(id, olds, news);
  },

  async create(inputs) {
    const methods = (await importFromProject(ORG_ACCESS_METHODS)) as typeof OrgAccessMethods;
    return methods.createOrgAccess(this.credentials, inputs);
  },

  async read(id, props) {
    const methods = (await importFromProject(ORG_ACCESS_METHODS)) as typeof OrgAccessMethods;
    return methods.readOrgAccess(this.credentials, id, props);
  },

  async update(id, olds, news) {
    const methods = (await importFromProject(ORG_ACCESS_METHODS)) as typeof OrgAccessMethods;
    return methods.updateOrgAccess(this.credentials, id, olds, news);
  },

  // Deleting the declaration leaves the org's setting as it is (org-access-methods.ts explains why).
  async delete() {
    return;
  },
};
