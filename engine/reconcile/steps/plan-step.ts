/** A resource's plan: its steps (each kind in this folder, or manual), and what it keeps or leaves to another resource's plan. */
import type { KeptItem } from "../../model/plan.js";
import type { PlanStep } from "./registry.js";

export type { ApiStep, ManualPlanStep, PlanStep } from "./registry.js";

/** The plan for one declared link, org access entry or sweep. */
export interface ResourcePlan {
  /** `link`, `orgAccess`, `sweep`, or `build` (a replacement build's proposal in one repository). */
  resource: "link" | "orgAccess" | "sweep" | "build";
  name: string;
  steps: PlanStep[];
  /** What a revocation deliberately leaves because other live links use it; absent or empty when nothing is. */
  kept?: KeptItem[];
  /**
   * Steps this resource needs that another resource's plan of the same run sends (`by`: its name): one
   * grant, webhook or deploy key shared by two revoked links is one request. Absent when there are none.
   */
  sentBy?: { step: PlanStep; by: string }[];
}
