/** The official actions the rendered workflows use, each pinned by its current major version. */
export const ACTIONS = {
  githubScript: "actions/github-script@v9",
  checkout: "actions/checkout@v6",
  setupBuildx: "docker/setup-buildx-action@v4",
  login: "docker/login-action@v4",
  buildPush: "docker/build-push-action@v7",
} as const;

/** The hook scripts autobuilds ran from `hooks/` next to the Dockerfile, in the order of a build. */
export const HOOKS = ["post_checkout", "pre_build", "post_build", "pre_test", "post_test", "pre_push", "post_push"] as const;

/** Docker Hub's registry host as autobuilds named it in `DOCKER_REPO`. */
export const DOCKER_REGISTRY = "index.docker.io";
