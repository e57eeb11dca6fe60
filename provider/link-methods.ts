/**
 * What `SourceProviderLink`'s dynamic provider does, loaded inside the dynamic-provider host by
 * link-provider.ts. Every method builds its clients here (never captured), calls the operations API
 * (reconcile/operations.ts) and turns its result into Pulumi results. Contracts, after Pulumi's:
 * - `create` adopts a matching live link instead of failing, so a re-run after a crash converges;
 * - a failed step throws an error saying what was done and what remains; after a failed `delete` the
 *   resource is assumed to still exist, and running it again continues where it stopped;
 * - `read` of a link that is gone returns outputs with `liveState: "absent"`, not an error;
 * - `delete` releases the link (stops managing it, leaves it linked) unless it declares
 *   `onDelete: revoke`: a rename or a new parent makes the engine create the new resource (which
 *   adopts the live link) and then delete the old one, and that delete must not revoke the link.
 *   Nor does it with `onDelete: revoke` when another resource of the same deployment declares the
 *   same identity: a rename without aliases is never a revocation.
 */
import * as pulumi from "./pulumi-sdk.js";
import { redactText } from "../engine/model/redaction.js";
import type { LinkSpec } from "../engine/model/spec.js";
import {
  createOperationContext,
  observeLink,
  type OperationContext,
  planLink,
  reconcileLink,
  resolvePlanSettings,
} from "../engine/reconcile/operations.js";
import type { ObservedLink } from "../engine/model/observed.js";
import { checkLinkInputs } from "./check-inputs.js";
import { driftFacts } from "./drift.js";
import { credentialOverrides, knownSecretValues, type ProviderCredentials } from "./credentials.js";
import type { ProviderMethods } from "./dynamic-provider.js";
import {
  configOf,
  LINK_INPUT_KEYS,
  linkOutputsOf,
  linkReplaceKeys,
  linkResourceId,
  linkSpecOf,
  parseLinkResourceId,
  pickLinkInputs,
  type SourceProviderLinkInputs,
  type SourceProviderLinkOutputs,
} from "./properties.js";
import { withSecretOutputs } from "./secret-outputs.js";
import { stoppedExecutionMessage } from "./step-text.js";
import { knownFailures } from "./unknowns.js";

/** Inputs as the host hands them over: the declared properties plus the host's `__provider`. */
type Props = SourceProviderLinkInputs & { __provider?: string };

/**
 * The link identities (resource ids) each resource of this deployment declared, by resource name. The
 * dynamic-provider host is one process per deployment and loads this module once, so what `check`,
 * `create` and `update` note here is what the program declares now. The engine checks and creates a
 * renamed resource before it deletes the old one (deletes come last), so that delete sees the new name.
 */
const declaredIdentities = new Map<string, Set<string>>();

/** Notes that resource `name` declares identity `id` in this deployment. */
function noteDeclared(id: string, name: string): void {
  const names = declaredIdentities.get(id) ?? new Set<string>();
  names.add(name);
  declaredIdentities.set(id, names);
}

/** The identity of link inputs, or null while part of it is unknown (a preview). */
function identityOf(inputs: Partial<SourceProviderLinkInputs>): string | null {
  const { namespace, provider, account, team } = inputs;
  if (typeof namespace !== "string" || typeof provider !== "string" || typeof account !== "string") return null;
  if (team !== undefined && team !== null && typeof team !== "string") return null;
  return linkResourceId({ namespace, provider, account, ...(typeof team === "string" ? { team } : {}) });
}

/** Other resources of this deployment that declare identity `id`, besides `name`. */
function otherDeclarers(id: string, name: string): string[] {
  return [...(declaredIdentities.get(id) ?? [])].filter((n) => n !== name);
}

function contextFor(inputs: SourceProviderLinkInputs, spec: LinkSpec, credentials: ProviderCredentials): OperationContext {
  return createOperationContext(configOf(inputs, [spec]), process.env, credentialOverrides(credentials));
}

function redactorFor(inputs: SourceProviderLinkInputs, credentials: ProviderCredentials): (text: string) => string {
  const gh = inputs.providers?.github;
  const bb = inputs.providers?.bitbucket;
  const secrets = knownSecretValues(
    credentials,
    [
      inputs.buildService?.tokenEnv,
      gh?.tokenEnv,
      gh?.auth?.privateKeyEnv,
      bb?.tokenEnv,
      inputs.buildService?.oauthApps?.github?.clientSecretEnv,
    ],
    process.env,
  );
  return (text) => redactText(text, secrets);
}

