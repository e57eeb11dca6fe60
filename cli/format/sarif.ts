/**
 * `check --format sarif`: SARIF 2.1.0 (OASIS), so code scanning annotates the YAML lines. Every rule
 * of the registry is listed in `tool.driver.rules` with its default level (mandatory → error,
 * advisory → warning); each result points at the file, line and column of the offending YAML node.
 */
import { createHash } from "node:crypto";
import { isAbsolute, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { ruleList, type Enforcement } from "../../policies/rules/index.js";
import { packageInfo } from "../version.js";
import type { CheckReport } from "./check-report.js";

/** The SARIF levels sourcelinks uses. */
type SarifLevel = "error" | "warning";

/** A SARIF reporting descriptor (one rule). */
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[] };
}

/** A SARIF result (one violation). */
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }[];
  partialFingerprints: Record<string, string>;
  properties: { resource: string; subject: string; fix: string; enforcement: string; pointer?: string };
}

/** The SARIF log (the subset of the 2.1.0 schema that sourcelinks writes). */
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: {
    tool: { driver: { name: string; version: string; semanticVersion: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: SarifResult[];
  }[];
}

/** Where the JSON schema of SARIF 2.1.0 is published (SchemaStore's copy, as GitHub's docs cite). */
const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

function levelOf(enforcement: Exclude<Enforcement, "disabled">): SarifLevel {
  return enforcement === "mandatory" ? "error" : "warning";
}

/** `revoked-link-has-no-webhooks` → `RevokedLinkHasNoWebhooks`, SARIF's "friendly name". */
function friendlyName(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase());
}

/** The first sentence of a paragraph. */
function firstSentence(text: string): string {
  const m = /^(.+?[.:])(\s|$)/.exec(text);
  return m?.[1] ?? text;
}

/**
 * A file's URI relative to `cwd` (the repository root in CI), which code scanning matches against its
 * checkout; a file outside `cwd` keeps an absolute `file:` URI.
 */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const rel = isAbsolute(file) ? relative(cwd, file) : file;
  if (rel.startsWith("..") || isAbsolute(rel)) return { uri: pathToFileURL(file).href };
  return { uri: rel.split(sep).join("/").replace(/^\.\//, ""), uriBaseId: "%SRCROOT%" };
}

/** The SARIF log as a value. `cwd` is the root the artifact URIs are relative to. */
export function checkToSarif(report: CheckReport, cwd: string): SarifLog {
  const rules: SarifRule[] = ruleList.map((rule) => ({
    id: rule.id,
    name: friendlyName(rule.id),
    shortDescription: { text: firstSentence(rule.description) },
    fullDescription: { text: rule.description },
    help: { text: rule.description },
    defaultConfiguration: { level: levelOf(rule.defaultEnforcement) },
    properties: { tags: ["sourcelinks", rule.defaultEnforcement] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i] as const));
  const results: SarifResult[] = report.violations.map((v) => ({
    ruleId: v.ruleId,
    ruleIndex: index.get(v.ruleId) ?? -1,
    level: levelOf(v.enforcement),
    message: { text: v.message },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(v.location.file, cwd), region: { startLine: v.location.line, startColumn: v.location.column } } }],
    // Stable across line moves: the same finding on the same resource keeps its identity between runs.
    partialFingerprints: { "sourcelinks/v1": createHash("sha256").update(`${v.ruleId}\n${v.resource}\n${v.subject}\n${v.message}`).digest("hex") },
    properties: { resource: v.resource, subject: v.subject, fix: v.fix, enforcement: v.enforcement, ...(v.pointer === undefined ? {} : { pointer: v.pointer }) },
  }));
  const { version } = packageInfo();
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "sourcelinks", version, semanticVersion: version, rules } },
        originalUriBaseIds: { "%SRCROOT%": { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, "/")}` } },
        results,
      },
    ],
  };
}

/** `check --format sarif` output. */
export function formatSarif(report: CheckReport, cwd: string): string {
  return `${JSON.stringify(checkToSarif(report, cwd), null, 2)}\n`;
}
