import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterEach, describe, expect, it } from "vitest";
import { buildReport } from "../../cli/report/build.js";
import { mergeReports } from "../../cli/report/merge.js";
import { parseReport } from "../../cli/report/parse.js";
import { renderReportHtml } from "../../cli/report/render-html.js";
import { renderReportJson } from "../../cli/report/render-json.js";
import { renderReportMarkdown } from "../../cli/report/render-markdown.js";
import { buildKey } from "../../engine/builds/continuity.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import { verifyReplacements } from "../../engine/reconcile/verify-replacements.js";
import type { SandboxHandle } from "../../sandbox/server.js";
import { sampleReportInput } from "../../tools/demo/report-sample.js";
import { ROOT } from "../support/cli-harness.js";
import { BUILDS, merged, push, readers, startVerifyWorld } from "./verify-harness.js";

const validateReport = new Ajv2020({ allErrors: true }).compile(
  JSON.parse(readFileSync(join(ROOT, "schema/report.schema.json"), "utf8")) as object,
);
const SHA = "0123456789abcdef0123456789abcdef01234567";
const [api, mobile] = BUILDS as [BuildSpec, BuildSpec];
const retired: BuildSpec = { ...mobile, image: "acme/old", replacement: "none" };
let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function report() {
  sandbox = await startVerifyWorld();
  await push(sandbox, api, "refs/heads/main", SHA);
  const builds = [api, mobile, retired];
  const verdicts = await verifyReplacements([api, mobile], [merged(api, SHA)], readers(sandbox));
  const run = sandbox.world().github.workflowRuns![0]!;
  const input = {
    ...sampleReportInput("2026-12-07"),
    continuity: { builds, verdicts: new Map(verdicts.map((v, i) => [buildKey(builds[i]!), v])) },
  };
  return { report: buildReport(input), run };
}

describe("the report's Continuity section", () => {
  it("lists per image the replacement's state, its run and the tags with when they were last pushed, in JSON that meets the schema", async () => {
    const { report: built, run } = await report();
    expect(built.continuity).toEqual([
      {
        image: "acme/api",
        provider: "github",
        repository: "acme/api",
        link: null,
        state: "verified",
        reason: null,
        pullRequest: "https://github.com/acme/api/pull/7",
        run: { url: `https://github.com/acme/api/actions/runs/${run.id}`, conclusion: "success", startedAt: run.startedAt },
        tags: [{ name: "latest", lastPushed: run.finishedAt, fresh: true }],
      },
      expect.objectContaining({ image: "acme/mobile", state: "absent", reason: "acme-team/mobile was not observed", run: null }),
      expect.objectContaining({ image: "acme/old", state: "retired", reason: "retired on purpose (replacement: none)" }),
    ]);
    const json = renderReportJson(built);
    expect(validateReport(JSON.parse(json))).toBe(true);
    expect(parseReport(json, "report.json").continuity).toEqual(built.continuity);
    expect(mergeReports([{ file: "a.json", report: built }]).continuity).toEqual(built.continuity);
  });

  it("renders it in markdown and HTML, and says when an image is retired on purpose", async () => {
    const { report: built, run } = await report();
    const markdown = renderReportMarkdown(built);
    expect(markdown).toContain("### Continuity");
    expect(markdown).toContain(
      `| \`acme/api\` (github acme/api) | verified | <https://github.com/acme/api/actions/runs/${run.id}> success | latest (last pushed ${run.finishedAt}) |`,
    );
    expect(markdown).toContain("retired on purpose (replacement: none)");
    const html = renderReportHtml(built);
    expect(html).toContain('<section id="continuity"><h2>Continuity</h2>');
    expect(html).toContain(`<a href="https://github.com/acme/api/actions/runs/${run.id}">success</a>`);
    expect(html).toContain("acme/mobile");
  });

  it("leaves the section out when no build is declared", () => {
    const plain = buildReport(sampleReportInput("2026-12-07"));
    expect(plain.continuity).toBeUndefined();
    expect(renderReportMarkdown(plain)).not.toContain("Continuity");
    expect(renderReportHtml(plain)).not.toContain('id="continuity"');
  });
});
