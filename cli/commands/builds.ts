/**
 * `sourcelinks builds tags FILE... --image NS/REPO --ref REF [--format text|json]`: what each build
 * rule would build for one git ref; `sourcelinks builds render FILE... --out DIR`: the CI files that
 * replace the declared autobuilds. Both read only the files (no network), through the same matcher
 * the rendered CI carries.
 */
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Option, type Command } from "commander";
import { buildTags, renderBuildFiles, type RefEvent } from "../../engine/builds/index.js";
import { ConfigError, loadBuildFiles, type LoadedBuilds } from "../../engine/config/index.js";
import type { BuildSpec } from "../../engine/model/build-spec.js";
import { CliError, ExitCode, type ExitCodeValue } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { configCliError } from "../load-config.js";
import { checkOutPath, writeOutFile } from "../out-file.js";
import { errorText } from "../run.js";

/** Output formats of `builds tags`. */
export type BuildTagsFormat = "text" | "json";

/** Options of `builds tags`. */
export interface BuildTagsOptions {
  image: string;
  ref: string;
  repository?: string;
  base?: string;
  fork?: boolean;
  format: BuildTagsFormat;
}

/** Loads the builds of `files`; config problems become exit 2 with `FILE:LINE:COL` lines. */
async function loadBuilds(files: readonly string[]): Promise<LoadedBuilds> {
  try {
    return await loadBuildFiles(files);
  } catch (error) {
    throw error instanceof ConfigError ? configCliError(error) : error;
  }
}

/** The git ref as the matcher's event; a pull request ref needs its base branch. */
function refEvent(options: BuildTagsOptions): RefEvent {
  const { ref } = options;
  if (/^refs\/pull\/[^/]+\/(merge|head)$/.test(ref)) {
    if (options.base === undefined)
      throw new CliError(
        ExitCode.invalidInput,
        `sourcelinks: --ref ${ref} is a pull request: give the branch it targets with --base BRANCH (Autotest matches the base branch)`,
      );
    return { ref, pullRequest: { base: options.base, fork: options.fork === true } };
  }
  if (!ref.startsWith("refs/heads/") && !ref.startsWith("refs/tags/")) {
    throw new CliError(
      ExitCode.invalidInput,
      `sourcelinks: --ref ${JSON.stringify(ref)} is not a full git ref: write refs/heads/BRANCH for a branch, refs/tags/TAG for a tag (or refs/pull/N/merge with --base)`,
    );
  }
  if (options.base !== undefined || options.fork === true)
    throw new CliError(
      ExitCode.invalidInput,
      "sourcelinks: --base and --fork describe a pull request: use them with --ref refs/pull/N/merge",
    );
  return { ref };
}

/** The one build `--image` (and `--repository`) names. */
function pickBuild(loaded: LoadedBuilds, options: BuildTagsOptions): BuildSpec {
  const declared = loaded.builds.filter(
    (b) =>
      b.image === options.image.toLowerCase() &&
      (options.repository === undefined || b.repository.toLowerCase() === options.repository.toLowerCase()),
  );
  const only = declared[0];
  if (only !== undefined && declared.length === 1) return only;
  if (declared.length > 1) {
    const from = declared.map((b) => `${b.provider}:${b.repository}`).join(", ");
    throw new CliError(
      ExitCode.invalidInput,
      `sourcelinks: image ${options.image} is built from several repositories (${from}): name one with --repository`,
    );
  }
  const images = [...new Set(loaded.builds.map((b) => b.image))].sort();
  const known = images.length === 0 ? "the files declare no builds" : `declared images: ${images.join(", ")}`;
  const which = options.repository === undefined ? "" : ` from ${options.repository}`;
  throw new CliError(
    ExitCode.invalidInput,
    `sourcelinks: no build of image ${options.image}${which} is declared in ${loaded.files.join(", ")} (${known})`,
  );
}

