/**
 * What `OrgThirdPartyAccess`'s dynamic provider does, loaded inside the dynamic-provider host by
 * org-access-provider.ts: clients built per call, the operations API for every step. Access that no
 * API can set (GitHub has none for approving an OAuth app) is reported in `pendingManualSteps`.
 * Deleting the resource stops managing the org's setting and leaves it as it is: removing a
 * declaration must not silently deny (or grant) an app for a whole organization.
 */
import type * as pulumi from "@pulumi/pulumi";
import { redactText } from "../engine/model/redaction.js";
import {
  createOperationContext,
  type OperationContext,
  observeOrgAccess,
  planOrgAccess,
  reconcileOrgAccess,
  resolvePlanSettings,
} from "../engine/reconcile/operations.js";
import type { ObservedOrgAccess } from "../engine/model/observed.js";
import type { SourcelinksConfig } from "../engine/model/spec.js";
import { checkOrgAccessInputs } from "./check-inputs.js";
import { credentialOverrides, knownSecretValues, type ProviderCredentials } from "./credentials.js";
import type { ProviderMethods } from "./dynamic-provider.js";
import {
  configOf,
  ORG_ACCESS_INPUT_KEYS,
  ORG_ACCESS_REPLACE_KEYS,
  orgAccessOutputsOf,
  orgAccessResourceId,
  orgAccessSpecOf,
  pickOrgAccessInputs,
  type OrgThirdPartyAccessInputs,
  type OrgThirdPartyAccessOutputs,
} from "./properties.js";
import { withSecretOutputs } from "./secret-outputs.js";
import { driftFacts } from "./drift.js";
import { stoppedExecutionMessage } from "./step-text.js";
import { knownFailures } from "./unknowns.js";

/** Inputs as the host hands them over, with the host's `__provider`. */
type Props = OrgThirdPartyAccessInputs & { __provider?: string };

/** The one-entry config the operations run on: the declared entry and the links it may act through. */
function configFor(inputs: OrgThirdPartyAccessInputs): SourcelinksConfig {
  return configOf(inputs, inputs.links, [orgAccessSpecOf(inputs)]);
}

function contextFor(inputs: OrgThirdPartyAccessInputs, credentials: ProviderCredentials): OperationContext {
  return createOperationContext(configFor(inputs), process.env, credentialOverrides(credentials));
}

function redactorFor(inputs: OrgThirdPartyAccessInputs, credentials: ProviderCredentials): (text: string) => string {
  const secrets = knownSecretValues(
    credentials,
    [
      inputs.buildService?.tokenEnv,
      inputs.providers?.github?.tokenEnv,
      inputs.providers?.github?.auth?.privateKeyEnv,
      inputs.providers?.bitbucket?.tokenEnv,
      inputs.buildService?.oauthApps?.github?.clientSecretEnv,
    ],
    process.env,
  );
  return (text) => redactText(text, secrets);
}

