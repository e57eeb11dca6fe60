/** Shared helpers for the config tests: the happy-path fixture and error capture. */
import { readFileSync } from "node:fs";
import { ConfigError, loadConfigTexts, type ConfigText } from "../../engine/config/index.js";

/** The happy-path config (a copy of examples/basic/sourcelinks.yaml). */
export const basicYaml = readFileSync(new URL("./fixtures/basic.yaml", import.meta.url), "utf8");

/** The fixture with one exact substring replaced; fails loudly if the substring is not there. */
export function basicWith(from: string, to: string): string {
  if (!basicYaml.includes(from)) throw new Error(`fixture does not contain ${JSON.stringify(from)}`);
  return basicYaml.replace(from, to);
}

/** An obviously fake credential, built at run time, shaped like a generated token. */
export const fakeToken = ["FAKE", "tok3n", "Abc123Def456Ghi789"].join("");

/** The ConfigError thrown for these files (the test fails if none is thrown). */
export function configErrorOf(files: readonly ConfigText[]): ConfigError {
  try {
    loadConfigTexts(files);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but the configuration loaded");
}

/** The formatted diagnostics for one file named a.yaml. */
export function errorLines(text: string, file = "a.yaml"): string[] {
  return configErrorOf([{ file, text }]).message.split("\n");
}
