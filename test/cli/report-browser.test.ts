/**
 * The HTML report in a real browser: Chromium (the system's, or @sparticuz/chromium's) driven by playwright-core, offline. The page
 * must render from the file alone (every request recorded: only the file itself is loaded), show the
 * namespace, owners, counts and days left, fit 1280 px without horizontal scrolling, run no script
 * that a hostile name smuggles in, and print. If the browser cannot start, this test fails.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../cli/report/build.js";
import { renderReportHtml } from "../../cli/report/render-html.js";
import { chromiumLaunch, launchChromium } from "../../tools/demo/chromium.js";
import { sampleReportInput } from "../../tools/demo/report-sample.js";

const HOSTILE = `<script>alert("pwned")</script>`;

let browser: Browser;
let tmp: string;

beforeAll(async () => {
  browser = await launchChromium();
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-report-browser-"));
});

afterAll(async () => {
  await browser?.close();
});

/** The sample retirement, with a hostile team name on one link, as an HTML file. */
function reportFile(): string {
  const input = sampleReportInput("2026-11-26");
  const [first, ...rest] = input.links;
  const links = [{ ...first!, observed: { ...first!.observed, team: HOSTILE } }, ...rest];
  const file = join(tmp, "report.html");
  writeFileSync(file, renderReportHtml(buildReport({ ...input, links })));
  return file;
}

describe("the browser the tests start", () => {
  it("is @sparticuz/chromium's when the machine has no Chromium, with no flag that relaxes the page's security", async () => {
    const launch = await chromiumLaunch({}, join(tmp, "no-such-chromium"));
    expect(launch.source).toBe("@sparticuz/chromium");
    expect(existsSync(launch.executablePath)).toBe(true);
    expect(launch.args).toContain("--disable-background-networking");
    expect(launch.args).not.toContain("--disable-web-security");
  });

  it("is the system's when one is present, and CHROMIUM_PATH's when set", async () => {
    const system = join(tmp, "chromium");
    writeFileSync(system, "");
    await expect(chromiumLaunch({}, system)).resolves.toMatchObject({ executablePath: system, source: "system" });
    await expect(chromiumLaunch({ CHROMIUM_PATH: "/opt/c" }, system)).resolves.toMatchObject({ executablePath: "/opt/c" });
  });
});

describe("the HTML report in chromium", () => {
  it("renders offline at 1280 px: text, chart, no overflow, no request but the file, no script", async () => {
    const url = pathToFileURL(reportFile()).href;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: true });
    const requests: string[] = [];
    const dialogs: string[] = [];
    context.on("request", (r) => requests.push(r.url()));
    // Anything but the file itself would be a fetch: abort it (and it stays recorded above).
    await context.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: "load" });

    expect(requests).toEqual([url]);
    expect(dialogs).toEqual([]);
    expect(await page.locator("#days-left").innerText()).toBe("126 days left");
    expect(await page.locator("h1").innerText()).toBe("Build-service retirement report");
    const text = await page.locator("body").innerText();
    expect(text).toContain(
      "Not yet retired: 2 live links, 2 active grants, 4 artifacts in use, 6 leftovers, 13 orphans, 3 open manual steps; not proven either: owners of a revoked link's repositories that no sweep covers.",
    );
    expect(text).toContain("Namespace acme: 3 links");
    expect(text).toContain("Namespace acme-data: 2 links");
    expect(text).toContain("github acme: 6 leftovers, 10 orphans");
    expect(text).toContain("github acme-data: 0 leftovers, 3 orphans");
    expect(text).toContain(`(team ${HOSTILE})`);
    expect(await page.locator("#summary .card").first().innerText()).toMatch(
      /LINKS\s+linked\s+1\s+disabled\s+1\s+revoked\s+2\s+absent\s+1\s+unknown\s+0/,
    );
    expect(await page.locator("svg.chart rect").count()).toBe(4);
    expect(await page.locator("svg.chart text.chart-label").allTextContents()).toEqual([
      "github acme",
      "github acme-data",
      "bitbucket acme-team",
      "github contractor-co",
    ]);

    // Page-side expressions as text: the tests compile without the DOM library.
    const layout = (await page.evaluate(
      `({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth, chart: document.querySelector("svg.chart").getBoundingClientRect().right })`,
    )) as { scroll: number; inner: number; chart: number };
    expect(layout.inner).toBe(1280);
    expect(layout.scroll).toBeLessThanOrEqual(1280);
    expect(layout.chart).toBeLessThanOrEqual(1280);

    const shot = join(tmp, "report.png");
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(1280);

    // Printable: the print stylesheet applies and a PDF comes out.
    await page.emulateMedia({ media: "print" });
    expect(await page.evaluate(`getComputedStyle(document.querySelector("main")).maxWidth`)).toBe("none");
    const pdf = await page.pdf({ format: "A4", landscape: true });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(requests).toEqual([url]);
    await context.close();
  });
});
