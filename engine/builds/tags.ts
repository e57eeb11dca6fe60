/** `builds tags`: what each rule of one build would build for one git ref, through the shared matcher. */
import type { BuildSpec } from "../model/build-spec.js";
import { matchAutobuildRules, type BuildMatch, type RefEvent } from "./matcher.js";
import { ruleTable } from "./table.js";

/** The answer `builds tags --format json` prints. */
export interface BuildTags {
  image: string;
  ref: string;
  builds: BuildMatch[];
}

/** The builds `event` starts for `build`. */
export function buildTags(build: BuildSpec, event: RefEvent): BuildTags {
  return { image: build.image, ref: event.ref, builds: matchAutobuildRules(ruleTable(build), event) };
}
