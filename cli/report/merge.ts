/**
 * `report --merge`: one report from several (e.g. one per org shard of a CI matrix). Namespaces and
 * owners are unions; a link, an org's access or a sweep reported by two files must be the same in
 * both (a resource belongs to one shard), else the merge is refused; an artifact two files report
 * is one artifact, with the stronger state (`in-use` > `leftover` > `orphaned`: one shard's sweep
 * cannot see another shard's live links). The date is the oldest run's. Pure.
 */
import { canonicalJson } from "../saved-plan.js";
import { CliError, ExitCode } from "../exit-codes.js";
import { artifactKey, compare, mergeArtifactInto, sortArtifacts } from "./build.js";
import { daysBetween } from "./days-left.js";
import {
  REPORT_API_VERSION,
  RETIREMENT_DATE,
  type ReportArtifact,
  type ReportLink,
  type ReportOwner,
  type ReportSweep,
  type RetirementReport,
} from "./model.js";
import { summarize } from "./summarize.js";

/** One parsed report and the file it came from. */
export interface ReportFile {
  file: string;
  report: RetirementReport;
}

/** Merges `files` (at least one) into one report; a conflict is invalid input (exit 2) naming both files. */
export function mergeReports(files: readonly ReportFile[]): RetirementReport {
  if (files.length === 0) throw new CliError(ExitCode.invalidInput, "sourcelinks: report --merge needs at least one JSON report");
  const links = new Map<string, Map<string, { link: ReportLink; file: string }>>();
  const owners = new Map<
    string,
    {
      owner: ReportOwner;
      orgFile: string | null;
      sweeps: Map<string, { sweep: ReportSweep; file: string }>;
      artifacts: Map<string, ReportArtifact>;
    }
  >();

  for (const { file, report } of files) {
    for (const ns of report.namespaces) {
      let byName = links.get(ns.namespace);
      if (!byName) links.set(ns.namespace, (byName = new Map()));
      for (const link of ns.links) {
        const seen = byName.get(link.name);
        if (seen === undefined) byName.set(link.name, { link, file });
        else if (canonicalJson(seen.link) !== canonicalJson(link))
          conflict(file, seen.file, `link ${link.name} in namespace ${ns.namespace}`);
      }
    }
    for (const owner of report.owners) {
      const key = `${owner.provider}:${owner.owner.toLowerCase()}`;
      let entry = owners.get(key);
      if (!entry) {
        entry = {
          owner: { provider: owner.provider, owner: owner.owner, orgAccess: null, sweeps: [], artifacts: [] },
          orgFile: null,
          sweeps: new Map(),
          artifacts: new Map(),
        };
        owners.set(key, entry);
      }
      const access = owner.orgAccess;
      if (access !== null) {
        const had = entry.owner.orgAccess;
        if (had === null || (had.declared === null && access.declared !== null)) {
          entry.owner.orgAccess = access;
          entry.orgFile = file;
        } else if (access.declared !== null && canonicalJson(had) !== canonicalJson(access)) {
          conflict(file, entry.orgFile ?? file, `the org access of ${owner.owner}`);
        }
      }
      for (const sweep of owner.sweeps) {
        const seen = entry.sweeps.get(sweep.name);
        if (seen === undefined) entry.sweeps.set(sweep.name, { sweep, file });
        else if (canonicalJson(seen.sweep) !== canonicalJson(sweep)) conflict(file, seen.file, `sweep ${sweep.name} of ${owner.owner}`);
      }
      for (const artifact of owner.artifacts) {
        const k = artifactKey(owner.provider, owner.owner, artifact);
        const seen = entry.artifacts.get(k);
        if (seen) mergeArtifactInto(seen, artifact);
        else entry.artifacts.set(k, { ...artifact, links: [...artifact.links] });
      }
    }
  }

  const namespaces = [...links]
    .map(([namespace, byName]) => ({ namespace, links: [...byName.values()].map((v) => v.link).sort((a, b) => compare(a.name, b.name)) }))
    .sort((a, b) => compare(a.namespace, b.namespace));
  const ownerList = [...owners.values()]
    .map(({ owner, sweeps, artifacts }) => ({
      ...owner,
      sweeps: [...sweeps.values()].map((s) => s.sweep),
      artifacts: sortArtifacts([...artifacts.values()]),
    }))
    .sort((a, b) => compare(a.provider, b.provider) || compare(a.owner.toLowerCase(), b.owner.toLowerCase()));
  // ISO dates compare as strings: the earliest run's date.
  // biome-ignore lint/complexity/useMathMinMax: strings, not numbers.
  const asOf = files.map((f) => f.report.asOf).reduce((a, b) => (b < a ? b : a));
  return {
    apiVersion: REPORT_API_VERSION,
    asOf,
    retirementDate: RETIREMENT_DATE,
    daysLeft: daysBetween(asOf, RETIREMENT_DATE),
    sources: files.flatMap((f) => f.report.sources),
    summary: summarize(namespaces, ownerList),
    namespaces,
    owners: ownerList,
    ...mergedContinuity(files),
  };
}

/** The shards' Continuity entries, one per (image, repository): a build belongs to one shard, so the first file's entry stands. */
function mergedContinuity(files: readonly ReportFile[]): Pick<RetirementReport, "continuity"> {
  const entries = new Map<string, NonNullable<RetirementReport["continuity"]>[number]>();
  for (const { report } of files)
    for (const c of report.continuity ?? []) if (!entries.has(`${c.image} ${c.repository}`)) entries.set(`${c.image} ${c.repository}`, c);
  return entries.size === 0 ? {} : { continuity: [...entries.values()] };
}

function conflict(file: string, other: string, what: string): never {
  throw new CliError(
    ExitCode.invalidInput,
    `${file}: ${what} differs from the one in ${other}: a resource must be reported by one shard only (or identically by each)`,
  );
}
