/**
 * What a replacement build proposes in each source repository: the CI file `builds render` writes, on
 * which branch, with which pull request text, and the CI secrets it needs (names and the env vars that
 * hold their values where `apply` runs). Pure: the declaration in, one target per rendered file out.
 */
import type { BuildSpec } from "../model/build-spec.js";
import type { ProviderKind } from "../model/spec.js";
import { proposalCommitMessage } from "./proposal-branch.js";
import { renderBuildFiles } from "./render.js";

/** Docker's migration guide, linked from every pull request. */
export const DOCKER_MIGRATION_GUIDE = "https://docs.docker.com/docker-hub/repos/manage/builds/migrate/";

/** The env vars the registry token is read from where `apply` runs (the CI secrets of the same names). */
export const REGISTRY_SECRETS: readonly { name: string; env: string }[] = [
  { name: "DOCKERHUB_USERNAME", env: "DOCKERHUB_USERNAME" },
  { name: "DOCKERHUB_TOKEN", env: "DOCKERHUB_TOKEN" },
];

/** One CI secret a replacement needs: its name in CI and the env var holding its value here. */
export interface ProposalSecret {
  name: string;
  env: string;
}

/** One rendered CI file to propose in its repository. */
export interface ProposalTarget {
  provider: ProviderKind;
  repository: string;
  /** The file's path in the repository. */
  path: string;
  /** The file's text, byte for byte what `builds render` writes. */
  text: string;
  /** The images the file builds. */
  images: string[];
  branch: string;
  title: string;
  body: string;
  /** The message of the commit that writes the file, with the trailer that marks it sourcelinks' own. */
  message: string;
  secrets: ProposalSecret[];
  secretScope: "repository" | "organization";
  /** The links these builds replace (a revocation waits for them). */
  links: string[];
  /** The branches other than the default one whose runs verify these builds (`verify.branch`), each once. */
  verifyBranches: string[];
}

/** The proposal of every rendered file of `builds`, in `builds render`'s order. */
export function proposalTargets(builds: readonly BuildSpec[]): ProposalTarget[] {
  const groups: BuildSpec[][] = [];
  const bitbucket = new Map<string, BuildSpec[]>();
  for (const build of builds) {
    if (build.provider === "github") groups.push([build]);
    else {
      const key = build.repository.toLowerCase();
      const group = bitbucket.get(key);
      if (group) group.push(build);
      else bitbucket.set(key, [build]);
    }
  }
  groups.push(...bitbucket.values());
  return groups
    .map(target)
    .sort((a, b) => (`${a.provider}/${a.repository}/${a.path}` < `${b.provider}/${b.repository}/${b.path}` ? -1 : 1));
}

function target(group: BuildSpec[]): ProposalTarget {
  const first = group[0]!;
  const [file] = renderBuildFiles(group);
  const prefix = `${first.provider}/${first.repository}/`;
  const path = file!.path.slice(prefix.length);
  const name = path
    .split("/")
    .pop()!
    .replace(/\.ya?ml$/, "");
  const images = group.map((b) => b.image);
  const ci = first.provider === "github" ? "GitHub Actions" : "Bitbucket Pipelines";
  return {
    provider: first.provider,
    repository: first.repository,
    path,
    text: file!.text,
    images,
    branch: group.find((b) => b.proposal?.branch !== undefined)?.proposal?.branch ?? `sourcelinks/${name}`,
    title: `Build ${images.join(", ")} with ${ci} (replacing Docker Hub autobuilds)`,
    body: pullRequestBody(group, path, ci),
    message: proposalCommitMessage(`Build ${images.join(", ")} with ${ci}, by the autobuild rules it replaces`),
    secrets: secretsOf(group),
    secretScope: first.secretScope,
    links: [...new Set(group.flatMap((b) => (b.link === undefined ? [] : [b.link])))],
    verifyBranches: [...new Set(group.flatMap((b) => (b.verify === undefined ? [] : [b.verify.branch])))],
  };
}

/** Registry token (unless every build logs in with OIDC) and declared secrets, each name once. */
function secretsOf(group: BuildSpec[]): ProposalSecret[] {
  const out = new Map<string, string>();
  if (group.some((b) => b.registry.login === "token")) for (const s of REGISTRY_SECRETS) out.set(s.name, s.env);
  for (const build of group) for (const [name, env] of Object.entries(build.secrets)) if (!out.has(name)) out.set(name, env);
  return [...out].map(([name, env]) => ({ name, env }));
}

/** A table cell: code, with the characters that would end the cell or the span escaped. */
function cell(text: string): string {
  return `\`${text.replace(/\|/g, "\\|").replace(/`/g, "'")}\``;
}

function pullRequestBody(group: BuildSpec[], path: string, ci: string): string {
  const lines = [
    `This pull request adds \`${path}\`, which builds and pushes ${group.map((b) => `\`${b.image}\``).join(", ")} with ${ci} by the same rules Docker Hub's autobuilds used, so the autobuild link can be revoked without a gap in the images.`,
    "",
  ];
  for (const build of group) {
    lines.push(
      `### ${build.image}`,
      "",
      "| # | Source type | Source | Docker tag | Dockerfile | Build context | Pushed |",
      "|---|---|---|---|---|---|---|",
    );
    build.rules.forEach((rule, i) => {
      lines.push(
        `| ${i + 1} | ${rule.sourceType} | ${cell(rule.source)} | ${cell(rule.tag)} | ${cell(rule.dockerfile)} | ${cell(rule.context)} | ${rule.autobuild ? "yes" : "no (built and tested)"} |`,
      );
    });
    lines.push("", `Autotest: ${build.autotest}. Registry login: ${build.registry.login}.`, "");
  }
  lines.push(
    "How the rules apply, as on Docker Hub: a branch rule reads branches and a tag rule tags; a `/…/` source is a regular expression whose groups fill `{\\1}`…`{\\9}` in the tag, and `{sourceref}` is the whole branch or tag name. Every matching rule builds, in order; hooks in `hooks/` next to the Dockerfile and `*.test.yml` tests run as they did.",
    "",
    `The secrets it reads (${
      secretsOf(group)
        .map((s) => `\`${s.name}\``)
        .join(", ") || "none"
    }) are set by sourcelinks; no value is in the file.`,
    "",
    `Docker's guide to this migration: ${DOCKER_MIGRATION_GUIDE}`,
  );
  return lines.join("\n");
}