/** observe → plan → execute → observe, throwing the stopped-execution message when a step failed. */
async function reconcile(
  what: string,
  inputs: SourceProviderLinkInputs,
  spec: LinkSpec,
  credentials: ProviderCredentials,
): Promise<ObservedLink> {
  const redact = redactorFor(inputs, credentials);
  let outcome: Awaited<ReturnType<typeof reconcileLink>>;
  try {
    outcome = await reconcileLink(contextFor(inputs, spec, credentials), spec);
  } catch (error) {
    // Observation failed before any step ran (or after all of them): nothing half-done to report.
    throw new Error(redact(`${what} failed while observing the live link: ${error instanceof Error ? error.message : String(error)}`), {
      cause: error,
    });
  }
  if (outcome.result.failed !== null) throw new Error(stoppedExecutionMessage(what, outcome.result, redact));
  return outcome.observed;
}

function label(inputs: SourceProviderLinkInputs): string {
  return `SourceProviderLink "${inputs.name}"`;
}

/** What differs between `observed` and the declaration, as facts (drift.ts); pure, no client is built. */
function driftOf(inputs: SourceProviderLinkInputs, spec: LinkSpec, observed: ObservedLink): string[] {
  return driftFacts(planLink(spec, observed, resolvePlanSettings(configOf(inputs, [spec]), process.env)).steps);
}

/** The outputs, with `drift` naming what `pulumi up` would repair. */
function outputsOf(
  inputs: SourceProviderLinkInputs,
  spec: LinkSpec,
  observed: ObservedLink,
): SourceProviderLinkOutputs & { drift: string[] } {
  return { ...linkOutputsOf(inputs, observed), drift: driftOf(inputs, spec, observed) };
}

