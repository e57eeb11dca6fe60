/**
 * A realistic retirement, constructed (no server): two build-service namespaces, links in every
 * state, sweeps of three owners with leftovers, orphans, an org's own hook and an archived
 * repository, manual steps open and recorded as done. The README's screenshot and the report's
 * rendering tests draw it; `scale` multiplies the swept repositories and orphans for size tests.
 */
import type { LinkSpec, OrgAccessSpec } from "../../engine/model/spec.js";
import type { SweepObservation, SweptArtifact } from "../../engine/model/sweep.js";
import type { ObservedLink, ObservedOrgAccess, ObservedRepository } from "../../engine/model/observed.js";
import type { ReportInput } from "../../cli/report/build.js";

const hook = (uuid: string): string => `https://cloud.docker.com/api/build/v1/vcs/${uuid}/trigger/call/`;

function repo(repository: string, hooks: number, keys: number, coveredBy: string[] = []): ObservedRepository {
  const seed = repository
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 8)
    .padEnd(8, "0");
  return {
    repository,
    exists: true,
    webhooks: Array.from({ length: hooks }, (_, i) => ({
      id: `${1000 + i}${repository.length}`,
      url: hook(`${seed}-${i}a1b-4c2d-8e3f-${seed}${i}0a1b2`),
      active: true,
      events: ["push"],
      hasSecret: true,
      insecureSsl: false,
      lastResponse: null,
    })),
    deployKeys: Array.from({ length: keys }, (_, i) => ({
      id: `${2000 + i}${repository.length}`,
      title: "Docker Hub Builder",
      readOnly: true,
    })),
    deployKeysListed: keys > 0,
    foreignWebhookCount: 1,
    coveredBy,
  };
}

function link(
  spec: Omit<LinkSpec, "serviceAccount" | "onRevoke">,
  observed: Partial<ObservedLink> & Pick<ObservedLink, "state" | "providerGrant" | "repositories">,
): { spec: LinkSpec; observed: ObservedLink } {
  const full: LinkSpec = { serviceAccount: true, onRevoke: { webhooks: "delete", deployKeys: "delete" }, ...spec };
  return {
    spec: full,
    observed: {
      name: spec.name,
      provider: spec.provider,
      namespace: spec.namespace,
      linkId: observed.state === "absent" ? null : String(4000 + spec.name.length),
      account: spec.account,
      team: spec.team ?? null,
      serviceAccount: true,
      pendingManualSteps: [],
      ...observed,
    },
  };
}

function org(
  org: string,
  access: "granted" | "denied",
  observed: ObservedOrgAccess["access"],
): { spec: OrgAccessSpec; observed: ObservedOrgAccess } {
  return {
    spec: { org, provider: "github", app: "github", access },
    observed: { org, provider: "github", app: "github", access: observed, observedVia: "build-service", pendingManualSteps: [] },
  };
}

function orphans(owner: string, count: number, archivedEvery = 0): SweptArtifact[] {
  return Array.from(
    { length: count },
    (_, i): SweptArtifact => ({
      kind: i % 3 === 2 ? "deploy-key" : "repository-webhook",
      provider: "github",
      owner,
      repository: `${owner}/service-${String(i).padStart(4, "0")}`,
      id: String(70000 + i),
      target:
        i % 3 === 2
          ? "Docker Hub Builder"
          : i % 3 === 1
            ? "https://registry.hub.docker.com/hooks/github"
            : hook(`0f${String(i).padStart(6, "0")}-77aa-4bbb-8ccc-${owner.slice(0, 4)}`),
      archived: archivedEvery > 0 && i % archivedEvery === archivedEvery - 1,
      classification: "orphaned",
      links: [],
    }),
  );
}

