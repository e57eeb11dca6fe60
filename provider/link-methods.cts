/** `require("sourcelinks/provider/link-methods")`: this subpath's CommonJS entry, the ES module's exports. */
export * from "./link-methods.js";