/** Validates inputs against the config schema and the link's cross-field rules; values unknown during preview wait for apply. */
export async function checkLink(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult<Props>> {
  const id = identityOf(news);
  if (id !== null && typeof news.name === "string") noteDeclared(id, news.name);
  return { inputs: news, failures: knownFailures(news, checkLinkInputs(news)) };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Replaces only when the link's identity changes (namespace, provider, the team of a team link, the
 * account of a personal link): those cannot be changed in place. A team link's new account is an
 * in-place relink. `changes` is also true when the last observation differs from what is declared
 * (a drifted link), judged by the planner: a plan with any step to send.
 */
export async function diffLink(_id: string, olds: SourceProviderLinkOutputs, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const changed = LINK_INPUT_KEYS.filter((key) => !same(olds[key], news[key]));
  // An identity key unknown during preview differs from the old value, so it shows as a possible replacement.
  const identity: readonly string[] = linkReplaceKeys(olds.team !== undefined || news.team !== undefined);
  const replaces = changed.filter((key) => identity.includes(key));
  let drifted = false;
  if (changed.length === 0 && olds.observed !== undefined) drifted = driftOf(news, linkSpecOf(news), olds.observed).length > 0;
  // Revoke the old link (and its grant) before linking anew: a grant is per app and user, so revoking
  // it after creating the replacement could cut the replacement off.
  return { changes: changed.length > 0 || drifted, replaces, deleteBeforeReplace: replaces.length > 0 };
}

/** Links (or adopts) the declared link and brings it to the declared state. */
export async function createLink(
  credentials: ProviderCredentials,
  inputs: Props,
): Promise<pulumi.dynamic.CreateResult<SourceProviderLinkOutputs>> {
  const spec = linkSpecOf(inputs);
  noteDeclared(linkResourceId(spec), spec.name);
  const observed = await reconcile(`${label(inputs)} create`, inputs, spec, credentials);
  return { id: linkResourceId(spec), outs: outputsOf(inputs, spec, observed) };
}

/**
 * Refresh: the live link, webhooks and deploy keys. A link gone from the build service is reported
 * (`liveState: "absent"`), not deleted from state, so a policy can see it. Only an id that is not a
 * link id, or state without the link's declaration, is an error: dynamic resources cannot be imported.
 */
export async function readLink(
  credentials: ProviderCredentials,
  id: string,
  props: Props | undefined,
): Promise<pulumi.dynamic.ReadResult<SourceProviderLinkOutputs>> {
  if (id === "") {
    throw new Error(
      "SourceProviderLink read: no id. Dynamic resources cannot be imported (pulumi import, or the import resource option); declare the link and run pulumi up: create adopts the live link.",
    );
  }
  const parsed = parseLinkResourceId(id);
  if (parsed === null)
    throw new Error(
      `SourceProviderLink read: "${id}" is not a link id (<namespace>/<provider>/<account> or <namespace>/<provider>/team:<team>)`,
    );
  if (props === undefined || typeof props.name !== "string" || props.buildService === undefined) {
    throw new Error(
      `SourceProviderLink read: no declaration for ${id}. Dynamic resources cannot be imported; declare the link (sourcelinks export writes YAML for the live world) and run pulumi up: create adopts the live link.`,
    );
  }
  const spec = linkSpecOf(props);
  let observed: ObservedLink;
  try {
    observed = await observeLink(contextFor(props, spec, credentials), spec);
  } catch (error) {
    const redact = redactorFor(props, credentials);
    throw new Error(redact(`${label(props)} read failed: ${error instanceof Error ? error.message : String(error)}`), { cause: error });
  }
  const outs = outputsOf(props, spec, observed);
  // The drift also goes into the stored inputs: a preview diffs old inputs against the program's, so
  // `pulumi preview` after a refresh shows `- drift: ["webhook 1007 still on acme/api"]`, what up repairs.
  const inputs = { ...pickLinkInputs(props), ...(outs.drift.length > 0 ? { drift: outs.drift } : {}) };
  // The SDK types `inputs` as the outputs type; the host sends it to the engine as the inputs it is.
  return { id, props: outs, inputs: inputs as unknown as SourceProviderLinkOutputs };
}

/** Brings the live link to the new declaration: state changes, relinking a team, revoking. */
export async function updateLink(
  credentials: ProviderCredentials,
  _id: string,
  _olds: SourceProviderLinkOutputs,
  news: Props,
): Promise<pulumi.dynamic.UpdateResult<SourceProviderLinkOutputs>> {
  const spec = linkSpecOf(news);
  noteDeclared(linkResourceId(spec), spec.name);
  const observed = await reconcile(`${label(news)} update`, news, spec, credentials);
  return { outs: outputsOf(news, spec, observed) };
}

/**
 * Delete releases the link: nothing is sent, the link stays as it is and is no longer managed (as in
 * the CLI, where a link absent from the files is not managed). With `onDelete: revoke` (as last applied)
 * it revokes: unlink, revoke the grant where an API allows, remove leftovers per `onRevoke`; unless
 * another resource of this deployment declares the same link (a rename without aliases): then the
 * link is that resource's, and this delete releases it.
 */
export async function deleteLink(credentials: ProviderCredentials, _id: string, props: SourceProviderLinkOutputs): Promise<void> {
  const id = linkResourceId(linkSpecOf(props));
  declaredIdentities.get(id)?.delete(props.name);
  const renamed = otherDeclarers(id, props.name).length > 0;
  if (props.onDelete !== "revoke" || renamed) {
    // `pulumi destroy` prints this: what was left in place, so nobody mistakes a release for a revoke.
    const why = renamed
      ? `another resource of this deployment declares the same link (${otherDeclarers(id, props.name).join(", ")})`
      : "onDelete: release; declare onDelete: revoke and run pulumi up first to revoke on delete";
    await pulumi.log.info(
      `${label(props)} released: ${id} stays ${props.liveState ?? "as it is"} on the build service and is no longer managed (${why})`,
    );
    return;
  }
  const spec: LinkSpec = { ...linkSpecOf(props), state: "revoked" };
  await reconcile(`${label(props)} delete (revoke)`, props, spec, credentials);
}

/** The methods link-provider.ts runs (dynamic-provider.ts). */
export const providerMethods: ProviderMethods<Props, SourceProviderLinkOutputs> = withSecretOutputs({
  check: checkLink,
  diff: diffLink,
  create: createLink,
  read: readLink,
  update: updateLink,
  delete: deleteLink,
});
