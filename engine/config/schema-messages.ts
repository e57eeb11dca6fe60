/**
 * Turns ajv's errors into findings a user can act on: what is wrong, where (a JSON pointer and
 * whether the key or the value is at fault) and what to do. Values are quoted only when they
 * cannot be secrets; env var fields never echo what was written in them.
 */
import type { ErrorObject } from "ajv";
import { schemaAt } from "./schema-validator.js";
import { describeType, quoteValue, subjectOf } from "./labels.js";
import { isRecord, joinPointer, splitPointer, valueAt } from "./pointer.js";
import { looksLikeSecret } from "./secret-like.js";
import type { Anchor } from "./source-map.js";

/** A problem at a pointer into one file's data. */
export interface Finding {
  pointer: string;
  anchor: Anchor;
  message: string;
  /** For a missing required key: the key (the pointer names its parent). */
  missingKey?: string;
}

/** What to write when a required key is missing, by key. */
const REQUIRED_HINTS: Record<string, string> = {
  apiVersion: "add apiVersion: sourcelinks/v1 at the top of the file",
  kind: "set kind: reference or kind: docker-hub",
  apiUrl: "set the base URL of the build service API, e.g. https://builds.example.com/api/build/v1",
  webhookUrlPatterns:
    'a reference build service must say which webhooks are its own: list globs of their URLs, e.g. ["https://builds.example.com/hooks/*"]',
  clientId: "set the OAuth app's client id (GitHub → Settings → Developer settings → OAuth Apps)",
  key: "set the OAuth consumer's key (Bitbucket → Workspace settings → OAuth consumers)",
  name: "set a name",
  namespace: "set the build service account or organization the link belongs to",
  provider: "set provider: github or provider: bitbucket",
  account: "set the provider login the link authorizes",
  org: "set the GitHub organization's login",
  access: "set access: granted or access: denied",
};

/** An example env var name for each env var field, by parent and key. */
const ENV_EXAMPLES: Record<string, string> = {
  "buildService.tokenEnv": "SOURCELINKS_BUILD_TOKEN",
  "providers.github.tokenEnv": "GITHUB_TOKEN",
  "providers.bitbucket.tokenEnv": "BITBUCKET_API_TOKEN",
  "providers.bitbucket.usernameEnv": "BITBUCKET_EMAIL",
  "buildService.oauthApps.github.clientSecretEnv": "SOURCELINKS_GITHUB_CLIENT_SECRET",
  "providers.github.auth.privateKeyEnv": "SOURCELINKS_GITHUB_APP_KEY",
};

/** Keys people write when they paste a credential, mapped to the env var key to use instead. */
const SECRET_KEYS: [RegExp, string][] = [
  [/client_?secret/i, "clientSecretEnv"],
  [/private_?key|pem/i, "privateKeyEnv"],
  [/user(name)?$/i, "usernameEnv"],
  [/token|password|passwd|secret|api_?key|credential|private_?key/i, "tokenEnv"],
];

/**
 * One finding per ajv error worth reporting (ajv's `if` echo of a failed `then` is dropped), at
 * most `limit` of them: the rest are only counted in `omitted`, since describing one (a subject, a
 * did-you-mean) and later locating it is what 100,000 errors would spend their time on.
 */
