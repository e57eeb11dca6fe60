/**
 * A rendered Bitbucket step run end to end with sh, in a real git repository, with `docker` and `apk`
 * replaced by recorders: the variables autobuilds set reach the hooks, `hooks/push` replaces the push,
 * a failing `*.test.yml` sut stops the push, and a rule with autobuild: false never pushes.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { render, scratch, writeConfig } from "./builds-harness.js";

const CONFIG = `apiVersion: sourcelinks/v1
builds:
  - image: acme/mobile
    provider: bitbucket
    repository: acme-team/mobile
    rules:
      - { sourceType: tag, source: '/^v([0-9]+)\\.([0-9]+)$/', tag: '{\\1}.{\\2},{\\1}', dockerfile: Dockerfile, context: app }
      - { sourceType: branch, source: main, tag: edge, dockerfile: Dockerfile, context: app, autobuild: false }
    env: { FLAVOR: "slim and 'quoted'" }
`;

/** Writes an executable file. */
function executable(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, "utf8");
  chmodSync(path, 0o755);
}

/** A repository with a Dockerfile in app/, hooks that record what they see, and a sut test file. */
function repository(dir: string, withPushHook: boolean): string {
  const repo = join(dir, "repo");
  mkdirSync(join(repo, "app"), { recursive: true });
  writeFileSync(join(repo, "app/Dockerfile"), "FROM scratch\n");
  writeFileSync(join(repo, "app/docker-compose.test.yml"), "services:\n  sut:\n    build: .\n");
  const record = (name: string): string =>
    `#!/bin/sh\necho "${name} cwd=$(basename "$(pwd)") branch=$SOURCE_BRANCH tag=$DOCKER_TAG image=$IMAGE_NAME repo=$DOCKER_REPO file=$DOCKERFILE_PATH flavor=$FLAVOR msg=$COMMIT_MSG commit=\${#SOURCE_COMMIT}" >> "$LOG"\n`;
  for (const hook of ["post_checkout", "pre_build", "post_build", "pre_test", "post_test", "pre_push", "post_push"])
    executable(join(repo, "app/hooks", hook), record(hook));
  if (withPushHook) executable(join(repo, "app/hooks/push"), record("push-hook"));
  const git = (...args: string[]): void => {
    const run = spawnSync("git", args, {
      cwd: repo,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.com",
      },
    });
    if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr.toString()}`);
  };
  git("init", "-q");
  git("add", ".");
  git("commit", "-q", "-m", "Release it");
  return repo;
}

/** Runs the step's whole script with sh in `repo`; docker and apk record their arguments in LOG. */
function runStep(script: string[], repo: string, dir: string, variables: Record<string, string>): { status: number | null; log: string[] } {
  const bin = join(dir, "bin");
  executable(join(bin, "apk"), "#!/bin/sh\nexit 0\n");
  // `docker compose … run … sut` fails when SUT_FAILS is set, as a failing test would.
  executable(
    join(bin, "docker"),
    `#!/bin/sh\necho "docker $*" >> "$LOG"\ncase "$*" in *" run "*sut*) [ -z "\${SUT_FAILS:-}" ] || exit 3;; esac\nexit 0\n`,
  );
  const log = join(dir, "log.txt");
  writeFileSync(log, "");
  const env = {
    PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
    LOG: log,
    TMPDIR: dir,
    DOCKERHUB_USERNAME: "acme",
    DOCKERHUB_TOKEN: "token-value",
    ...variables,
  };
  const run = spawnSync("sh", ["-c", script.join("\n")], { cwd: repo, env, encoding: "utf8" });
  return { status: run.status, log: readFileSync(log, "utf8").trim().split("\n") };
}

async function stepScript(dir: string): Promise<string[]> {
  const files = await render(writeConfig(dir, "builds.yaml", CONFIG), join(dir, "out"));
  const file = parse(files.get("bitbucket/acme-team/mobile/bitbucket-pipelines.yml") ?? "") as {
    pipelines: { tags: Record<string, { step: { script: string[] } }[]> };
  };
  const script = file.pipelines.tags["**"]?.[0]?.step.script;
  if (script === undefined) throw new Error("no tag step");
  return script;
}

describe("a rendered Bitbucket step, run with sh", () => {
  it("builds every tag, runs the hooks in the context with autobuild's variables, tests, then pushes", async () => {
    const dir = scratch();
    const repo = repository(dir, false);
    const { status, log } = runStep(await stepScript(dir), repo, dir, { BITBUCKET_TAG: "v2.4" });
    expect(status).toBe(0);
    const seen =
      "cwd=app branch=v2.4 tag=2.4 image=index.docker.io/acme/mobile:2.4 repo=index.docker.io/acme/mobile file=Dockerfile flavor=slim and 'quoted' msg=Release it commit=40";
    expect(log).toEqual([
      "docker login --username acme --password-stdin",
      `post_checkout ${seen}`,
      `pre_build ${seen}`,
      "docker build -f app/Dockerfile -t index.docker.io/acme/mobile:2.4 -t index.docker.io/acme/mobile:2 app",
      `post_build ${seen}`,
      `pre_test ${seen}`,
      "docker compose -f app/docker-compose.test.yml -p sut_0 build",
      "docker compose -f app/docker-compose.test.yml -p sut_0 run --rm sut",
      "docker compose -f app/docker-compose.test.yml -p sut_0 down --volumes --remove-orphans",
      `post_test ${seen}`,
      `pre_push ${seen}`,
      "docker tag index.docker.io/acme/mobile:2.4 index.docker.io/acme/mobile:2.4",
      "docker push index.docker.io/acme/mobile:2.4",
      "docker tag index.docker.io/acme/mobile:2.4 index.docker.io/acme/mobile:2",
      "docker push index.docker.io/acme/mobile:2",
      `post_push ${seen}`,
    ]);
  });

  it("lets hooks/push replace the push", async () => {
    const dir = scratch();
    const repo = repository(dir, true);
    const { status, log } = runStep(await stepScript(dir), repo, dir, { BITBUCKET_TAG: "v2.4" });
    expect(status).toBe(0);
    expect(log.some((l) => l.startsWith("push-hook cwd=app branch=v2.4 tag=2.4"))).toBe(true);
    expect(log.filter((l) => l.startsWith("docker push"))).toEqual([]);
  });

  it("stops before the push when the sut service fails", async () => {
    const dir = scratch();
    const repo = repository(dir, false);
    const { status, log } = runStep(await stepScript(dir), repo, dir, { BITBUCKET_TAG: "v2.4", SUT_FAILS: "1" });
    expect(status).toBe(3);
    expect(log.at(-1)).toBe("docker compose -f app/docker-compose.test.yml -p sut_0 down --volumes --remove-orphans");
    expect(log.filter((l) => l.startsWith("docker push") || l.startsWith("pre_push"))).toEqual([]);
  });

  it("builds and tests a rule with autobuild: false without pushing, and does nothing for a ref no rule matches", async () => {
    const dir = scratch();
    const repo = repository(dir, false);
    const script = await stepScript(dir);
    const main = runStep(script, repo, dir, { BITBUCKET_BRANCH: "main" });
    expect(main.status).toBe(0);
    expect(main.log).toContain("docker build -f app/Dockerfile -t index.docker.io/acme/mobile:edge app");
    expect(main.log.filter((l) => /^(docker push|docker tag|pre_push|post_push)/.test(l))).toEqual([]);
    const other = runStep(script, repo, dir, { BITBUCKET_BRANCH: "develop" });
    expect(other).toEqual({ status: 0, log: [""] });
  });
});
