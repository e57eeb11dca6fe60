import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import { load } from "js-yaml";
import { configSchema } from "../../engine/config/index.js";
import { validateConfigFile } from "../../engine/config/schema-validator.js";
import { basicYaml } from "./helpers.js";

describe("schema/sourcelinks.schema.json", () => {
  test("is a valid JSON Schema 2020-12 document (the runtime validator skips this check for startup time)", () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false });
    expect(ajv.validateSchema(configSchema)).toBe(true);
    expect(ajv.errors ?? null).toBeNull();
  });

  test("accepts the basic example and fills in the schema's defaults", () => {
    const data = load(basicYaml);
    const result = validateConfigFile(data);
    expect(result.valid).toBe(true);
    expect(result.errors).toEqual([]);
    expect(data).toMatchObject({
      links: [{ onRevoke: { webhooks: "delete", deployKeys: "delete" } }, {}, { onRevoke: { webhooks: "delete", deployKeys: "delete" } }],
    });
  });

  test("rejects unknown keys at every level", () => {
    const places = [
      "",
      "/buildService",
      "/buildService/oauthApps",
      "/buildService/oauthApps/github",
      "/providers",
      "/providers/github",
      "/links/0",
      "/links/1/onRevoke",
      "/orgAccess/0",
    ];
    for (const place of places) {
      const data = load(basicYaml) as Record<string, unknown>;
      const target = place
        .split("/")
        .slice(1)
        .reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, data);
      target["surprise"] = 1;
      const result = validateConfigFile(data);
      expect(result.valid, place).toBe(false);
      expect(
        result.errors.map((e) => [e.instancePath, e.keyword, e.params]),
        place,
      ).toEqual([[place, "additionalProperties", { additionalProperty: "surprise" }]]);
    }
  });
});
