/** The state shared by the builders of a seeded world (seed-world.ts and the per-provider seed-*.ts). */
import type { World } from "./world.js";

/** What the builders of each part share: the world so far, the load time, ids, and where problems go. */
export interface WorldBuild {
  readonly world: World;
  /** The load time, every seeded timestamp. */
  readonly now: string;
  nextId(): number;
  /** Records a problem at a path of the seed document (a reference to something undeclared, a duplicate). */
  problem(path: (string | number)[], message: string): void;
}
