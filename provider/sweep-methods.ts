/**
 * What `OrphanSweep`'s dynamic provider does, loaded inside the dynamic-provider host by
 * sweep-provider.ts: clients built per call, the operations API for every step. Create and update
 * delete what no live link covers (the same executor, "observed in this run" rule and request checks
 * as revocations); read observes only; delete stops sweeping and touches nothing. Each reads the owner
 * as the CLI does with its cache folder: incrementally from the audit log where the last outputs'
 * `refreshState` allows it (sweep-refresh-state.ts), else in full, saying why in `observed.refresh`,
 * under the cadence its inputs declare (`verifyEvery`, `verifySlices`; engine/reconcile/sweep-cadence.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkSweepInput } from "../engine/config/index.js";
import { redactText } from "../engine/model/redaction.js";
import { MemoryInventories } from "../engine/clients/memory-inventories.js";
import { parseDuration } from "../engine/model/duration.js";
import { DEFAULT_REFRESH, inventoryScope } from "../engine/reconcile/refresh-owner.js";
import {
  artifactsToRemove,
  createOperationContext,
  observeSweep,
  reconcileSweep,
  SweepLinkWorld,
  type OperationContext,
  type SweepReconciliation,
} from "../engine/reconcile/operations.js";
import type { SweepObservation } from "../engine/model/sweep.js";
import { credentialOverrides, knownSecretValues, type ProviderCredentials } from "./credentials.js";
import type { ProviderMethods } from "./dynamic-provider.js";
import { configOf } from "./properties.js";
import { stoppedExecutionMessage } from "./step-text.js";
import {
  pickSweepInputs,
  SWEEP_CADENCE_KEYS,
  SWEEP_INPUT_KEYS,
  SWEEP_REPLACE_KEYS,
  sweepOutputsOf,
  sweepResourceId,
  sweepLinksOf,
  sweepSpecOf,
  type OrphanSweepInputs,
  type OrphanSweepOutputs,
} from "./sweep-properties.js";
import { knownFailures } from "./unknowns.js";
import { asSecret, withSecretOutputs } from "./secret-outputs.js";
import { sweepDriftFacts } from "./drift.js";
import { refreshStateOf, storedInventoryOf, type SweepRefreshState } from "./sweep-refresh-state.js";

/** Inputs as the host hands them over, with the host's `__provider`. */
type Props = OrphanSweepInputs & { __provider?: string };

function contextFor(inputs: OrphanSweepInputs, credentials: ProviderCredentials, store?: MemoryInventories): OperationContext {
  const ctx = createOperationContext(configOf(inputs, inputs.links), process.env, credentialOverrides(credentials));
  // No overrides: each sweep's cadence is the one its inputs declare, and reasons name those inputs.
  if (store !== undefined) ctx.refresh = { store, overlapMs: DEFAULT_REFRESH.overlapMs, now: Date.now };
  return ctx;
}

/** The inventory the last outputs kept, as the one stored record of a call's refresh. */
function storeFrom(inputs: OrphanSweepInputs, previous: SweepRefreshState | undefined): MemoryInventories {
  const store = new MemoryInventories();
  const kept = storedInventoryOf(previous);
  if (kept !== null) store.set(kept.scope, inputs.owner, kept.stored);
  return store;
}

/** What the call's refresh stored, for the outputs (its inventory a secret); absent when nothing was (the owner is gone). */
function stateOut(ctx: OperationContext, inputs: OrphanSweepInputs, store: MemoryInventories): { refreshState?: SweepRefreshState } {
  const scope = inventoryScope(ctx, inputs.provider);
  const stored = store.get(scope, inputs.owner);
  if (stored === undefined) return {};
  const state = refreshStateOf(scope, stored, (inputs.verifySlices ?? 0) > 0);
  return { refreshState: { ...state, inventory: asSecret(state.inventory) } };
}

function redactorFor(inputs: OrphanSweepInputs, credentials: ProviderCredentials): (text: string) => string {
  const secrets = knownSecretValues(
    credentials,
    [inputs.buildService?.tokenEnv, inputs.providers?.github?.tokenEnv, inputs.providers?.bitbucket?.tokenEnv],
    process.env,
  );
  return (text) => redactText(text, secrets);
}

