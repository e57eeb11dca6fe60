/**
 * The Bitbucket Pipelines file that replaces a repository's autobuilds: `branches`, `tags` and
 * `pull-requests` sections (exact names where every rule is literal, a catch-all where a rule is a
 * regex), each step opening with the gate (router.ts) that applies Docker's rules, then the same
 * phases, variables, hooks and tests as the GitHub workflow, on the Docker service. One file per
 * repository, so every build of the repository is a step of it.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CI files are made of `${{ … }}` expressions and shell `${VAR}`, written as plain strings on purpose
import { stringify } from "yaml";
import type { BuildSpec } from "../model/build-spec.js";
import { DOCKER_REGISTRY } from "./actions.js";
import type { RuleTable } from "./matcher.js";
import { byCodeUnits } from "./order.js";
import { bitbucketGate } from "./router.js";

/** The image the steps run in: Node runs the gate; docker-cli-compose runs `*.test.yml` (the Docker service mounts the CLI). */
export const PIPELINE_IMAGE = "node:24-alpine";

/** Characters Bitbucket's branch and tag globs read as patterns. */
const GLOB_SPECIAL = /[*?[\]{}!\\]/;

/** A build and its rule table. */
export interface TabledBuild {
  build: BuildSpec;
  table: RuleTable;
}

/** A value quoted for POSIX sh. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The section keys a set of rules needs: exact names, or `**` when a rule is a regex (the gate decides). */
function sectionKeys(tables: readonly RuleTable[], sourceType: "branch" | "tag"): string[] {
  const rows = tables.flatMap((t) => t.rules.filter((r) => r.sourceType === sourceType));
  if (rows.length === 0) return [];
  if (rows.some((r) => r.regex || GLOB_SPECIAL.test(r.source))) return ["**"];
  return [...new Set(rows.map((r) => r.source))].sort();
}

/** The script that runs each build the gate selected, through the autobuild phases. */
function runScript(build: BuildSpec): string {
  const repo = `${DOCKER_REGISTRY}/${build.image}`;
  const env = Object.entries(build.env)
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  return [
    "set -eu",
    ...env,
    `export DOCKER_REPO=${shellQuote(repo)}`,
    'export SOURCE_BRANCH="${BITBUCKET_BRANCH:-${BITBUCKET_TAG:-}}"',
    'export SOURCE_COMMIT="$(git rev-parse HEAD)"',
    'export COMMIT_MSG="$(git log -1 --format=%B)"',
    'root="$(pwd)"',
    "hook() {",
    '  if [ -f "$root/$hooks/$1" ]; then (cd "$root/$context" && if [ -x "$root/$hooks/$1" ]; then "$root/$hooks/$1"; else sh "$root/$hooks/$1"; fi); fi',
    "}",
    'node -e \'for (const b of JSON.parse(process.env.SOURCELINKS_BUILDS)) console.log(b.rule, b.push, b.dockerfile, b.context, require("path").posix.relative(b.context, b.dockerfile), b.tags.join(","))\' > "${TMPDIR:-/tmp}/sourcelinks-builds.txt"',
    // The builds are read on fd 3: docker compose and the hooks may read standard input.
    "while read -r rule push dockerfile context DOCKERFILE_PATH tags <&3; do",
    '  echo "Rule $rule: $tags"',
    '  hooks="$(dirname "$dockerfile")/hooks"',
    '  export DOCKERFILE_PATH DOCKER_TAG="${tags%%,*}"',
    '  export IMAGE_NAME="$DOCKER_REPO:$DOCKER_TAG"',
    "  hook post_checkout",
    "  hook pre_build",
    '  if [ -f "$hooks/build" ]; then hook build; else',
    '    set -- ; for tag in $(echo "$tags" | tr "," " "); do set -- "$@" -t "$DOCKER_REPO:$tag"; done',
    '    docker build -f "$dockerfile" "$@" "$context"',
    "  fi",
    "  hook post_build",
    "  hook pre_test",
    '  if [ -f "$hooks/test" ]; then hook test; else',
    '    for file in "$(dirname "$dockerfile")"/*.test.yml; do',
    '      [ -f "$file" ] || continue',
    '      project="sut_${BITBUCKET_BUILD_NUMBER:-0}"',
    '      docker compose -f "$file" -p "$project" build',
    '      status=0; docker compose -f "$file" -p "$project" run --rm sut || status=$?',
    '      docker compose -f "$file" -p "$project" down --volumes --remove-orphans || true',
    '      [ "$status" -eq 0 ] || { echo "$file: the sut service failed (exit $status); the image is not pushed"; exit "$status"; }',
    "    done",
    "  fi",
    "  hook post_test",
    '  if [ "$push" = true ]; then',
    "    hook pre_push",
    '    if [ -f "$hooks/push" ]; then hook push; else',
    '      for tag in $(echo "$tags" | tr "," " "); do docker tag "$IMAGE_NAME" "$DOCKER_REPO:$tag"; docker push "$DOCKER_REPO:$tag"; done',
    "    fi",
    "    hook post_push",
    "  fi",
    'done 3< "${TMPDIR:-/tmp}/sourcelinks-builds.txt"',
  ].join("\n");
}

