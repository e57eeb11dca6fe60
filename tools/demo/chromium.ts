/**
 * How the report's screenshot script and browser test find and start Chromium: headless, offline, no GPU
 * or sandbox. A system Chromium is used when one is present; otherwise the one `@sparticuz/chromium`
 * ships inside its npm package, so `npm ci` alone brings a browser.
 */
import { existsSync } from "node:fs";
import sparticuz from "@sparticuz/chromium";
import { type Browser, chromium } from "playwright-core";

/** Debian's `chromium` package installs its binary here. */
const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/** Flags that let chromium run in a container without a network, a GPU or a user-namespace sandbox, and fetch nothing of its own. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Flags of @sparticuz/chromium's list left out: they relax the same-origin policy and mixed-content
 * blocking, which would hide a report that loads something it must not.
 */
const RELAXING_FLAGS = new Set(["--disable-web-security", "--allow-running-insecure-content"]);

/** Where a browser comes from and the flags it starts with. */
export interface ChromiumLaunch {
  executablePath: string;
  args: string[];
  source: "CHROMIUM_PATH" | "system" | "@sparticuz/chromium";
}

/**
 * CHROMIUM_PATH if set, else the system Chromium if present, else @sparticuz/chromium's binary
 * (unpacked into the temp folder on first use).
 */
export async function chromiumLaunch(env: NodeJS.ProcessEnv = process.env, systemPath = SYSTEM_CHROMIUM): Promise<ChromiumLaunch> {
  const override = env.CHROMIUM_PATH;
  if (override !== undefined && override !== "") return { executablePath: override, args: CHROMIUM_ARGS, source: "CHROMIUM_PATH" };
  if (existsSync(systemPath)) return { executablePath: systemPath, args: CHROMIUM_ARGS, source: "system" };
  const args = [...sparticuz.args.filter((a) => !RELAXING_FLAGS.has(a)), ...CHROMIUM_ARGS.filter((a) => a !== "--headless")];
  return { executablePath: await sparticuz.executablePath(), args, source: "@sparticuz/chromium" };
}

/** Starts the browser chromiumLaunch() picks; rejects (never falls back to nothing) when it cannot start. */
export async function launchChromium(): Promise<Browser> {
  const { executablePath, args } = await chromiumLaunch();
  return chromium.launch({ executablePath, args });
}
