/**
 * The report's Continuity section: per image whose autobuild a link ran, the replacement's state, its
 * run, and the tags it pushed with when; an image retired on purpose (`replacement: none`) says so.
 * Built from the declared builds and what verification found. Pure.
 */
import type { BuildSpec } from "../../engine/model/build-spec.js";
import type { ReplacementVerdict } from "../../engine/model/replacement-run.js";
import { buildKey } from "../../engine/builds/continuity.js";
import type { CarriedOver } from "../../engine/model/replacement.js";
import { carriedOverText } from "../format/carried-over.js";

/** One image's continuity: its replacement's state, or `retired` on purpose. */
export interface ReportContinuity {
  image: string;
  provider: "github" | "bitbucket";
  repository: string;
  /** The link whose autobuilds it replaces, when declared. */
  link: string | null;
  state: ReplacementVerdict["state"] | "retired" | "not-verified";
  /** Why the state is not `verified` (null when it is, or when retired). */
  reason: string | null;
  /** The pull request that proposed the replacement. */
  pullRequest: string | null;
  /** The run verification read: its page, conclusion and start. */
  run: { url: string; conclusion: string | null; startedAt: string } | null;
  /** The tags that run should have pushed, with `tag_last_pushed` (null: not on Docker Hub). */
  tags: { name: string; lastPushed: string | null; fresh: boolean }[];
  /** Present when the state is an earlier run's verification, carried over (the run and the tags as read then). */
  carriedOver?: CarriedOver;
}

/** Continuity of every declared build, in declaration order; a build verification did not reach is `not-verified`. */
export function continuityOf(builds: readonly BuildSpec[], verdicts: ReadonlyMap<string, ReplacementVerdict>): ReportContinuity[] {
  return builds.map((build) => {
    const base = { image: build.image, provider: build.provider, repository: build.repository, link: build.link ?? null };
    if (build.replacement === "none")
      return { ...base, state: "retired", reason: "retired on purpose (replacement: none)", pullRequest: null, run: null, tags: [] };
    const verdict = verdicts.get(buildKey(build));
    if (verdict === undefined)
      return { ...base, state: "not-verified", reason: "not verified in this run", pullRequest: null, run: null, tags: [] };
    return {
      ...base,
      state: verdict.state,
      reason: verdict.reason,
      pullRequest: verdict.pullRequest?.url ?? null,
      run: verdict.run === null ? null : { url: verdict.run.url, conclusion: verdict.run.conclusion, startedAt: verdict.run.startedAt },
      tags: verdict.tags.map((t) => ({ ...t })),
      ...(verdict.carriedOver === undefined
        ? {}
        : {
            carriedOver: {
              verifiedAt: verdict.carriedOver.verifiedAt,
              branch: verdict.carriedOver.branch,
              headSha: verdict.carriedOver.headSha,
            },
          }),
    };
  });
}

/** The one-line state of an entry, for the text formats. */
export function continuityText(entry: ReportContinuity): string {
  if (entry.state === "verified") return entry.carriedOver === undefined ? "verified" : carriedOverText(entry.carriedOver);
  if (entry.state === "retired") return "retired on purpose (replacement: none)";
  return `${entry.state}: ${entry.reason ?? ""}`.replace(/: $/, "");
}

/** `latest (2026-12-01T10:00:01.000Z)`, or `latest (not on Docker Hub)`, for the text formats. */
export function tagText(tag: ReportContinuity["tags"][number]): string {
  return `${tag.name} (${tag.lastPushed === null ? "not on Docker Hub" : `last pushed ${tag.lastPushed}`}${tag.lastPushed !== null && !tag.fresh ? ", before the run" : ""})`;
}
