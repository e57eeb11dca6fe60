/**
 * The properties of `OrphanSweep` as the engine stores them, and the pure conversions to and from the
 * config and reconcile types. The policy pack reads these names: renaming one breaks it. Nothing here
 * holds a credential: inputs name env vars, outputs are observations.
 */
import type { LinkSpec, SweepSpec } from "../engine/model/spec.js";
import type { SweepObservation, SweptArtifact } from "../engine/model/sweep.js";
import type { ManualStep } from "../engine/model/manual-step.js";
import { linkResourceId, toPlainJson, type WorldSettings } from "./properties.js";
import type { SweepRefreshState } from "./sweep-refresh-state.js";

/** `OrphanSweep` inputs: the declared sweep, its world, the declared links it classifies against. */
export interface OrphanSweepInputs extends SweepSpec, WorldSettings {
  /** Every declared link (those of every provider): a live one covers its repositories, a revoked one handles its own leftovers. */
  links: LinkSpec[];
  providerVersion: string;
}

/** `OrphanSweep` outputs: the inputs plus what the last run found and removed. */
export interface OrphanSweepOutputs extends OrphanSweepInputs {
  /** Everything the last create, update or refresh observed (covered artifacts included). */
  observed: SweepObservation;
  /** Artifacts no live link covers, as last observed (what `no-orphaned-build-service-artifacts` reports). */
  found: SweptArtifact[];
  /** Artifacts the last create or update deleted. */
  removed: SweptArtifact[];
  /** Archived repositories to unarchive before their artifacts can be deleted. */
  pendingManualSteps: ManualStep[];
  /** What the next create or update would delete, in words (provider/drift.ts); absent in older state. */
  drift?: string[];
  /**
   * What the next refresh reuses: the audit log cursor, the last full verification and its inventory
   * (provider/sweep-refresh-state.ts; the inventory a secret in state); absent in older state.
   */
  refreshState?: SweepRefreshState;
}

/** The input keys of a sweep, in a fixed order: what `diff` compares. */
export const SWEEP_INPUT_KEYS = [
  "name",
  "provider",
  "owner",
  "exclude",
  "verifyEvery",
  "verifySlices",
  "links",
  "buildService",
  "providers",
  "providerVersion",
] as const satisfies readonly (keyof OrphanSweepInputs)[];

/** Keys that only set how often the owner is verified in full: a change to them alone deletes nothing (sweep-methods.ts). */
export const SWEEP_CADENCE_KEYS = ["verifyEvery", "verifySlices"] as const;

/** Keys whose change makes it another sweep (another owner): a replacement. */
export const SWEEP_REPLACE_KEYS = ["provider", "owner"] as const;

/**
 * A declared link as a sweep input: only what classifying an artifact reads (docs/identity-and-sharing.md): the
 * link's identity, the namespace whose records the run lists, whether it is revoked, and its
 * repositories. It is named by its identity (`acme/github/team:ci`), not its resource name, so
 * renaming a link, adding an alias, or changing its `onRevoke`, `onDelete`, `serviceAccount` or
 * `linked`/`disabled` state is no change to the sweep: a sweep update deletes orphans, and an edit
 * elsewhere must not trigger one. Values unknown during preview pass through as they are.
 */
export function sweepLinkOf(link: LinkSpec): LinkSpec {
  if (link === null || typeof link !== "object" || typeof link.namespace !== "string" || !Array.isArray(link.repositories)) return link;
  const identity = {
    namespace: link.namespace,
    provider: link.provider,
    account: link.account,
    ...(typeof link.team === "string" ? { team: link.team } : {}),
  };
  return {
    name: linkResourceId(identity),
    ...identity,
    serviceAccount: false,
    state: link.state === "revoked" ? "revoked" : "linked",
    repositories: [...new Set(link.repositories)].sort(),
    onRevoke: { webhooks: "keep", deployKeys: "keep" },
  };
}

/** The links a sweep classifies against, as sweep inputs (`sweepLinkOf`), in a stable order. */
export function sweepLinksOf(links: readonly LinkSpec[]): LinkSpec[] {
  const projected = links.map(sweepLinkOf);
  return projected.every((l) => typeof l?.name === "string") ? projected.sort((a, b) => a.name.localeCompare(b.name)) : projected;
}

/** The resource id of a sweep: `<provider>/<owner>`. */
export function sweepResourceId(spec: Pick<SweepSpec, "provider" | "owner">): string {
  return `${spec.provider}/${spec.owner}`;
}

/** The sweep's own spec out of its inputs. */
export function sweepSpecOf(inputs: OrphanSweepInputs): SweepSpec {
  return {
    name: inputs.name,
    provider: inputs.provider,
    owner: inputs.owner,
    exclude: [...(inputs.exclude ?? [])],
    ...(inputs.verifyEvery == null ? {} : { verifyEvery: inputs.verifyEvery }),
    ...(inputs.verifySlices == null ? {} : { verifySlices: inputs.verifySlices }),
  };
}

/** Just the input keys of sweep inputs or outputs (drops outputs and the host's `__provider`). */
export function pickSweepInputs(props: OrphanSweepInputs): OrphanSweepInputs {
  const out: Record<string, unknown> = {};
  for (const key of SWEEP_INPUT_KEYS) if (props[key] !== undefined) out[key] = props[key];
  return out as unknown as OrphanSweepInputs;
}

/** Sweep outputs: the inputs plus the observation, what it found and what was removed. */
export function sweepOutputsOf(
  inputs: OrphanSweepInputs,
  observed: SweepObservation,
  found: SweptArtifact[],
  removed: SweptArtifact[],
  pendingManualSteps: ManualStep[],
): OrphanSweepOutputs {
  return toPlainJson({ ...pickSweepInputs(inputs), observed, found, removed, pendingManualSteps });
}
