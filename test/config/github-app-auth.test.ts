/**
 * `providers.github.auth`: a GitHub App in the YAML. The happy path, one change per case
 * with the exact located message, a PEM key written into the file refused without being echoed, and
 * the key file resolved against the YAML file that names it.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadConfigTexts } from "../../engine/config/index.js";
import { resolveClientSettings } from "../../engine/config/runtime.js";
import { basicWith, errorLines } from "./helpers.js";

const GITHUB_LINE = "  github: { apiUrl: https://api.github.com, tokenEnv: GITHUB_TOKEN }";
/** The fixture's providers.github replaced by a block; `auth` is indented under it. */
function withAuth(...auth: string[]): string {
  return basicWith(
    GITHUB_LINE,
    ["  github:", "    apiUrl: https://api.github.com", "    auth:", ...auth.map((l) => `      ${l}`)].join("\n"),
  );
}
/** The line of the fixture where `auth:` lines start (1-based), for expected positions. */
const AUTH_LINE = withAuth("appId: 1").split("\n").indexOf("      appId: 1") + 1;
/** A PEM block, assembled at run time so no key-shaped text sits in the repository. */
const PEM = ["-----BEGIN RSA ", "PRIVATE KEY-----\\nMIIEowIBAAKCAQEAsecretsecretsecret\\n-----END RSA ", "PRIVATE KEY-----"].join("");

describe("providers.github.auth", () => {
  test("loads an app with its key named by env var and installations, and resolves the key from the env", () => {
    const loaded = loadConfigTexts([
      {
        file: "cfg/a.yaml",
        text: withAuth("appId: 424242", "privateKeyEnv: SOURCELINKS_GITHUB_APP_KEY", "installations: { acme: 7001, contractor-co: 7002 }"),
      },
    ]);
    expect(loaded.config.providers.github).toEqual({
      apiUrl: "https://api.github.com",
      tokenEnv: "GITHUB_TOKEN",
      auth: { appId: 424242, privateKeyEnv: "SOURCELINKS_GITHUB_APP_KEY", installations: { acme: 7001, "contractor-co": 7002 } },
    });
    const settings = resolveClientSettings(loaded.config, { SOURCELINKS_GITHUB_APP_KEY: "pem-from-env" });
    expect(settings.github?.app?.privateKey?.reveal()).toBe("pem-from-env");
    expect(settings.github?.app).toMatchObject({
      appId: 424242,
      privateKeyFile: null,
      installations: { acme: 7001, "contractor-co": 7002 },
    });
  });

  test("resolves privateKeyFile against the directory of the YAML file that names it", () => {
    const relative = loadConfigTexts([
      { file: join("deploy", "org", "a.yaml"), text: withAuth("appId: 1", "privateKeyFile: keys/app.pem") },
    ]);
    expect(relative.config.providers.github?.auth?.privateKeyFile).toBe(join("deploy", "org", "keys", "app.pem"));
    const absolute = loadConfigTexts([{ file: "a.yaml", text: withAuth("appId: 1", "privateKeyFile: /run/secrets/app.pem") }]);
    expect(absolute.config.providers.github?.auth?.privateKeyFile).toBe("/run/secrets/app.pem");
  });

  test.each([
    [
      "a PEM key written as privateKeyFile",
      ["appId: 1", `privateKeyFile: "${PEM}"`],
      `a.yaml:${AUTH_LINE + 1}:23: providers.github.auth.privateKeyFile must be the PATH of the private key file, but the value written there is a PEM key itself (not shown): remove it from the file, generate a new key for the app (the old one was shared), and set privateKeyFile to the key file's path or privateKeyEnv to an env var holding it`,
    ],
    [
      "a PEM key written as privateKeyEnv",
      ["appId: 1", `privateKeyEnv: "${PEM}"`],
      `a.yaml:${AUTH_LINE + 1}:22: providers.github.auth.privateKeyEnv must be the NAME of an environment variable (A-Z, 0-9 and _, e.g. SOURCELINKS_GITHUB_APP_KEY), but the value written there looks like a secret itself (not shown): remove it from the file, rotate that credential, put it in an environment variable and set privateKeyEnv to the variable's name`,
    ],
    [
      "the key itself under privateKey",
      ["appId: 1", `privateKey: "${PEM}"`],
      `a.yaml:${AUTH_LINE + 1}:7: providers.github.auth has unknown key "privateKey": secrets are named by env var (privateKeyEnv), never written in YAML: put the value in an environment variable, set privateKeyEnv to that variable's name, and rotate the credential if this file was shared`,
    ],
    [
      "no key at all",
      ["appId: 1"],
      `a.yaml:${AUTH_LINE - 1}:5: providers.github.auth names no private key: set privateKeyEnv to the env var holding the app's PEM key, or privateKeyFile to its path (relative to this file); never the key itself`,
    ],
    [
      "both an env var and a file",
      ["appId: 1", "privateKeyEnv: APP_KEY", "privateKeyFile: app.pem"],
      `a.yaml:${AUTH_LINE + 2}:7: providers.github.auth sets both privateKeyEnv and privateKeyFile: keep one, so which key is used is never a guess`,
    ],
    [
      "an installation id that is not a number",
      ["appId: 1", "privateKeyEnv: APP_KEY", "installations: { acme: first }"],
      `a.yaml:${AUTH_LINE + 2}:30: providers.github.auth.installations.acme must be a whole number, not a string`,
    ],
  ])("refuses %s with a located message that never echoes a key", (_what, auth, expected) => {
    const lines = errorLines(withAuth(...auth));
    expect(lines).toEqual([expected]);
    expect(lines.join("\n")).not.toContain("secretsecret");
  });
});
