/**
 * `require("sourcelinks")`: the package's CommonJS entry. It checks the Node.js version first (on
 * Node 22.0–22.11 require() of the ES module below would fail without saying why), then returns the ES module.
 */
import { unsupportedNodeMessage } from "../engine/model/node-support.cjs";

const refusal = unsupportedNodeMessage("sourcelinks", process.versions.node);
if (refusal !== undefined) throw new Error(refusal);

export * from "./index.js";
