/**
 * Builds the dynamic provider object of a resource type, as `dynamic.Resource` serializes it into
 * each resource's `__provider` input (and so into state). The object captures nothing but the package
 * specifier of its methods module, the function that imports it and the names of the stack config
 * keys: each method imports the module by package name inside the dynamic-provider host, resolved
 * from the project directory (import-from-project.ts), and passes the credentials `configure()` read
 * from stack config, which are kept outside the object so they are never serialized.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CREDENTIAL_CONFIG_KEYS, type ProviderCredentials } from "./credentials.js";
import { importFromProject } from "./import-from-project.js";

/** A dynamic provider that keeps the credentials `configure()` read, in the host's memory only. */
export interface CredentialedProvider<Inputs, Outputs> extends pulumi.dynamic.ResourceProvider<Inputs, Outputs> {
  readonly credentials: ProviderCredentials;
}

/** The host process's global object, where `configure()` keeps what it read (see `credentials` below). */
export type CredentialStore = { [key: symbol]: ProviderCredentials | undefined };

/** What a methods module exports as `providerMethods`: each method's work, given the credentials `configure()` read. */
export interface ProviderMethods<Inputs, Outputs> {
  check(olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult<Inputs>>;
  diff(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult>;
  create(credentials: ProviderCredentials, inputs: Inputs): Promise<pulumi.dynamic.CreateResult<Outputs>>;
  read(credentials: ProviderCredentials, id: string, props: Outputs | undefined): Promise<pulumi.dynamic.ReadResult<Outputs>>;
  update(credentials: ProviderCredentials, id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult<Outputs>>;
  delete(credentials: ProviderCredentials, id: string, props: Outputs): Promise<void>;
}

/**
 * The provider object whose methods run `providerMethods` of `methodsModule`, a package specifier
 * (e.g. `sourcelinks/provider/link-methods`) captured by value when the provider is serialized.
 */
export function dynamicProvider<Inputs, Outputs>(methodsModule: string): CredentialedProvider<Inputs, Outputs> {
  type MethodsModule = { providerMethods: ProviderMethods<Inputs, Outputs> };
  return {
    // A getter over the host process's global object, never a field of this object: the object is what
    // `dynamic.Resource` serializes into `__provider`, and a field that configure() set in the process
    // that serializes it would be serialized with it. The key is written out in each place because
    // anything this object refers to is captured by value.
    get credentials(): ProviderCredentials {
      return (globalThis as CredentialStore)[Symbol.for("sourcelinks.providerCredentials")] ?? {};
    },

    // The host calls this once, with the whole stack config, before the first method (Pulumi ≥ 3.139).
    async configure(req) {
      const credentials: ProviderCredentials = {};
      for (const [name, key] of Object.entries(CREDENTIAL_CONFIG_KEYS))
        credentials[name as keyof ProviderCredentials] = req.config.get(key);
      (globalThis as CredentialStore)[Symbol.for("sourcelinks.providerCredentials")] = credentials;
    },

    async check(olds, news) {
      const { providerMethods } = (await importFromProject(methodsModule)) as MethodsModule;
      return providerMethods.check(olds, news);
    },

    async diff(id, olds, news) {
      const { providerMethods } = (await importFromProject(methodsModule)) as MethodsModule;
      return providerMethods.diff(id, olds, news);
    },

    async create(inputs) {
      const { providerMethods } = (await importFromProject(methodsModule)) as MethodsModule;
      return providerMethods.create(this.credentials, inputs);
    },

    async read(id, props) {
      const { providerMethods } = (await importFromProject(methodsModule)) as MethodsModule;
      return providerMethods.read(this.credentials, id, props);
    },

    async update(id, olds, news) {
      const { providerMethods } = (await importFromProject(methodsModule)) as MethodsModule;
      return providerMethods.update(this.credentials, id, olds, news);
    },

    async delete(id, props) {
      const { providerMethods } = (await importFromProject(methodsModule)) as MethodsModule;
      return providerMethods.delete(this.credentials, id, props);
    },
  };
}
