import { expect, test } from "vitest";
import { validatorSource } from "../../tools/codegen/schema-codegen.js";

test("engine/config/generated/validate-config.ts is compiled from the current schema (update with -u)", async () => {
  await expect(validatorSource()).toMatchFileSnapshot("../../engine/config/generated/validate-config.ts");
});
