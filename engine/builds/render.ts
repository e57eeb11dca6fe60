/**
 * `builds render`: every declared build's CI file, at `<provider>/<owner>/<repo>/<path in the
 * repository>`, sorted by path; the same builds give the same bytes.
 */
import type { BuildSpec } from "../model/build-spec.js";
import { renderPipelines } from "./bitbucket-pipelines.js";
import { renderWorkflow, workflowFileName } from "./github-workflow.js";
import { byCodeUnits } from "./order.js";
import { ruleTable } from "./table.js";

/** One rendered file: where it goes (`/`-separated, relative to the output folder) and its text. */
export interface RenderedFile {
  path: string;
  text: string;
}

/** The CI files of `builds`: a workflow per GitHub build, one pipelines file per Bitbucket repository. */
export function renderBuildFiles(builds: readonly BuildSpec[]): RenderedFile[] {
  const files: RenderedFile[] = [];
  const bitbucket = new Map<string, BuildSpec[]>();
  for (const build of builds) {
    if (build.provider === "github") {
      files.push({
        path: `github/${build.repository}/.github/workflows/${workflowFileName(build)}`,
        text: renderWorkflow(build, ruleTable(build)),
      });
    } else {
      // Bitbucket reads one file per repository (slugs are case-insensitive).
      const key = build.repository.toLowerCase();
      bitbucket.set(key, [...(bitbucket.get(key) ?? []), build]);
    }
  }
  for (const group of bitbucket.values()) {
    const first = group[0];
    if (first === undefined) continue;
    files.push({
      path: `bitbucket/${first.repository}/bitbucket-pipelines.yml`,
      text: renderPipelines(group.map((build) => ({ build, table: ruleTable(build) }))),
    });
  }
  return files.sort((a, b) => byCodeUnits(a.path, b.path));
}
