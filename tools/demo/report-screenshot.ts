/**
 * Regenerates docs/report.png, the README's picture of the HTML report: renders the sample retirement
 * (tools/demo/report-sample.ts) and photographs it in Chromium at 1280 px, offline (tools/demo/chromium.ts
 * picks the browser). Run: `npm run build && node dist/tools/demo/report-screenshot.js`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildReport } from "../../cli/report/build.js";
import { renderReportHtml } from "../../cli/report/render-html.js";
import { launchChromium } from "./chromium.js";
import { sampleReportInput } from "./report-sample.js";

const OUT = fileURLToPath(new URL("../../../docs/report.png", import.meta.url));

async function main(): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), "sourcelinks-report-")), "report.html");
  writeFileSync(file, renderReportHtml(buildReport(sampleReportInput())));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.screenshot({ path: OUT, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${OUT}`);
}

await main();