function label(inputs: OrgThirdPartyAccessInputs): string {
  return `OrgThirdPartyAccess "${inputs.org}" (${inputs.app} app)`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function reconcile(what: string, inputs: OrgThirdPartyAccessInputs, credentials: ProviderCredentials): Promise<ObservedOrgAccess> {
  const redact = redactorFor(inputs, credentials);
  let outcome: Awaited<ReturnType<typeof reconcileOrgAccess>>;
  try {
    outcome = await reconcileOrgAccess(contextFor(inputs, credentials), orgAccessSpecOf(inputs), inputs.links);
  } catch (error) {
    throw new Error(redact(`${what} failed while observing the org's access: ${messageOf(error)}`), { cause: error });
  }
  if (outcome.result.failed !== null) throw new Error(stoppedExecutionMessage(what, outcome.result, redact));
  return outcome.observed;
}

/** Validates inputs against the config schema, including the links it may act through; unknowns wait for apply. */
export async function checkOrgAccess(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult<Props>> {
  return { inputs: news, failures: knownFailures(news, checkOrgAccessInputs(news)) };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** What differs between `observed` and the declaration, as facts (drift.ts); pure, no client is built. */
function driftOf(inputs: OrgThirdPartyAccessInputs, observed: ObservedOrgAccess): string[] {
  return driftFacts(
    planOrgAccess(orgAccessSpecOf(inputs), observed, resolvePlanSettings(configFor(inputs), process.env), inputs.links).steps,
  );
}

/** The outputs, with `drift` naming what `pulumi up` would set. */
function outputsOf(inputs: OrgThirdPartyAccessInputs, observed: ObservedOrgAccess): OrgThirdPartyAccessOutputs & { drift: string[] } {
  return { ...orgAccessOutputsOf(inputs, observed), drift: driftOf(inputs, observed) };
}

/** Replaces when the org or app changes; `changes` also when the last observation differs from the declaration. */
export async function diffOrgAccess(_id: string, olds: OrgThirdPartyAccessOutputs, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const changed = ORG_ACCESS_INPUT_KEYS.filter((key) => !same(olds[key], news[key]));
  const replaces = changed.filter((key) => (ORG_ACCESS_REPLACE_KEYS as readonly string[]).includes(key));
  let drifted = false;
  if (changed.length === 0 && olds.observed !== undefined) drifted = driftOf(news, olds.observed).length > 0;
  return { changes: changed.length > 0 || drifted, replaces };
}

/** Sets the declared access where an API allows (through a live build-service link) and observes it. */
export async function createOrgAccess(
  credentials: ProviderCredentials,
  inputs: Props,
): Promise<pulumi.dynamic.CreateResult<OrgThirdPartyAccessOutputs>> {
  const observed = await reconcile(`${label(inputs)} create`, inputs, credentials);
  return { id: orgAccessResourceId(inputs), outs: outputsOf(inputs, observed) };
}

/** Refresh: the effective access and how it was observed. */
export async function readOrgAccess(
  credentials: ProviderCredentials,
  id: string,
  props: Props | undefined,
): Promise<pulumi.dynamic.ReadResult<OrgThirdPartyAccessOutputs>> {
  if (id === "")
    throw new Error("OrgThirdPartyAccess read: no id. Dynamic resources cannot be imported; declare the org access and run pulumi up.");
  if (props === undefined || typeof props.org !== "string" || props.buildService === undefined) {
    throw new Error(
      `OrgThirdPartyAccess read: no declaration for ${id}. Dynamic resources cannot be imported; declare the org access and run pulumi up.`,
    );
  }
  let observed: ObservedOrgAccess;
  try {
    observed = await observeOrgAccess(contextFor(props, credentials), orgAccessSpecOf(props), props.links);
  } catch (error) {
    throw new Error(redactorFor(props, credentials)(`${label(props)} read failed: ${messageOf(error)}`), { cause: error });
  }
  const outs = outputsOf(props, observed);
  // As for links: the drift goes into the stored inputs too, so the next preview names what up sets.
  const inputs = { ...pickOrgAccessInputs(props), ...(outs.drift.length > 0 ? { drift: outs.drift } : {}) };
  // The SDK types `inputs` as the outputs type; the host sends it to the engine as the inputs it is.
  return { id, props: outs, inputs: inputs as unknown as OrgThirdPartyAccessOutputs };
}

/** Brings the org's access to the new declaration. */
export async function updateOrgAccess(
  credentials: ProviderCredentials,
  _id: string,
  _olds: OrgThirdPartyAccessOutputs,
  news: Props,
): Promise<pulumi.dynamic.UpdateResult<OrgThirdPartyAccessOutputs>> {
  const observed = await reconcile(`${label(news)} update`, news, credentials);
  return { outs: outputsOf(news, observed) };
}

/** The methods org-access-provider.ts runs (dynamic-provider.ts). */
export const providerMethods: ProviderMethods<Props, OrgThirdPartyAccessOutputs> = withSecretOutputs({
  check: checkOrgAccess,
  diff: diffOrgAccess,
  create: createOrgAccess,
  read: readOrgAccess,
  update: updateOrgAccess,
  // Deleting the declaration leaves the org's setting as it is (the module comment says why).
  delete: async () => {},
});
