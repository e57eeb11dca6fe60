/**
 * The entry of the sourcelinks policy pack (policies/package.json `main`), as the Pulumi engine runs
 * it: `pulumi preview --policy-pack node_modules/sourcelinks/policies`, or `--policy-pack policies` in
 * the sourcelinks repository. This folder always lives inside the sourcelinks package (its parent), so
 * the policies come from the package installed by name when there is one, else from the parent's build.
 * CommonJS, because @pulumi/pulumi's run-policy-pack loads the pack with require().
 */
"use strict";

const { join } = require("node:path");

/** The sourcelinks package's folder: the one installed by name, else this folder's parent. */
function packageRoot() {
  try {
    return join(require.resolve("sourcelinks/package.json"), "..");
  } catch (error) {
    const missing = error && error.code === "MODULE_NOT_FOUND" && String(error.message).includes("'sourcelinks/package.json'");
    if (!missing) throw error;
    return join(__dirname, "..");
  }
}

const root = packageRoot();
// Checked before the (ES module) library is required: on Node 22.0–22.11 that require() would crash.
const refusal = require(join(root, "dist/engine/model/node-support.cjs")).unsupportedNodeMessage(
  "The sourcelinks policy pack",
  process.versions.node,
);
if (refusal !== undefined) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
require(join(root, "dist/policies/library.js")).sourcelinksPolicyPack();
