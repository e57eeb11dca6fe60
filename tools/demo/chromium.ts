/** How the report's screenshot script and browser test start Debian's chromium: headless, offline, no GPU or sandbox. */

/** The browser binary (Debian's `chromium` package); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

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