/** Runs `builds tags`. */
export async function runBuildTags(files: string[], options: BuildTagsOptions, io: CliIo): Promise<ExitCodeValue> {
  const event = refEvent(options);
  const loaded = await loadBuilds(files);
  const answer = buildTags(pickBuild(loaded, options), event);
  if (options.format === "json") {
    io.out(JSON.stringify(answer, null, 2));
    return ExitCode.ok;
  }
  if (answer.builds.length === 0) {
    io.out(`${answer.image} at ${answer.ref}: no build rule matches, nothing is built`);
    return ExitCode.ok;
  }
  io.out(`${answer.image} at ${answer.ref}:`);
  for (const b of answer.builds) {
    const push = b.push ? "built, tested and pushed" : "built and tested, not pushed";
    io.out(`  rule ${b.rule}: ${b.tags.join(", ")} (${push}); Dockerfile ${b.dockerfile}, context ${b.context}`);
  }
  return ExitCode.ok;
}

/**
 * Runs `builds render`: every file is rendered, and every target path checked (not a symbolic link, not
 * an input), before the first is written; each is written whole or not at all (out-file.ts).
 */
export async function runBuildRender(files: string[], out: string, io: CliIo): Promise<ExitCodeValue> {
  const loaded = await loadBuilds(files);
  const rendered = renderBuildFiles(loaded.builds);
  if (rendered.length === 0) {
    io.err(`sourcelinks: ${loaded.files.join(", ")} declare no builds: nothing to render`);
    return ExitCode.ok;
  }
  const targets = rendered.map((file) => ({ path: join(out, ...file.path.split("/")), text: file.text }));
  for (const { path } of targets) await checkOutPath(path, loaded.files);
  for (const { path, text } of targets) {
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (error) {
      throw new CliError(ExitCode.operational, `sourcelinks: cannot write ${path}: ${errorText(error)}`);
    }
    await writeOutFile(path, text, "rendered CI file");
    io.out(path);
  }
  return ExitCode.ok;
}

/** Adds `builds tags` and `builds render` to the program. */
export function registerBuilds(program: Command, io: CliIo, finish: (code: ExitCodeValue) => void): void {
  const builds = program
    .command("builds")
    .description("keep autobuilds going after their link is revoked: Docker's build rules per ref, and the CI files that replace them");
  builds
    .command("tags")
    .description("what each build rule of one image would build for one git ref (no network)")
    .argument("<file...>", "sourcelinks/v1 YAML files declaring builds")
    .requiredOption("--image <namespace/name>", "the Docker Hub repository of the build")
    .requiredOption("--ref <ref>", "the git ref: refs/heads/BRANCH, refs/tags/TAG, or refs/pull/N/merge with --base")
    .option("--repository <owner/name>", "the source repository, when the image is built from several")
    .option("--base <branch>", "for a pull request ref: the branch it targets (Autotest)")
    .option("--fork", "for a pull request ref: it comes from a fork (external)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addHelpText(
      "after",
      `
JSON: {"image", "ref", "builds": [{"rule", "tags", "push", "dockerfile", "context"}]}, one entry per
matching rule, paths from the repository root ("." for the root); "builds" is empty when no rule matches.
Exit codes: 0 answered (even with no build), 2 invalid input.

Examples:
  $ sourcelinks builds tags sourcelinks.yaml --image acme/api --ref refs/tags/v1.2.3 --format json
  $ sourcelinks builds tags sourcelinks.yaml --image acme/api --ref refs/pull/7/merge --base main`,
    )
    .action(async (files: string[], options: BuildTagsOptions) => finish(await runBuildTags(files, options, io)));
  builds
    .command("render")
    .description("write each build's CI file: DIR/<provider>/<owner>/<repo>/<path in the repository>")
    .argument("<file...>", "sourcelinks/v1 YAML files declaring builds")
    .requiredOption("--out <dir>", "the folder to write into")
    .addHelpText(
      "after",
      `
GitHub builds get .github/workflows/docker-hub-<namespace>-<name>.yml; a Bitbucket repository gets one
bitbucket-pipelines.yml for all its builds. The same input gives the same bytes. No secret value is written.

Examples:
  $ sourcelinks builds render sourcelinks.yaml --out rendered/`,
    )
    .action(async (files: string[], options: { out: string }) => finish(await runBuildRender(files, options.out, io)));
}
