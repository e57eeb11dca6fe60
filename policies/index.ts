/**
 * The `sourcelinks` policy pack, compiled into dist/policies/index.js. The pack folder's entry is
 * policies/pack.cjs (see policies/package.json), which loads the same library by package name;
 * constructing the PolicyPack starts the analyzer gRPC server and prints its port on stdout.
 */
import { sourcelinksPolicyPack } from "./library.js";

sourcelinksPolicyPack();
