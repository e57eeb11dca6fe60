/** `require("sourcelinks/provider/build-methods")`: this subpath's CommonJS entry, the ES module's exports. */
import { providerMethods as methods } from "./build-methods.js";

export * from "./build-methods.js";
/**
 * Assigned by name as well: a serialized provider resolves this subpath with require.resolve() (this
 * file) and then import()s it, and Node finds a CommonJS file's named exports only in `exports.NAME =`.
 */
export const providerMethods = methods;
