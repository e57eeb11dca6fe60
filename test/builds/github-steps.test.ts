/**
 * The shell of a rendered workflow's build job, run with bash the way the runner runs `run:` steps
 * (GITHUB_ENV and GITHUB_OUTPUT files, the step's env, its working-directory), in a real git
 * repository with `docker` replaced by a recorder: the variables autobuilds set, hook detection,
 * hooks run in the context, the sut tests, and the push of every tag.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { render, scratch, writeConfig } from "./builds-harness.js";

const CONFIG = `apiVersion: sourcelinks/v1
builds:
  - image: acme/api
    provider: github
    repository: acme/api
    rules:
      - { sourceType: tag, source: '/^v([0-9]+)\\.([0-9]+)$/', tag: '{\\1}.{\\2},{\\1}', dockerfile: docker/Dockerfile, context: '' }
`;

interface Step {
  name: string;
  id?: string;
  if?: string;
  env?: Record<string, string>;
  run?: string;
  "working-directory"?: string;
}

function executable(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, "utf8");
  chmodSync(path, 0o755);
}

/** The build job's steps of the rendered workflow. */
async function buildSteps(dir: string): Promise<Step[]> {
  const files = await render(writeConfig(dir, "builds.yaml", CONFIG), join(dir, "out"));
  const workflow = parse(files.get("github/acme/api/.github/workflows/docker-hub-acme-api.yml") ?? "") as {
    jobs: { build: { steps: Step[] } };
  };
  return workflow.jobs.build.steps;
}

/** What the matrix and job env give a step for the build of tag v2.4 (rule 1). */
const MATRIX_ENV: Record<string, string> = {
  DOCKER_REPO: "index.docker.io/acme/api",
  SOURCE_BRANCH: "v2.4",
  DOCKER_TAG: "2.4",
  IMAGE_NAME: "index.docker.io/acme/api:2.4",
};
/** `${{ matrix.build.* }}` as the runner would fill it for that build. */
const MATRIX: Record<string, string> = {
  "${{ matrix.build.dockerfile }}": "docker/Dockerfile",
  "${{ matrix.build.context }}": "docker",
  "${{ join(matrix.build.tags, ' ') }}": "2.4 2",
};

/** Reads a GITHUB_ENV / GITHUB_OUTPUT file (NAME=value lines and NAME<<DELIMITER blocks). */
function readCommandFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(path, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heredoc = /^([A-Za-z_][A-Za-z0-9_-]*)<<(.+)$/.exec(line);
    if (heredoc !== null) {
      const end = lines.indexOf(heredoc[2] ?? "", i + 1);
      out[heredoc[1] ?? ""] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
  }
  return out;
}

describe("a rendered workflow's build job, its run steps run with bash", () => {
  it("sets autobuild's variables, finds the hooks, runs them in the context, tests every *.test.yml, and pushes every tag", async () => {
    const dir = scratch();
    const repo = join(dir, "repo");
    mkdirSync(join(repo, "docker"), { recursive: true });
    writeFileSync(join(repo, "docker/Dockerfile"), "FROM scratch\n");
    writeFileSync(join(repo, "docker/a.test.yml"), "services:\n  sut:\n    build: .\n");
    writeFileSync(join(repo, "docker/b.test.yml"), "services:\n  sut:\n    build: .\n");
    executable(
      join(repo, "docker/hooks/pre_build"),
      '#!/bin/sh\necho "pre_build cwd=$(basename "$PWD") file=$DOCKERFILE_PATH image=$IMAGE_NAME msg=$(echo "$COMMIT_MSG" | head -n 1)" >> "$LOG"\n',
    );
    executable(join(repo, "docker/hooks/push"), "#!/bin/sh\nexit 0\n");
    const git = (...args: string[]): void => {
      const env = {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.com",
      };
      expect(spawnSync("git", args, { cwd: repo, env }).status).toBe(0);
    };
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "First line\n\nSecond paragraph");
    const bin = join(dir, "bin");
    executable(join(bin, "docker"), '#!/bin/sh\necho "docker $*" >> "$LOG"\n');
    const log = join(dir, "log.txt");
    const githubEnv = join(dir, "github-env");
    const githubOutput = join(dir, "github-output");
    for (const file of [log, githubEnv, githubOutput]) writeFileSync(file, "");

    const steps = await buildSteps(dir);
    /** Runs one step's `run` as the runner does: bash, the step env, GITHUB_ENV's values so far. */
    const run = (name: string): number | null => {
      const step = steps.find((s) => s.name === name);
      if (step?.run === undefined) throw new Error(`no run step ${name}`);
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, MATRIX[v] ?? v]));
      const cwd = join(repo, MATRIX[step["working-directory"] ?? ""] ?? "");
      const env = {
        PATH: `${bin}:/usr/bin:/bin`,
        LOG: log,
        GITHUB_ENV: githubEnv,
        GITHUB_OUTPUT: githubOutput,
        GITHUB_WORKSPACE: repo,
        GITHUB_RUN_ID: "42",
        ...MATRIX_ENV,
        ...readCommandFile(githubEnv),
        ...stepEnv,
      };
      return spawnSync("bash", ["-e", "-c", step.run], { cwd, env }).status;
    };

    expect(run("Autobuild variables")).toBe(0);
    const variables = readCommandFile(githubEnv);
    expect(variables["SOURCE_COMMIT"]).toMatch(/^[0-9a-f]{40}$/);
    expect(variables["COMMIT_MSG"]).toBe("First line\n\nSecond paragraph\n");
    expect(variables["DOCKERFILE_PATH"]).toBe("Dockerfile");
    expect(variables["SOURCELINKS_HOOKS"]).toBe("docker/hooks");
    expect(variables["SOURCELINKS_IMAGE_TAGS"]).toBe("index.docker.io/acme/api:2.4\nindex.docker.io/acme/api:2");
    expect(readCommandFile(githubOutput)).toEqual({ "build-hook": "false", "test-hook": "false", "push-hook": "true" });

    expect(run("Hook pre_build (when the repository has hooks/pre_build)")).toBe(0);
    expect(run("Hook post_build (when the repository has hooks/post_build)")).toBe(0);
    expect(run("Test: the sut service of each *.test.yml next to the Dockerfile")).toBe(0);
    expect(run("Push")).toBe(0);
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([
      "pre_build cwd=docker file=Dockerfile image=index.docker.io/acme/api:2.4 msg=First line",
      "docker compose -f docker/a.test.yml -p sut1_42 build",
      "docker compose -f docker/a.test.yml -p sut1_42 run --rm sut",
      "docker compose -f docker/a.test.yml -p sut1_42 down --volumes --remove-orphans",
      "docker compose -f docker/b.test.yml -p sut2_42 build",
      "docker compose -f docker/b.test.yml -p sut2_42 run --rm sut",
      "docker compose -f docker/b.test.yml -p sut2_42 down --volumes --remove-orphans",
      "docker push index.docker.io/acme/api:2.4",
      "docker tag index.docker.io/acme/api:2.4 index.docker.io/acme/api:2",
      "docker push index.docker.io/acme/api:2",
    ]);
    // hooks/push exists, so the push step is skipped and the hook step runs instead.
    expect(steps.find((s) => s.name === "Push")?.if).toContain("steps.autobuild.outputs.push-hook != 'true'");
    expect(steps.find((s) => s.name === "Push with hooks/push (replaces the push)")?.if).toContain(
      "steps.autobuild.outputs.push-hook == 'true'",
    );
  });
});
