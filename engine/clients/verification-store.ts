/**
 * The last verification of each replacement build's file that found it verified, kept in a JSON file
 * beside the ETag cache (`verifications.json`), so the next run can carry it over after reading only
 * the default branch's head. Holds what observation and verification read (names, commits, run and
 * tag dates), never a credential: the reader is named by a one-way fingerprint, as the ETag cache's
 * scopes are. Written atomically (temp file + rename), mode 0600.
 */
import { dirname, join } from "node:path";
import { KeyedStateFile } from "./state-file.js";
import type { ObservedReplacement } from "../model/replacement.js";
import type { ReplacementVerdict } from "../model/replacement-run.js";

/** One file's verification as stored: who read it, what it was about, when, and what it found. */
export interface StoredVerification {
  /** The reading credential's fingerprint (the client's `credentialScope`): another token's answers are not reused. */
  credential: string;
  /** SHA-256 of the rendered file and of the builds' declarations: a changed declaration is verified afresh. */
  digest: string;
  /** When the verification ran (epoch ms). */
  verifiedAt: number;
  /** The observation, less the file's text (the rendered text it equals). */
  observed: Omit<ObservedReplacement, "defaultText" | "carriedOver">;
  /** The verdict on each build of the file, all `verified`. */
  verdicts: ReplacementVerdict[];
}

/** The largest file read, as for the ETag cache. */
const MAX_BYTES = 128 * 1024 * 1024;

/** Where verifications are kept: beside the ETag cache file. */
export function verificationStorePath(etagCacheFile: string): string {
  return join(dirname(etagCacheFile), "verifications.json");
}

/** The verifications of one file, keyed by API scope, repository, file and ref (see carried-verifications.ts); a file that cannot be read is treated as empty (every build is then read in full). */
export class VerificationStore extends KeyedStateFile<StoredVerification> {
  constructor(file: string) {
    super(file, { field: "verifications", what: "stored verifications", maxBytes: MAX_BYTES, isEntry: isStored });
  }
}

/** A structural check, enough to refuse an entry that is not ours. */
function isStored(value: unknown): value is StoredVerification {
  const v = value as Partial<StoredVerification> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.credential === "string" &&
    typeof v.digest === "string" &&
    typeof v.verifiedAt === "number" &&
    typeof v.observed === "object" &&
    v.observed !== null &&
    typeof v.observed.defaultSha === "string" &&
    typeof v.observed.defaultBranch === "string" &&
    Array.isArray(v.verdicts)
  );
}
