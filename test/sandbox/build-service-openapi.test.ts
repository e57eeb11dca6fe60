import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../sandbox/server.js";
import { startHarness, testWorld, type TestCredentials } from "../support/bb-harness.js";

/** The contract, checked against what the sandbox serves: every documented response body validates. */
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>;
  components: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
}

const DOC_ID = "https://sourcelinks.invalid/build-service.openapi.json";
const doc = parse(readFileSync(new URL("../../schema/build-service.openapi.yaml", import.meta.url), "utf8")) as OpenApiDoc;
// OpenAPI 3.1 schemas are JSON Schema 2020-12; the document's other keys are not schema keywords.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(doc as object, DOC_ID);

let sandbox: SandboxHandle;
let creds: TestCredentials;

beforeAll(async () => {
  const seeded = testWorld();
  creds = seeded.creds;
  sandbox = await startHarness(seeded.world);
});
afterAll(() => sandbox.close());

/** The schema the document gives for (path template, method, status), following a `$ref` response. */
function responseSchemaRef(template: string, method: string, status: number): string | null {
  const operation = doc.paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${method} ${template} is not documented`);
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`${method} ${template} does not document status ${status}`);
  const resolved = response.$ref ? doc.components.responses[response.$ref.split("/").at(-1)!]! : response;
  if (!resolved.content) return null;
  const pointer = response.$ref
    ? `${response.$ref}/content/application~1json/schema`
    : `#/paths/${template.replaceAll("~", "~0").replaceAll("/", "~1")}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
  return `${DOC_ID}${pointer}`;
}

async function expectConforms(
  method: string,
  template: string,
  path: string,
  status: number,
  body?: unknown,
  token: string | null = creds.buildToken,
): Promise<unknown> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers["authorization"] = `Bearer ${token}`;
  const res = await fetch(`${sandbox.baseUrl}/build/api/build/v1${path}`, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
  expect(res.status).toBe(status);
  const text = await res.text();
  const ref = responseSchemaRef(template, method, status);
  if (ref === null) {
    expect(text).toBe("");
    return undefined;
  }
  const parsed: unknown = JSON.parse(text);
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`no schema at ${ref}`);
  expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
  return parsed;
}

describe("schema/build-service.openapi.yaml", () => {
  it("is OpenAPI 3.1 and its schemas reject what the wire types forbid", () => {
    expect(doc.openapi).toBe("3.1.0");
    const validateLink = ajv.getSchema(`${DOC_ID}#/components/schemas/Link`)!;
    expect(validateLink({ id: "x", state: "enabled" })).toBe(false);
    const validateAccess = ajv.getSchema(`${DOC_ID}#/components/schemas/OrgAccess`)!;
    expect(validateAccess({ org: "acme", access: "unknown" })).toBe(false);
  });

  it("describes every response the sandbox gives, success and error", async () => {
    const links = "/{namespace}/links/";
    const link = "/{namespace}/links/{id}/";
    await expectConforms("GET", links, "/acme/links/?limit=1", 200);
    await expectConforms("GET", links, "/acme/links/", 401, undefined, null);
    await expectConforms("GET", links, "/acme/links/", 403, undefined, creds.otherNamespaceToken);
    await expectConforms("GET", links, "/acme/links/?offset=-1", 400);
    const created = (await expectConforms("POST", links, "/acme/links/", 201, {
      provider: "github",
      account: "acme-builder",
      team: null,
      service_account: true,
    })) as { id: string };
    await expectConforms("POST", links, "/acme/links/", 409, { provider: "github", account: "acme-builder", service_account: true });
    await expectConforms("POST", links, "/acme/links/", 400, { provider: "github", account: "nobody", service_account: true });
    await expectConforms("GET", link, `/acme/links/${created.id}/`, 200);
    await expectConforms("GET", link, "/acme/links/nope/", 404);
    await expectConforms("PATCH", link, `/acme/links/${created.id}/`, 200, { state: "disabled" });
    await expectConforms("PATCH", link, `/acme/links/${created.id}/`, 400, { state: "off" });
    await expectConforms("GET", "/{namespace}/links/{id}/credentials/", `/acme/links/${created.id}/credentials/`, 200);
    await expectConforms("GET", "/{namespace}/links/{id}/repositories/", "/acme/links/link-jdoe/repositories/", 200);
    await expectConforms("GET", "/{namespace}/links/{id}/orgs/{org}/access/", "/acme/links/link-jdoe/orgs/acme/access/", 200);
    await expectConforms("PUT", "/{namespace}/links/{id}/orgs/{org}/access/", "/acme/links/link-jdoe/orgs/contractor-co/access/", 200, {
      access: "granted",
    });
    await expectConforms("GET", "/{namespace}/links/{id}/orgs/{org}/access/", "/acme/links/link-bb/orgs/acme/access/", 400);
    await expectConforms("DELETE", link, `/acme/links/${created.id}/`, 204);
    await expectConforms("PATCH", link, `/acme/links/${created.id}/`, 409, { state: "enabled" });
    await expectConforms("DELETE", link, "/acme/links/nope/", 404);
  });
});