/** One step: install the tools, gate, log in (secured variables), run the selected builds. */
function step(entry: TabledBuild): Record<string, unknown> {
  const { build, table } = entry;
  const cache = build.rules.some((r) => r.cache);
  return {
    step: {
      name: `Docker Hub autobuild ${build.image}`,
      services: ["docker"],
      ...(cache ? { caches: ["docker"] } : {}),
      script: [
        "apk add --no-cache git docker-cli-compose",
        bitbucketGate(table),
        'if [ "$SOURCELINKS_BUILDS" = "[]" ]; then echo "No build rule of ' + build.image + ' matches this ref."; exit 0; fi',
        'if [ -z "${BITBUCKET_PR_ID:-}" ]; then echo "$DOCKERHUB_TOKEN" | docker login --username "$DOCKERHUB_USERNAME" --password-stdin; fi',
        runScript(build),
      ],
    },
  };
}

/** The `bitbucket-pipelines.yml` text for the builds of one repository. */
export function renderPipelines(entries: readonly TabledBuild[]): string {
  const sorted = [...entries].sort((a, b) => byCodeUnits(a.build.image, b.build.image));
  const pipelines: Record<string, Record<string, unknown[]>> = {};
  // The same step objects in every section: the YAML names each once (an anchor) and refers to it after.
  const steps = sorted.map(step);
  for (const sourceType of ["branch", "tag"] as const) {
    const section: Record<string, unknown[]> = {};
    for (const key of sectionKeys(
      sorted.map((e) => e.table),
      sourceType,
    ))
      section[key] = steps;
    if (Object.keys(section).length > 0) pipelines[sourceType === "branch" ? "branches" : "tags"] = section;
  }
  const autotested = sorted.filter((e) => e.build.autotest !== "off" && e.table.rules.some((r) => r.sourceType === "branch"));
  if (autotested.length > 0) pipelines["pull-requests"] = { "**": steps.filter((_, i) => autotested.includes(sorted[i]!)) };
  const images = sorted.map((e) => e.build.image).join(", ");
  const header =
    `# Rendered by sourcelinks (builds render) from the builds entries of ${images} (${sorted[0]?.build.repository ?? ""}): edit those entries and render again.\n` +
    "# Secured repository variables it reads: DOCKERHUB_USERNAME, DOCKERHUB_TOKEN" +
    [...new Set(sorted.flatMap((e) => Object.keys(e.build.secrets)))]
      .sort()
      .map((s) => `, ${s}`)
      .join("") +
    ".\n";
  return header + stringify({ image: PIPELINE_IMAGE, pipelines }, { lineWidth: 0 });
}
