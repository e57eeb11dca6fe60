/**
 * The dynamic provider of `OrphanSweep`, serialized into each resource's `__provider`. Like
 * link-provider.ts it captures only the package specifier of its implementation and imports it by
 * package name inside each method, in the dynamic-provider host.
 */
import type { ProviderCredentials } from "./credentials.js";
import { importFromProject } from "./import-from-project.js";
import type { CredentialedProvider, CredentialStore } from "./link-provider.js";
import type * as SweepMethods from "./sweep-methods.js";
import type { OrphanSweepInputs, OrphanSweepOutputs } from "./sweep-properties.js";

/** The implementation, by package name (import-from-project.ts), captured by value when the provider is serialized. */
const SWEEP_METHODS = "sourcelinks/provider/sweep-methods";

/** The `OrphanSweep` provider object. */
export const sweepProvider: CredentialedProvider<OrphanSweepInputs, OrphanSweepOutputs> = {
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
    const methods = (await importFromProject(SWEEP_METHODS)) as typeof SweepMethods;
    return methods.checkSweep(olds, news);
  },

  async diff(id, olds, news) {
    const methods = (await importFromProject(SWEEP_METHODS)) as typeof SweepMethods;
    return methods.diffSweep(id, olds, news);
  },

  async create(inputs) {
    const methods = (await importFromProject(SWEEP_METHODS)) as typeof SweepMethods;
    return methods.createSweep(this.credentials, inputs);
  },

  async read(id, props) {
    const methods = (await importFromProject(SWEEP_METHODS)) as typeof SweepMethods;
    return methods.readSweep(this.credentials, id, props);
  },

  async update(id, olds, news) {
    const methods = (await importFromProject(SWEEP_METHODS)) as typeof SweepMethods;
    return methods.updateSweep(this.credentials, id, olds, news);
  },

  // Removing the sweep stops sweeping: nothing on the owner changes.
  async delete() {
    return;
  },
};
