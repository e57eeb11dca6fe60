/**
 * Which verification cadence a sweep's refresh runs under: the sweep's own `verifyEvery` and
 * `verifySlices` (YAML, or an `OrphanSweep`'s inputs), unless the run sets one for every sweep (the
 * CLI's flags). Reasons name whichever set it, in the words of the face the user ran, so a Pulumi
 * user never reads of a CLI flag. Pure.
 */
import { parseDuration } from "../model/duration.js";
import type { SweepSpec } from "../model/spec.js";
import { DEFAULT_REFRESH, type RefreshPolicy } from "./refresh-owner.js";

/** One setting made for the whole run, and how reasons name it (`--verify-every`). */
export interface CadenceOverride {
  value: number;
  name: string;
}

/** The refresh settings of a run: where inventories are kept, and what the run sets over every sweep's declaration. */
export interface RunRefresh extends Omit<RefreshPolicy, "verifyEveryMs" | "slices" | "setBy"> {
  /** `verifyEvery` in ms, `slices` a count; each, when given, overrides every sweep's declared value. */
  overrides?: { verifyEvery?: CadenceOverride; slices?: CadenceOverride };
  /** How a full read's reason suggests rolling slices when none are set; default: the sweep's field. */
  slicesHint?: string;
}

/** How reasons name a sweep's own fields. */
export const DECLARED_CADENCE = { verifyEvery: "verifyEvery", slicesHint: "verifySlices: N" } as const;

/** The refresh policy of one sweep under `run`. A declared value that is not a duration (never past validation) counts as absent. */
export function sweepRefreshPolicy(run: RunRefresh, spec: Pick<SweepSpec, "verifyEvery" | "verifySlices">): RefreshPolicy {
  const { overrides, slicesHint, ...shared } = run;
  const declaredEvery = spec.verifyEvery === undefined ? null : parseDuration(spec.verifyEvery);
  const every = overrides?.verifyEvery ?? { value: declaredEvery ?? DEFAULT_REFRESH.verifyEveryMs, name: DECLARED_CADENCE.verifyEvery };
  const slices = overrides?.slices?.value ?? spec.verifySlices ?? DEFAULT_REFRESH.slices;
  return {
    ...shared,
    verifyEveryMs: every.value,
    slices,
    setBy: { verifyEvery: every.name, slicesHint: slicesHint ?? DECLARED_CADENCE.slicesHint },
  };
}
