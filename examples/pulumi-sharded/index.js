// One Pulumi stack per GitHub org: the stack's `org` config picks the org's file, declared together
// with the shared one (build service, GitHub App). Each stack's refresh and update touch one owner and
// spend one installation's rate budget, so the stacks run side by side (one CI job each) and a slow or
// failing org holds up no other. The app's key comes from the environment variable the YAML names
// (SOURCELINKS_GITHUB_APP_KEY), never from stack state.
// In a project of your own: install sourcelinks (README: Install) with `@pulumi/pulumi`, then for each org
// `pulumi stack init <org> && pulumi config set org <org>` and `pulumi up --stack <org>`.
// test/provider/sharded-example.test.ts runs it under mocks for each stack file.
import * as pulumi from "@pulumi/pulumi";
import { fileURLToPath } from "node:url";
import { declareFromConfig } from "sourcelinks";

const file = (path) => fileURLToPath(new URL(`../sharded/${path}`, import.meta.url));

/** The program: the shared configuration plus the stack's org. */
export default async function program() {
  const org = new pulumi.Config("sourcelinks-sharded").require("org");
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/.test(org))
    throw new Error(`sourcelinks-sharded:org must be a GitHub login, got ${JSON.stringify(org)}`);
  const { links, orgAccess } = await declareFromConfig([file("common.yaml"), file(`orgs/${org}.yaml`)]);
  return {
    org,
    links: Object.fromEntries(Object.entries(links).map(([name, link]) => [name, link.liveState])),
    orgAccess: Object.keys(orgAccess),
  };
}
