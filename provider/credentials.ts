/**
 * Credentials the provider gets from stack config in `configure()` (never from inputs, which land in
 * state): `pulumi config set --secret sourcelinks:githubToken …`. Whatever is absent falls back to the
 * env vars the inputs name, inside each method (reconcile/context.ts).
 */
import { Secret } from "../engine/model/secret.js";
import type { OperationOverrides } from "../engine/reconcile/operations.js";

/** The stack config keys `configure()` reads, all set with `pulumi config set --secret`. */
export const CREDENTIAL_CONFIG_KEYS = {
  githubToken: "sourcelinks:githubToken",
  buildToken: "sourcelinks:buildToken",
  bitbucketToken: "sourcelinks:bitbucketToken",
  githubClientSecret: "sourcelinks:githubClientSecret",
} as const;

/** Raw credential values held in the host process's memory only, keyed like `CREDENTIAL_CONFIG_KEYS`. */
export type ProviderCredentials = Partial<Record<keyof typeof CREDENTIAL_CONFIG_KEYS, string>>;

/** The overrides `createOperationContext` takes, each value wrapped so it cannot be printed. */
export function credentialOverrides(credentials: ProviderCredentials): OperationOverrides {
  const overrides: OperationOverrides = {};
  for (const key of Object.keys(CREDENTIAL_CONFIG_KEYS) as (keyof ProviderCredentials)[]) {
    const value = credentials[key];
    if (value !== undefined && value !== "") overrides[key] = new Secret(value);
  }
  return overrides;
}

/** Every secret value this process could send: configured ones and those in the env vars the inputs name. */
export function knownSecretValues(
  credentials: ProviderCredentials,
  envNames: readonly (string | undefined)[],
  env: NodeJS.ProcessEnv,
): string[] {
  const fromEnv = envNames.flatMap((name) => (name !== undefined && env[name] ? [env[name]] : []));
  return [...Object.values(credentials).filter((v): v is string => typeof v === "string" && v !== ""), ...fromEnv];
}
