/**
 * The GitHub Actions workflow that replaces one autobuild: broad triggers, one router step that
 * applies Docker's build rules to the event (router.ts), then per matching build the phases an
 * autobuild ran (checkout, hooks, build or `hooks/build`, `*.test.yml` tests or `hooks/test`, push
 * or `hooks/push`), with the variables autobuilds set. Pure: the YAML text is a function of the spec.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CI files are made of `${{ … }}` expressions and shell `${VAR}`, written as plain strings on purpose
import { stringify } from "yaml";
import type { BuildSpec } from "../model/build-spec.js";
import { ACTIONS, DOCKER_REGISTRY, HOOKS } from "./actions.js";
import type { RuleTable } from "./matcher.js";
import { byCodeUnits } from "./order.js";
import { routerScript } from "./router.js";

/** Characters GitHub's branch and tag filters read as patterns, and `${`, which GitHub might read as an expression. */
const FILTER_SPECIAL = /[*?+[\]!\\]|\$\{/;

/** The workflow's file name in `.github/workflows/`. */
export function workflowFileName(build: BuildSpec): string {
  return `docker-hub-${build.image.replace(/[^a-z0-9_.-]/g, "-")}.yml`;
}

/** The filter list of one event: exact names, or every ref when a rule needs a regex (the router decides). */
function filters(table: RuleTable, sourceType: "branch" | "tag"): string[] | undefined {
  const rows = table.rules.filter((r) => r.sourceType === sourceType);
  if (rows.length === 0) return undefined;
  if (rows.some((r) => r.regex || FILTER_SPECIAL.test(r.source))) return ["**"];
  return [...new Set(rows.map((r) => r.source))];
}

/** A step that runs `hooks/NAME` next to the Dockerfile when the repository has it, in the build context. */
function hookStep(
  name: string,
  condition?: string,
  title = `Hook ${name} (when the repository has hooks/${name})`,
): Record<string, unknown> {
  return {
    name: title,
    ...(condition === undefined ? {} : { if: condition }),
    "working-directory": "${{ matrix.build.context }}",
    run: `hook="$GITHUB_WORKSPACE/$SOURCELINKS_HOOKS/${name}"\nif [ -f "$hook" ]; then if [ -x "$hook" ]; then "$hook"; else bash "$hook"; fi; fi\n`,
  };
}

/** The workflow's YAML text. */
export function renderWorkflow(build: BuildSpec, table: RuleTable): string {
  const repo = `${DOCKER_REGISTRY}/${build.image}`;
  const branches = filters(table, "branch");
  const tags = filters(table, "tag");
  const on: Record<string, unknown> = {
    push: { ...(branches === undefined ? {} : { branches }), ...(tags === undefined ? {} : { tags }) },
  };
  if (build.autotest !== "off" && branches !== undefined) on["pull_request"] = { branches };
  const cached = build.rules.flatMap((rule, i) => (rule.cache ? [i + 1] : []));
  const oidc = build.registry.login === "oidc";
  const pushes = "matrix.build.push";
  const sameRepository = "(github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository)";

  const env: Record<string, string> = {
    SOURCE_BRANCH: "${{ github.head_ref || github.ref_name }}",
    DOCKER_REPO: repo,
    DOCKER_TAG: "${{ matrix.build.tags[0] }}",
    IMAGE_NAME: `${repo}:\${{ matrix.build.tags[0] }}`,
  };
  for (const [name, value] of Object.entries(build.env).sort(([a], [b]) => byCodeUnits(a, b))) env[name] = value;
  for (const name of Object.keys(build.secrets).sort()) env[name] = `\${{ secrets.${name} }}`;

  const login: Record<string, unknown> = oidc
    ? {
        name: "Log in to Docker Hub (OIDC connection, no stored token)",
        if: sameRepository,
        uses: ACTIONS.login,
        env: { DOCKERHUB_OIDC_CONNECTIONID: "${{ vars.DOCKERHUB_OIDC_CONNECTIONID }}" },
        with: { username: build.image.split("/")[0] },
      }
    : {
        name: "Log in to Docker Hub",
        if: sameRepository,
        uses: ACTIONS.login,
        with: { username: "${{ secrets.DOCKERHUB_USERNAME }}", password: "${{ secrets.DOCKERHUB_TOKEN }}" },
      };

  const cacheFlag = `contains(fromJSON('${JSON.stringify(cached)}'), matrix.build.rule)`;
  const buildStep: Record<string, unknown> = {
    name: "Build (docker build, as autobuilds ran it)",
    if: "steps.autobuild.outputs.build-hook != 'true'",
    uses: ACTIONS.buildPush,
    with: {
      context: "${{ matrix.build.context }}",
      file: "${{ matrix.build.dockerfile }}",
      load: true,
      push: false,
      tags: "${{ env.SOURCELINKS_IMAGE_TAGS }}",
      ...(cached.length === 0
        ? {}
        : { "cache-from": `\${{ ${cacheFlag} && 'type=gha' || '' }}`, "cache-to": `\${{ ${cacheFlag} && 'type=gha,mode=max' || '' }}` }),
    },
  };

  const workflow = {
    name: `Docker Hub autobuild ${build.image}`,
    on,
    permissions: {},
    concurrency: {
      group: `docker-hub-${build.image.replace("/", "-")}-\${{ github.ref }}`,
      "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
    },
    jobs: {
      rules: {
        name: "Docker's build rules",
        "runs-on": "ubuntu-latest",
        permissions: {},
        outputs: { builds: "${{ steps.autobuild-rules.outputs.builds }}" },
        steps: [
          {
            id: "autobuild-rules",
            name: "Match the ref against the build rules",
            uses: ACTIONS.githubScript,
            with: { script: routerScript(table, build.image) },
          },
        ],
      },
      build: {
        name: "Rule ${{ matrix.build.rule }}: ${{ join(matrix.build.tags, ', ') }}",
        needs: "rules",
        if: "needs.rules.outputs.builds != '[]'",
        "runs-on": "ubuntu-latest",
        permissions: oidc ? { contents: "read", "id-token": "write" } : { contents: "read" },
        strategy: { "fail-fast": false, matrix: { build: "${{ fromJSON(needs.rules.outputs.builds) }}" } },
        env,
        steps: [
          { name: "Check out", uses: ACTIONS.checkout, with: { "persist-credentials": false } },
          {
            name: "Autobuild variables",
            id: "autobuild",
            env: {
              DOCKERFILE: "${{ matrix.build.dockerfile }}",
              CONTEXT: "${{ matrix.build.context }}",
              TAGS: "${{ join(matrix.build.tags, ' ') }}",
            },
            run: [
              "delimiter=\"sourcelinks_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \\n')\"",
              "{",
              '  echo "SOURCE_COMMIT=$(git rev-parse HEAD)"',
              '  echo "COMMIT_MSG<<$delimiter"; git log -1 --format=%B; echo "$delimiter"',
              '  echo "DOCKERFILE_PATH=$(realpath -m --relative-to="$CONTEXT" "$DOCKERFILE")"',
              '  echo "SOURCELINKS_HOOKS=$(dirname "$DOCKERFILE")/hooks"',
              '  echo "SOURCELINKS_IMAGE_TAGS<<$delimiter"; for tag in $TAGS; do echo "$DOCKER_REPO:$tag"; done; echo "$delimiter"',
              '} >> "$GITHUB_ENV"',
              "for hook in build test push; do",
              '  if [ -f "$(dirname "$DOCKERFILE")/hooks/$hook" ]; then echo "$hook-hook=true"; else echo "$hook-hook=false"; fi',
              'done >> "$GITHUB_OUTPUT"',
              "",
            ].join("\n"),
          },
          { name: "Set up Buildx", uses: ACTIONS.setupBuildx },
          login,
          hookStep(HOOKS[0]),
          hookStep(HOOKS[1]),
          buildStep,
          hookStep("build", "steps.autobuild.outputs.build-hook == 'true'", "Build with hooks/build (replaces the build)"),
          hookStep(HOOKS[2]),
          hookStep(HOOKS[3]),
          {
            name: "Test: the sut service of each *.test.yml next to the Dockerfile",
            if: "steps.autobuild.outputs.test-hook != 'true'",
            env: { DOCKERFILE: "${{ matrix.build.dockerfile }}" },
            run: [
              'dir="$(dirname "$DOCKERFILE")"',
              "n=0",
              'for file in "$dir"/*.test.yml; do',
              '  [ -f "$file" ] || continue',
              "  n=$((n + 1))",
              '  project="sut${n}_${GITHUB_RUN_ID}"',
              "  status=0",
              '  docker compose -f "$file" -p "$project" build && docker compose -f "$file" -p "$project" run --rm sut || status=$?',
              '  docker compose -f "$file" -p "$project" down --volumes --remove-orphans || true',
              '  [ "$status" -eq 0 ] || { echo "::error::$file: the sut service failed (exit $status); the image is not pushed"; exit "$status"; }',
              "done",
              "",
            ].join("\n"),
          },
          hookStep("test", "steps.autobuild.outputs.test-hook == 'true'", "Test with hooks/test (replaces the tests)"),
          hookStep(HOOKS[4]),
          hookStep(HOOKS[5], pushes),
          {
            name: "Push",
            if: `${pushes} && steps.autobuild.outputs.push-hook != 'true'`,
            run: 'for name in $SOURCELINKS_IMAGE_TAGS; do\n  [ "$name" = "$IMAGE_NAME" ] || docker tag "$IMAGE_NAME" "$name"\n  docker push "$name"\ndone\n',
          },
          hookStep("push", `${pushes} && steps.autobuild.outputs.push-hook == 'true'`, "Push with hooks/push (replaces the push)"),
          hookStep(HOOKS[6], pushes),
        ],
      },
    },
  };
  const header = `# Rendered by sourcelinks (builds render) from the builds entry of ${build.image} (${build.repository}): edit that entry and render again.\n`;
  return header + stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false });
}