/** The sample's observations; `scale` multiplies the sweeps' size (1: a screenshot; 100: thousands of orphans). */
export function sampleReportInput(asOf = "2026-11-26", scale = 1): ReportInput {
  const links = [
    link(
      {
        name: "acme-builds",
        namespace: "acme",
        team: "ci",
        provider: "github",
        account: "acme-builder",
        state: "disabled",
        repositories: ["acme/api", "acme/web"],
      },
      { state: "disabled", providerGrant: "active", repositories: [repo("acme/api", 1, 1), repo("acme/web", 1, 0)] },
    ),
    link(
      {
        name: "legacy-builds",
        namespace: "acme",
        provider: "github",
        account: "legacy-builder",
        state: "revoked",
        repositories: ["acme/legacy-api", "acme/legacy-web", "acme/legacy-worker"],
        manualSteps: [{ id: "revoke-grant:github:legacy-builder", done: "2026-11-20", by: "jdoe" }],
      },
      {
        state: "revoked",
        providerGrant: "unverifiable",
        repositories: [repo("acme/legacy-api", 1, 1), repo("acme/legacy-web", 0, 0), repo("acme/legacy-worker", 1, 0)],
        manualStepsDoneByHand: [
          {
            step: {
              id: "revoke-grant:github:legacy-builder",
              summary: "Revoke the OAuth grant of Docker Hub Builder for legacy-builder",
              uiPath: "GitHub → Settings → Applications → Authorized OAuth Apps → Docker Hub Builder → Revoke",
              url: "https://github.com/settings/applications",
            },
            done: "2026-11-20",
            by: "jdoe",
          },
        ],
      },
    ),
    link(
      {
        name: "mobile-builds",
        namespace: "acme",
        provider: "bitbucket",
        account: "acme-bb-builder",
        state: "revoked",
        repositories: ["acme-team/mobile"],
      },
      { state: "absent", linkId: null, providerGrant: "revoked", repositories: [repo("acme-team/mobile", 0, 0)] },
    ),
    link(
      {
        name: "data-builds",
        namespace: "acme-data",
        provider: "github",
        account: "data-builder",
        state: "linked",
        repositories: ["acme-data/etl", "acme-data/models"],
      },
      {
        state: "linked",
        providerGrant: "active",
        repositories: [repo("acme-data/etl", 1, 1), repo("acme-data/models", 1, 1)],
        pendingManualSteps: [
          {
            id: "org-approve:github:acme-data",
            summary: "An owner of acme-data approves Docker Hub Builder for the org",
            uiPath: "GitHub → acme-data → Settings → Third-party access → Docker Hub Builder → Grant",
            url: "https://github.com/organizations/acme-data/settings/oauth_application_policy",
          },
        ],
      },
    ),
    link(
      {
        name: "docs-builds",
        namespace: "acme-data",
        provider: "github",
        account: "docs-builder",
        state: "revoked",
        repositories: ["acme-data/docs"],
      },
      { state: "revoked", providerGrant: "revoked", repositories: [repo("acme-data/docs", 0, 0)] },
    ),
  ];
  const orgs = [org("acme", "granted", "granted"), org("acme-data", "granted", "requested"), org("contractor-co", "denied", "denied")];
  const sweeps: SweepObservation[] = [
    {
      name: "acme",
      provider: "github",
      owner: "acme",
      repositoriesSwept: 412 * scale,
      repositoriesExcluded: 6,
      foreignWebhookCount: 57 * scale,
      artifacts: [
        ...orphans("acme", 9 * scale, 4),
        {
          kind: "org-webhook",
          provider: "github",
          owner: "acme",
          repository: null,
          id: "90001",
          target: "https://registry.hub.docker.com/hooks/github",
          archived: false,
          classification: "orphaned",
          links: [],
        },
      ],
    },
    {
      name: "acme-data",
      provider: "github",
      owner: "acme-data",
      repositoriesSwept: 88 * scale,
      repositoriesExcluded: 0,
      foreignWebhookCount: 12,
      artifacts: orphans("acme-data", 3 * scale),
    },
    {
      name: "contractor-co",
      provider: "github",
      owner: "contractor-co",
      repositoriesSwept: 23,
      repositoriesExcluded: 0,
      foreignWebhookCount: 4,
      artifacts: [],
    },
  ];
  return { asOf, files: ["sourcelinks.yaml", "teams/data.yaml"], links, orgs, undeclaredOrgs: new Map(), sweeps };
}