function label(inputs: OrphanSweepInputs): string {
  return `OrphanSweep "${inputs.name}" (${inputs.provider} ${inputs.owner})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function observe(
  what: string,
  ctx: OperationContext,
  inputs: OrphanSweepInputs,
  credentials: ProviderCredentials,
): Promise<SweepObservation> {
  try {
    return await observeSweep(ctx, sweepSpecOf(inputs), new SweepLinkWorld(ctx, inputs.links));
  } catch (error) {
    throw new Error(redactorFor(inputs, credentials)(`${what} failed while observing: ${messageOf(error)}`), { cause: error });
  }
}

/** Observe, delete what no live link covers, observe again (reconcileSweep): the outputs say what was found and removed. */
async function sweep(
  what: string,
  inputs: OrphanSweepInputs,
  credentials: ProviderCredentials,
  previous: SweepRefreshState | undefined,
): Promise<OrphanSweepOutputs> {
  let outcome: SweepReconciliation;
  const store = storeFrom(inputs, previous);
  const after = contextFor(inputs, credentials, store);
  try {
    // The second observation reads through fresh clients; after deletions, its refresh reads in full.
    outcome = await reconcileSweep(contextFor(inputs, credentials, store), sweepSpecOf(inputs), inputs.links, after);
  } catch (error) {
    // Only an observation throws: a failed step is in the outcome.
    throw new Error(redactorFor(inputs, credentials)(`${what} failed while observing: ${messageOf(error)}`), { cause: error });
  }
  const { plan, result, removed, observed } = outcome;
  if (result.failed !== null || observed === null) throw new Error(stoppedExecutionMessage(what, result, redactorFor(inputs, credentials)));
  const manual = plan.steps.flatMap((s) => (s.kind === "manual" ? [s.step] : []));
  const found = artifactsToRemove(observed);
  return { ...sweepOutputsOf(inputs, observed, found, removed, manual), drift: sweepDriftFacts(found), ...stateOut(after, inputs, store) };
}

/** Validates the sweep as the YAML loader does, and that it names its world; unknowns wait for apply. */
export async function checkSweep(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult<Props>> {
  const own = checkSweepInput({
    name: news.name,
    provider: news.provider,
    owner: news.owner,
    exclude: news.exclude ?? [],
    verifyEvery: news.verifyEvery,
    verifySlices: news.verifySlices,
  });
  const failures = own.ok ? [] : [...own.failures];
  if (!Array.isArray(news.links)) failures.push({ property: "links", reason: "must be a list of the declared links (may be empty)" });
  if (news.buildService === undefined || news.buildService === null) failures.push({ property: "buildService", reason: "is required" });
  if (news.providers?.[news.provider] === undefined)
    failures.push({
      property: `providers.${String(news.provider)}`,
      reason: `is required: the ${String(news.provider)} API URL and the env vars of its credentials`,
    });
  // Only what classification reads is kept (sweepLinkOf): an edit of a link elsewhere is no change here.
  const inputs = Array.isArray(news.links) ? { ...news, links: sweepLinksOf(news.links) } : news;
  return { inputs, failures: knownFailures(news, failures) };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Input keys whose value differs between `olds` and `news`, each compared as the sweep reads it. */
function changedKeys(olds: OrphanSweepInputs, news: OrphanSweepInputs): (typeof SWEEP_INPUT_KEYS)[number][] {
  // Links compare as sweep inputs (sweepLinkOf), so state written before check reduced them compares equal;
  // the cadence by what it means, so `24h`, `1440m` and none are one cadence.
  const comparable = (props: OrphanSweepInputs, key: (typeof SWEEP_INPUT_KEYS)[number]): unknown => {
    if (key === "links" && Array.isArray(props.links)) return sweepLinksOf(props.links);
    if (key === "verifyEvery")
      return typeof props.verifyEvery === "string"
        ? (parseDuration(props.verifyEvery) ?? props.verifyEvery)
        : DEFAULT_REFRESH.verifyEveryMs;
    if (key === "verifySlices") return props.verifySlices ?? DEFAULT_REFRESH.slices;
    return props[key];
  };
  return SWEEP_INPUT_KEYS.filter((key) => !same(comparable(olds, key), comparable(news, key)));
}

/** Whether the last observation found something an update would delete. */
function drifted(olds: OrphanSweepOutputs): boolean {
  return olds.observed !== undefined && artifactsToRemove(olds.observed).some((a) => !a.archived);
}

/** An update that only changes the cadence: it observes under the new one and deletes nothing. */
function cadenceOnly(olds: OrphanSweepOutputs, news: OrphanSweepInputs): boolean {
  return !drifted(olds) && changedKeys(olds, news).every((key) => (SWEEP_CADENCE_KEYS as readonly string[]).includes(key));
}

/**
 * Replaces when the owner or provider changes; `changes` also when the last observation found
 * something to delete, so `pulumi up` after a refresh removes new orphans.
 */
export async function diffSweep(_id: string, olds: OrphanSweepOutputs, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const changed = changedKeys(olds, news);
  const replaces = changed.filter((key) => (SWEEP_REPLACE_KEYS as readonly string[]).includes(key));
  return { changes: changed.length > 0 || drifted(olds), replaces };
}

/** Sweeps: deletes what no live link covers. */
export async function createSweep(
  credentials: ProviderCredentials,
  inputs: Props,
): Promise<pulumi.dynamic.CreateResult<OrphanSweepOutputs>> {
  return { id: sweepResourceId(inputs), outs: await sweep(`${label(inputs)} create`, pickSweepInputs(inputs), credentials, undefined) };
}

/** Refresh: what the owner holds now (from the audit log where the last state allows); `removed` keeps what the last create or update deleted. */
export async function readSweep(
  credentials: ProviderCredentials,
  id: string,
  props: Props | undefined,
): Promise<pulumi.dynamic.ReadResult<OrphanSweepOutputs>> {
  if (props === undefined || typeof props.owner !== "string" || props.buildService === undefined) {
    throw new Error(
      `OrphanSweep read: no declaration for ${id || "(no id)"}. Dynamic resources cannot be imported; declare the sweep and run pulumi up.`,
    );
  }
  const { outputs, drift } = await observeOnly(`${label(props)} read`, credentials, props, props as Partial<OrphanSweepOutputs>);
  // As for links: the drift goes into the stored inputs too, so the next preview names what up deletes.
  const inputs = { ...pickSweepInputs(props), ...(drift.length > 0 ? { drift } : {}) };
  // The SDK types `inputs` as the outputs type; the host sends it to the engine as the inputs it is.
  return { id, props: outputs, inputs: inputs as unknown as OrphanSweepOutputs };
}

/** Observes under `inputs` from the `previous` outputs' refresh state, deleting nothing; `removed` and manual steps stay as they were. */
async function observeOnly(
  what: string,
  credentials: ProviderCredentials,
  inputs: OrphanSweepInputs,
  previous: Partial<OrphanSweepOutputs>,
): Promise<{ outputs: OrphanSweepOutputs; drift: string[] }> {
  const store = storeFrom(inputs, previous.refreshState);
  const ctx = contextFor(inputs, credentials, store);
  const observed = await observe(what, ctx, inputs, credentials);
  const found = artifactsToRemove(observed);
  const drift = sweepDriftFacts(found);
  return {
    outputs: {
      ...sweepOutputsOf(inputs, observed, found, previous.removed ?? [], previous.pendingManualSteps ?? []),
      drift,
      ...stateOut(ctx, inputs, store),
    },
    drift,
  };
}

/**
 * Sweeps again under the new declaration; a change to the cadence alone, with nothing found to delete,
 * only observes: how often the owner is verified is no reason to delete.
 */
export async function updateSweep(
  credentials: ProviderCredentials,
  _id: string,
  olds: OrphanSweepOutputs,
  news: Props,
): Promise<pulumi.dynamic.UpdateResult<OrphanSweepOutputs>> {
  const inputs = pickSweepInputs(news);
  if (cadenceOnly(olds, inputs)) return { outs: (await observeOnly(`${label(news)} update`, credentials, inputs, olds)).outputs };
  return { outs: await sweep(`${label(news)} update`, inputs, credentials, olds.refreshState) };
}

/** Removing a sweep stops sweeping: nothing on the owner changes. */
export async function deleteSweep(): Promise<void> {
  return;
}

/** What the `OrphanSweep` provider object runs (dynamic-provider.ts). */
export const providerMethods: ProviderMethods<Props, OrphanSweepOutputs> = withSecretOutputs({
  check: checkSweep,
  diff: diffSweep,
  create: createSweep,
  read: readSweep,
  update: updateSweep,
  delete: deleteSweep,
});
