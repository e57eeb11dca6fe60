/**
 * The repository root that CI annotations and SARIF name files relative to: the git top level of the
 * working directory (`git rev-parse --show-toplevel`), so a run from a subfolder still names
 * `sourcelinks/prod.yaml` as code scanning and GitHub's annotations know it. The working directory
 * itself outside a git repository, or when git is not installed.
 */
import { execFile } from "node:child_process";
import { isAbsolute, relative, resolve, sep } from "node:path";

/** The git top level of `cwd`, or `cwd` when it is not inside a git work tree. */
export function repositoryRoot(cwd: string): Promise<string> {
  return new Promise((done) => {
    execFile("git", ["rev-parse", "--show-toplevel"], { cwd, timeout: 10_000 }, (error, stdout) => {
      // Not a repository, or no git: both mean "no root above cwd", which is a normal case, not a failure.
      done(error === null && stdout.trim() !== "" ? stdout.trim() : cwd);
    });
  });
}

/** `file` (as given on the command line, relative to `cwd`) relative to `root`, with `/`; undefined when outside `root`. */
export function pathFromRoot(file: string, cwd: string, root: string): string | undefined {
  const rel = relative(root, isAbsolute(file) ? file : resolve(cwd, file));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}
