/**
 * Carrying a replacement build's verification over between runs. A file verified once stays verified
 * while what it was verified against is unchanged: the merged file on the default branch and the first
 * run on the verified branch's head commit (the default branch, or a declared `verify.branch`). So a
 * run reads those branches' heads (one conditional request each: a 304 when unmoved) and, when they
 * are the commits stored, carries the stored observation and verdicts over,
 * marked as such with when they were read; anything else (the head moved or is gone, another
 * credential, a changed declaration, a verification older than `--verify-every`) is read in full.
 * Only a file whose every build was verified, with nothing left to plan, is stored. Docker Hub's tags
 * are not re-read: a tag re-pushed or deleted after the run does not undo a replacement that worked.
 */
import { createHash } from "node:crypto";
import { buildKey } from "../builds/continuity.js";
import type { ProposalTarget } from "../builds/proposal.js";
import type { ReplacementClient } from "../clients/types.js";
import type { StoredVerification, VerificationStore } from "../clients/verification-store.js";
import type { BuildSpec } from "../model/build-spec.js";
import type { CarriedOver, ObservedReplacement, ReplacementObservation } from "../model/replacement.js";
import type { ReplacementVerdict } from "../model/replacement-run.js";
import type { OperationContext } from "./context.js";
import { observeReplacement, replacementClient } from "./observe-replacement.js";
import { planReplacement } from "./plan-replacement.js";
import { inventoryScope } from "./refresh-owner.js";

/** Where verifications are kept between runs, and for how long one may be carried over. */
export interface VerificationMemory {
  store: VerificationStore;
  /** A stored verification older than this is read in full again (ms); the CLI's `--verify-every`. */
  verifyEveryMs: number;
  /** Epoch ms. */
  now: () => number;
}

/** One file as this run has it: observed in full, or carried over with its builds' verdicts. */
export interface ObservedTarget {
  observed: ObservedReplacement;
  /** The stored verdicts, marked carried over; empty when the file was read in full. */
  carried: ReplacementVerdict[];
}

/**
 * Whether the default branch and every branch the stored verification read (`verify.branch`) are at
 * the commits it read: one request each, answered 304 while unmoved.
 */
async function headsUnmoved(client: ReplacementClient, repository: string, stored: StoredVerification["observed"]): Promise<boolean> {
  const heads = new Map<string, string | null>([[stored.defaultBranch, stored.defaultSha]]);
  for (const [branch, sha] of Object.entries(stored.verifyHeads ?? {})) if (!heads.has(branch)) heads.set(branch, sha);
  const now = await Promise.all([...heads.keys()].map((branch) => client.branchHead(repository, branch)));
  return [...heads.values()].every((sha, i) => sha !== null && now[i] === sha);
}

/** The builds of `live` that `target`'s file builds. */
export function buildsOf(target: ProposalTarget, live: readonly BuildSpec[]): BuildSpec[] {
  return live.filter((b) => b.provider === target.provider && b.repository === target.repository && target.images.includes(b.image));
}

/** The stored verification's key: the provider's API, the repository, the file and the ref verified. */
function storeKey(ctx: OperationContext, target: ProposalTarget, ref: string | undefined): string {
  return [inventoryScope(ctx, target.provider), target.repository.toLowerCase(), target.path, ref ?? ""].join("\n");
}

/** What the stored verification was about: the rendered file and every declaration of its builds. */
function digestOf(target: ProposalTarget, builds: readonly BuildSpec[]): string {
  const declared = [...builds].sort((a, b) => a.image.localeCompare(b.image));
  return createHash("sha256")
    .update(JSON.stringify({ text: target.text, builds: declared }))
    .digest("hex");
}

/**
 * Observes `target`'s file, or carries its stored verification over when the default branch's head
 * (and that of a declared `verify.branch`) is where that verification left it: then one request per
 * branch in all.
 */
export async function observeOrCarry(
  ctx: OperationContext,
  target: ProposalTarget,
  builds: readonly BuildSpec[],
  ref: string | undefined,
): Promise<ObservedTarget> {
  const memory = ctx.verifications;
  const stored = memory?.store.get(storeKey(ctx, target, ref));
  if (memory !== undefined && stored !== undefined) {
    const client = replacementClient(ctx, target.provider);
    const usable =
      stored.credential === client.credentialScope() &&
      stored.digest === digestOf(target, builds) &&
      memory.now() - stored.verifiedAt < memory.verifyEveryMs &&
      builds.every((b) => stored.verdicts.some((v) => buildKey(v) === buildKey(b) && v.state === "verified"));
    if (usable && (await headsUnmoved(client, target.repository, stored.observed))) {
      const { defaultBranch, defaultSha } = stored.observed;
      const verifiedAt = new Date(stored.verifiedAt).toISOString();
      const carriedOn = (branch: string | undefined): CarriedOver =>
        branch === undefined
          ? { verifiedAt, branch: defaultBranch, headSha: defaultSha }
          : { verifiedAt, branch, headSha: stored.observed.verifyHeads?.[branch] ?? defaultSha };
      const spec = (image: string): BuildSpec | undefined => builds.find((b) => b.image === image);
      return {
        observed: { ...stored.observed, defaultText: target.text, carriedOver: carriedOn(undefined) },
        carried: stored.verdicts.map((v) => ({ ...v, carriedOver: carriedOn(spec(v.image)?.verify?.branch) })),
      };
    }
  }
  return { observed: await observeReplacement(ctx, target), carried: [] };
}

/**
 * Keeps each file read in full in this run whose builds were all verified and which has nothing left
 * to plan, for the next run to carry over, as verified at `verifiedAt` (epoch ms, when this run's
 * reads began); forgets the others' (a file not verified now is read in full next time). Files carried
 * over keep their first verification's time. Call `store.save()` after.
 */
export function rememberVerifications(
  ctx: OperationContext,
  observedTargets: readonly { target: ProposalTarget; observed: ObservedReplacement }[],
  live: readonly BuildSpec[],
  verdicts: ReadonlyMap<string, ReplacementVerdict>,
  options: { ref: string | undefined; verifiedAt: number },
): void {
  const memory = ctx.verifications;
  if (memory === undefined) return;
  for (const { target, observed } of observedTargets) {
    if (observed.carriedOver !== undefined) continue;
    const key = storeKey(ctx, target, options.ref);
    const builds = buildsOf(target, live);
    const found = builds.map((b) => verdicts.get(buildKey(b)));
    const verified = found.length > 0 && found.every((v) => v?.state === "verified");
    const settled = planReplacement(target, observed, ctx.apis[target.provider] ?? "").length === 0;
    if (!verified || !settled) {
      memory.store.delete(key);
      continue;
    }
    const { defaultText: _text, carriedOver: _carried, ...kept } = observed;
    memory.store.set(key, {
      credential: replacementClient(ctx, target.provider).credentialScope(),
      digest: digestOf(target, builds),
      verifiedAt: options.verifiedAt,
      observed: kept,
      verdicts: found.filter((v): v is ReplacementVerdict => v !== undefined),
    });
  }
}

/** The carried verdicts of `targets` by build key, for `verifyReplacements` to take as they are. */
export function carriedByKey(targets: readonly ObservedTarget[]): Map<string, ReplacementVerdict> {
  return new Map(targets.flatMap((t) => t.carried.map((v) => [buildKey(v), v] as const)));
}

/** The observations of `targets`, as verification reads them. */
export function observationsOf(targets: readonly ObservedTarget[]): ReplacementObservation[] {
  return targets.map((t) => t.observed);
}