export function findingsFromAjv(
  errors: readonly ErrorObject[],
  data: unknown,
  limit = Number.POSITIVE_INFINITY,
): { findings: Finding[]; omitted: number } {
  // A value of the wrong type also fails its enum or pattern; the type is the one to report.
  const wrongType = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const unseen = new Set<string>();
  for (const error of errors) {
    if (
      error.keyword !== "type" &&
      error.keyword !== "required" &&
      error.keyword !== "additionalProperties" &&
      wrongType.has(error.instancePath)
    )
      continue;
    if (findings.length >= limit) {
      if (error.keyword === "if") continue;
      // The same error twice (same place, keyword and key) is one problem, as `seen` makes it below.
      const params = error.params as Record<string, unknown>;
      unseen.add(
        `${error.instancePath}\u0000${error.keyword}\u0000${String(params["additionalProperty"] ?? params["missingProperty"] ?? "")}`,
      );
      continue;
    }
    const finding = describe(error, data);
    if (finding === undefined) continue;
    const id = `${finding.pointer}\u0000${finding.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    findings.push(finding);
  }
  return { findings, omitted: unseen.size };
}

function describe(error: ErrorObject, data: unknown): Finding | undefined {
  const pointer = error.instancePath;
  const subject = subjectOf(pointer, data);
  const value = valueAt(data, pointer);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "if":
      return undefined;
    case "required": {
      const key = String(params["missingProperty"]);
      const kind = pointer === "/buildService" ? ` (kind ${quoteValue(valueAt(data, "/buildService/kind"))})` : "";
      const hint = REQUIRED_HINTS[key] ?? `add ${key}`;
      return { pointer, anchor: "value", message: `${subject}${kind} is missing required key "${key}": ${hint}`, missingKey: key };
    }
    case "additionalProperties":
      return unknownKey(error, String(params["additionalProperty"]), data);
    case "type":
      return { pointer, anchor: "value", message: `${subject} must be ${typeWords(String(params["type"]))}, not ${describeType(value)}` };
    case "enum":
      return enumFinding(pointer, subject, value, params["allowedValues"]);
    case "pattern":
      return patternFinding(error, subject, value);
    case "minLength":
      return { pointer, anchor: "value", message: `${subject} must not be empty` };
    case "minimum":
    case "maximum":
      return {
        pointer,
        anchor: "value",
        message: `${subject} must be ${error.keyword === "minimum" ? "at least" : "at most"} ${String(params["limit"])}, not ${typeof value === "number" ? String(value) : quoteValue(value)}`,
      };
    case "minItems":
      return { pointer, anchor: "value", message: `${subject} must list at least ${String(params["limit"])} item(s)` };
    default:
      return { pointer, anchor: "value", message: `${subject} ${error.message ?? "is invalid"}` };
  }
}

function unknownKey(error: ErrorObject, key: string, data: unknown): Finding {
  const pointer = joinPointer([...splitPointer(error.instancePath), key]);
  // quoteValue: a key may hold a pasted token, a newline or a terminal escape; never echo those raw.
  const shown = quoteValue(key);
  const where =
    error.instancePath === "" ? `unknown top-level key ${shown}` : `${subjectOf(error.instancePath, data)} has unknown key ${shown}`;
  const allowed = allowedKeys(error.instancePath);
  // usernameEnv / clientSecretEnv only where they exist; tokenEnv is the advice anywhere else.
  const envKey = /Env$/.test(key)
    ? undefined
    : SECRET_KEYS.find(([pattern, env]) => pattern.test(key) && (env === "tokenEnv" || allowed.includes(env)))?.[1];
  if (envKey !== undefined) {
    return {
      pointer,
      anchor: "key",
      message:
        `${where}: ${envKey === "usernameEnv" ? "credentials" : "secrets"} are named by env var (${envKey}), never written in YAML: ` +
        `put the value in an environment variable, set ${envKey} to that variable's name, and rotate the credential if this file was shared`,
    };
  }
  const suggestion = closest(key, allowed);
  const hint = suggestion === undefined ? "" : `did you mean "${suggestion}"? `;
  return { pointer, anchor: "key", message: `${where}: ${hint}allowed keys are ${allowed.join(", ")}` };
}

function enumFinding(pointer: string, subject: string, value: unknown, allowedValues: unknown): Finding {
  const allowed = Array.isArray(allowedValues) ? allowedValues.map(String) : [];
  if (/^\/orgAccess\/\d+\/provider$/.test(pointer)) {
    return {
      pointer,
      anchor: "value",
      message: `${subject} must be github, not ${quoteValue(value)}: third-party (OAuth app) access restrictions are a GitHub organization setting`,
    };
  }
  const list = allowed.length === 2 ? `${allowed[0]} or ${allowed[1]}` : `one of ${allowed.join(", ")}`;
  return { pointer, anchor: "value", message: `${subject} must be ${list}, not ${quoteValue(value)}` };
}

