/**
 * `check --format sarif`: SARIF 2.1.0 (OASIS), so code scanning annotates the YAML lines. Every rule
 * of the registry is listed in `tool.driver.rules` with its default level (mandatory → error,
 * advisory → warning); each result points at the file, line and column of the offending YAML node.
 */
import { createHash } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../../engine/config/diagnostics.js";
import { pathFromRoot } from "../repository-root.js";
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
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[] };
}

/** A SARIF result (one violation). */
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } };
  }[];
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

/** The first sentence of a paragraph: up to a full stop followed by a space (a colon does not end it). */
function firstSentence(text: string): string {
  const m = /^(.+?\.)(\s|$)/.exec(text);
  return m?.[1] ?? text;
}

/** Where the command ran and the repository root the artifact URIs are relative to (cli/repository-root.ts). */
export interface SarifPaths {
  cwd: string;
  root: string;
}

/**
 * A file's URI relative to the repository root, which code scanning matches against its checkout;
 * a file outside the root keeps an absolute `file:` URI.
 */
function artifactLocation(file: string, paths: SarifPaths): { uri: string; uriBaseId?: string } {
  const rel = pathFromRoot(file, paths.cwd, paths.root);
  if (rel === undefined) return { uri: pathToFileURL(isAbsolute(file) ? file : resolve(paths.cwd, file)).href };
  return { uri: rel, uriBaseId: "%SRCROOT%" };
}

/** The rule configuration errors are reported under (`validate`'s findings, as SARIF results). */
export const CONFIG_RULE_ID = "valid-configuration";

const CONFIG_RULE_DESCRIPTION =
  "The configuration is valid: it parses as YAML, matches schema/sourcelinks.schema.json, and its links, providers and patterns are consistent. Nothing is observed or applied until it is.";

/** The SARIF log as a value. */
export function checkToSarif(report: CheckReport, paths: SarifPaths, diagnostics: readonly Diagnostic[] = []): SarifLog {
  const described = [
    ...ruleList.map((rule) => ({ id: rule.id, description: rule.description, enforcement: rule.defaultEnforcement })),
    { id: CONFIG_RULE_ID, description: CONFIG_RULE_DESCRIPTION, enforcement: "mandatory" as const },
  ];
  const rules: SarifRule[] = described.map((rule) => ({
    id: rule.id,
    name: friendlyName(rule.id),
    shortDescription: { text: firstSentence(rule.description) },
    fullDescription: { text: rule.description },
    help: { text: rule.description, markdown: `**${rule.id}** (${rule.enforcement}): ${rule.description}` },
    defaultConfiguration: { level: levelOf(rule.enforcement) },
    properties: { tags: ["sourcelinks", rule.enforcement] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i] as const));
  const results: SarifResult[] = report.violations.map((v) => ({
    ruleId: v.ruleId,
    ruleIndex: index.get(v.ruleId) ?? -1,
    level: levelOf(v.enforcement),
    message: { text: v.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(v.location.file, paths),
          region: { startLine: v.location.line, startColumn: v.location.column },
        },
      },
    ],
    // Stable across line moves: the same finding on the same resource keeps its identity between runs.
    partialFingerprints: {
      "sourcelinks/v1": createHash("sha256").update(`${v.ruleId}\n${v.resource}\n${v.subject}\n${v.message}`).digest("hex"),
    },
    properties: {
      resource: v.resource,
      subject: v.subject,
      fix: v.fix,
      enforcement: v.enforcement,
      ...(v.pointer === undefined ? {} : { pointer: v.pointer }),
    },
  }));
  for (const d of diagnostics) {
    results.push({
      ruleId: CONFIG_RULE_ID,
      ruleIndex: index.get(CONFIG_RULE_ID) ?? -1,
      level: "error",
      message: { text: d.message },
      locations: [
        { physicalLocation: { artifactLocation: artifactLocation(d.file, paths), region: { startLine: d.line, startColumn: d.column } } },
      ],
      partialFingerprints: { "sourcelinks/v1": createHash("sha256").update(`${CONFIG_RULE_ID}\n${d.message}`).digest("hex") },
      properties: {
        resource: d.file,
        subject: "configuration",
        fix: "fix the configuration as the message says",
        enforcement: "mandatory",
      },
    });
  }
  const { version } = packageInfo();
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "sourcelinks", version, semanticVersion: version, rules } },
        originalUriBaseIds: { "%SRCROOT%": { uri: `${pathToFileURL(paths.root).href.replace(/\/?$/, "/")}` } },
        results,
      },
    ],
  };
}

/** `check --format sarif` output; `diagnostics` are configuration errors, reported as results too. */
export function formatSarif(report: CheckReport, paths: SarifPaths, diagnostics: readonly Diagnostic[] = []): string {
  return `${JSON.stringify(checkToSarif(report, paths, diagnostics), null, 2)}\n`;
}
