/** Steps no API covers: what a person must do by hand, and the record that they did. */

/** A step no API covers, with what to click and where. */
export interface ManualStep {
  /** Stable id, e.g. `revoke-grant:github:acme-builder`. */
  id: string;
  summary: string;
  /** UI path, e.g. `GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke`. */
  uiPath: string;
  url: string;
}

/** A manual step a person recorded in the YAML as done, and who and when. */
export interface DoneByHand {
  step: ManualStep;
  /** `YYYY-MM-DD`. */
  done: string;
  by: string;
}

/**
 * A manual step a person recorded as done whose effect the run can check, and found otherwise (a grant
 * that still answers, a hook still listed, a repository that still answers): a finding, not a pass.
 */
export interface RecordedButObservedOtherwise {
  step: ManualStep;
  /** `YYYY-MM-DD`, as recorded. */
  done: string;
  by: string;
  /** What the run observed instead, in words. */
  observed: string;
}
