/** `require("sourcelinks/provider/sweep-methods")`: this subpath's CommonJS entry, the ES module's exports. */
export * from "./sweep-methods.js";