function patternFinding(error: ErrorObject, subject: string, value: unknown): Finding {
  const pointer = error.instancePath;
  // ajv's schemaPath is relative to whichever $ref it compiled separately, so walk the schema instead.
  const definition = schemaAt(pointer).definition;
  const text = typeof value === "string" ? value : "";
  // The schema writes "non-empty" as pattern \S (minLength would need ajv's runtime, see schema-codegen.ts).
  if ((error.params as { pattern?: string }).pattern === "\\S")
    return { pointer, anchor: "value", message: `${subject} must not be empty` };
  switch (definition) {
    case "envVarName": {
      const segments = splitPointer(pointer);
      const key = segments[segments.length - 1] ?? "tokenEnv";
      const example = ENV_EXAMPLES[segments.join(".")] ?? "MY_TOKEN";
      const base = `${subject} must be the NAME of an environment variable (A-Z, 0-9 and _, e.g. ${example})`;
      if (!looksLikeSecret(text)) return { pointer, anchor: "value", message: `${base}; secrets are never written in the YAML` };
      return {
        pointer,
        anchor: "value",
        message:
          `${base}, but the value written there looks like a secret itself (not shown): remove it from the file, ` +
          `rotate that credential, put it in an environment variable and set ${key} to the variable's name`,
      };
    }
    case "repository": {
      const base = `${subject} must be a repository written owner/name (GitHub) or workspace/slug (Bitbucket)`;
      if (/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(text) && text.split("/").some((s) => s === "." || s === "..")) {
        return {
          pointer,
          anchor: "value",
          message: `${base}; "." and ".." are not names (they would walk up API paths), not ${quoteValue(value)}`,
        };
      }
      return { pointer, anchor: "value", message: `${base}, not ${quoteValue(value)}` };
    }
    case "httpUrl":
      return { pointer, anchor: "value", message: httpUrlMessage(subject, text) };
    case "keyFilePath":
      // Never echoed: a PEM block pasted here is the key itself.
      return {
        pointer,
        anchor: "value",
        message: text.includes("-----BEGIN")
          ? `${subject} must be the PATH of the private key file, but the value written there is a PEM key itself (not shown): remove it from the file, generate a new key for the app (the old one was shared), and set privateKeyFile to the key file's path or privateKeyEnv to an env var holding it`
          : `${subject} must be a file path of 1 to 1024 characters on one line`,
      };
    case "identifier":
      return {
        pointer,
        anchor: "value",
        message:
          `${subject} must be made of letters, digits, ".", "-" and "_", starting with a letter or digit` +
          (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text)
            ? ` and at most 100 characters long, not ${text.length} characters`
            : `, not ${quoteValue(value)}`),
      };
    case "duration":
      return {
        pointer,
        anchor: "value",
        message: `${subject} must be a duration: a whole number above 0 and s, m, h or d (e.g. 24h, 90m, 7d), not ${quoteValue(value)}`,
      };
    case "displayName":
      return {
        pointer,
        anchor: "value",
        message: `${subject} must be a display name of 1 to 100 printable characters, not only spaces, and without control or format characters`,
      };
    default:
      return { pointer, anchor: "value", message: `${subject} has an invalid format` };
  }
}

/** A bad URL; one that carries credentials or a query is never echoed (either may hold a token). */
function httpUrlMessage(subject: string, text: string): string {
  const base = `${subject} must be an http(s) URL such as https://api.github.com`;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1] ?? "";
  if (authority.includes("@")) {
    return (
      `${base}, without credentials: this one has user info (...@) before its host (not shown); credentials are named by env var ` +
      `(tokenEnv), never written in YAML: remove them, and rotate them if this file was shared`
    );
  }
  if (/[?#]/.test(text)) return `${base}, without a query or fragment (not shown, it may hold a token): write the base URL only`;
  return `${base}, not ${quoteValue(text)}`;
}

function typeWords(type: string): string {
  const words: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    boolean: "true or false",
    number: "a number",
    integer: "a whole number",
  };
  return words[type] ?? type;
}

/** The property names the schema allows in the mapping at a pointer. */
function allowedKeys(pointer: string): string[] {
  const properties = schemaAt(pointer).schema?.["properties"];
  return isRecord(properties) ? Object.keys(properties) : [];
}

/** The allowed key within edit distance 2 (case-insensitive), for "did you mean". */
function closest(key: string, allowed: readonly string[]): string | undefined {
  // Keys are short; a long one is no typo, and comparing it would cost time for nothing.
  if (key.length > 40) return undefined;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
