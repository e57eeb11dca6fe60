/** `require("sourcelinks/provider/org-access-methods")`: this subpath's CommonJS entry, the ES module's exports. */
export * from "./org-access-methods.js";
