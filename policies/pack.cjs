/**
 * The entry of the sourcelinks policy pack (policies/package.json `main`), as the Pulumi engine runs
 * it: `pulumi preview --policy-pack node_modules/sourcelinks/policies`, or published with
 * `pulumi policy publish` from this folder (its package.json depends on sourcelinks by version).
 * The policies come from the installed package by name; only in the sourcelinks repository itself,
 * where the package is not installed under its own name, from the repository's build.
 * CommonJS, because @pulumi/pulumi's run-policy-pack loads the pack with require().
 */
"use strict";

function loadLibrary() {
  try {
    return require("sourcelinks/policies");
  } catch (error) {
    const missing = error && error.code === "MODULE_NOT_FOUND" && String(error.message).includes("'sourcelinks/policies'");
    if (!missing) throw error;
    return require("../dist/policies/library.js");
  }
}

loadLibrary().sourcelinksPolicyPack();
