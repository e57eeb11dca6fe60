import { expect, test } from "vitest";
import { validatorSource } from "../../tools/codegen/schema-codegen.js";

test("config/generated/validate-config.ts is compiled from the current schema (update with -u)", async () => {
  await expect(validatorSource()).toMatchFileSnapshot("../../config/generated/validate-config.ts");
});
