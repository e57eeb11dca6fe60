/**
 * Capability-bearing outputs are secrets in state. A build service's trigger URL
 * (`…/vcs/<uuid>/trigger/call/`) lets anyone who knows it start builds, so every output string that
 * carries one goes back to the engine as a Pulumi secret (the wire form `pulumi.secret` produces),
 * which the engine encrypts in state and masks in `pulumi stack output` and previews. The engine
 * strips secrets from what it sends back to a provider that does not accept them (the dynamic host
 * does not); `revealed` also unwraps them, so methods always see plain values.
 */
import * as pulumi from "./pulumi-sdk.js";
import type { ProviderCredentials } from "./credentials.js";
import type { ProviderMethods } from "./dynamic-provider.js";

/** The key and value that mark a secret in the engine's property wire format. */
const SECRET_SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;

/** A secret in the wire format: what the engine stores encrypted. */
export type WireSecret = { [SECRET_SIG_KEY]: string; value: unknown };

/** A build-service trigger URL: `/vcs/<id>/trigger/` and what follows. */
const TRIGGER_URL = /\/vcs\/[^/\s]+\/trigger\//;

/** Whether a string carries a capability: a build trigger URL. */
export function bearsCapability(text: string): boolean {
  return TRIGGER_URL.test(text);
}

function isWireSecret(value: unknown): value is WireSecret {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** `value` with every string that bears a capability replaced by a wire secret; everything else as is. */
export function withSecretCapabilities<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return bearsCapability(v) ? ({ [SECRET_SIG_KEY]: SECRET_SIG, value: v } as WireSecret) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object" && !isWireSecret(v))
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * `value` as one wire secret, whatever it holds (typed as itself, as the engine hands it back to
 * methods revealed): for a part of the outputs whose strings may carry capabilities no pattern knows.
 */
export function asSecret<T>(value: T): T {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value } as WireSecret as unknown as T;
}

/** `value` with every wire secret replaced by its plain value. */
export function revealed<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (isWireSecret(v)) return walk(v.value);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object")
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Methods whose outputs mark capabilities secret and whose old outputs arrive revealed. */
export function withSecretOutputs<Inputs, Outputs>(methods: ProviderMethods<Inputs, Outputs>): ProviderMethods<Inputs, Outputs> {
  return {
    check: (olds, news) => methods.check(olds, news),
    diff: (id, olds, news) => methods.diff(id, revealed(olds), news),
    async create(credentials: ProviderCredentials, inputs): Promise<pulumi.dynamic.CreateResult<Outputs>> {
      const result = await methods.create(credentials, inputs);
      return { ...result, outs: withSecretCapabilities(result.outs) };
    },
    async read(credentials, id, props): Promise<pulumi.dynamic.ReadResult<Outputs>> {
      const result = await methods.read(credentials, id, props === undefined ? undefined : revealed(props));
      return { ...result, ...(result.props === undefined ? {} : { props: withSecretCapabilities(result.props) }) };
    },
    async update(credentials, id, olds, news): Promise<pulumi.dynamic.UpdateResult<Outputs>> {
      const result = await methods.update(credentials, id, revealed(olds), news);
      return { ...result, ...(result.outs === undefined ? {} : { outs: withSecretCapabilities(result.outs) }) };
    },
    delete: (credentials, id, props) => methods.delete(credentials, id, revealed(props)),
  };
}
