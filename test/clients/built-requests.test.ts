/**
 * Each client write sends exactly the request a plan step carries (built by its step kind), the one a
 * plan shows and the executor checks, and refuses one off the API it holds credentials for: a
 * recording server on 127.0.0.1 answers every write.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBitbucketClient } from "../../engine/clients/bitbucket/index.js";
import { createBuildServiceClient } from "../../engine/clients/build-service/index.js";
import { createGitHubClients } from "../../engine/clients/github/index.js";
import type { PlannedRequest } from "../../engine/model/plan.js";
import { HttpError } from "../../engine/clients/http-error.js";
import { deleteDeployKeyRequest } from "../../engine/reconcile/steps/delete-deploy-key.js";
import { deleteOrgWebhookRequest } from "../../engine/reconcile/steps/delete-org-webhook.js";
import { deleteWebhookRequest } from "../../engine/reconcile/steps/delete-webhook.js";
import { createLinkRequest } from "../../engine/reconcile/steps/link.js";
import { revokeGrantRequest } from "../../engine/reconcile/steps/revoke-grant.js";
import { setOrgAccessRequest } from "../../engine/reconcile/steps/set-org-access.js";
import { setLinkStateRequest } from "../../engine/reconcile/steps/set-state.js";
import { unlinkRequest } from "../../engine/reconcile/steps/unlink.js";
import { Secret } from "../../engine/model/secret.js";

let server: Server;
let origin: string;
const received: PlannedRequest[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push({ method: req.method as PlannedRequest["method"], url: `${origin}${req.url}` });
    req.resume();
    if (req.method === "DELETE") {
      res.writeHead(204).end();
      return;
    }
    const link = {
      id: "link-1",
      resource_uri: "",
      namespace: "acme",
      provider: "github",
      account: "a",
      team: null,
      service_account: true,
      state: "enabled",
      created_at: "",
      updated_at: "",
    };
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify(req.url?.includes("/orgs/") ? { org: "o", access: "granted" } : link));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received.length = 0;
});

describe("clients send the planned request", () => {
  it("build service: create, set state, set org access, unlink", async () => {
    const api = `${origin}/api/build/v1`;
    const client = createBuildServiceClient({ apiUrl: api, token: new Secret("build-token-0123456789") });
    const planned = [
      createLinkRequest(api, "acme team"),
      setLinkStateRequest(api, "acme team", "link/1"),
      setOrgAccessRequest(api, "acme team", "link/1", "contractor-co"),
      unlinkRequest(api, "acme team", "link/1"),
    ] as const;
    await client.createLink(planned[0], { provider: "github", account: "a", team: null, serviceAccount: true });
    await client.setLinkState(planned[1], "disabled");
    await client.setOrgAccess(planned[2], "denied");
    await client.unlink(planned[3]);
    expect(received).toEqual(planned);
  });

  it("GitHub: delete a webhook, a deploy key and an org webhook, revoke a grant", async () => {
    const api = `${origin}/api/v3`;
    const { provider, owner, grants } = createGitHubClients({ apiUrl: api, token: new Secret("ghp_token0123456789") });
    const planned = [
      deleteWebhookRequest("github", api, "acme/api", "101"),
      deleteDeployKeyRequest("github", api, "acme/api", "103"),
      deleteOrgWebhookRequest(api, "acme", "105"),
      revokeGrantRequest(api, "Iv1.app"),
    ] as const;
    expect(await provider.deleteWebhook("acme/api", planned[0])).toBe("deleted");
    expect(await provider.deleteDeployKey("acme/api", planned[1])).toBe("deleted");
    expect(await owner.deleteOrgWebhook("acme", planned[2])).toBe("deleted");
    const secret = new Secret("client-secret-0123456789");
    expect(await grants.revokeGrant(planned[3], "Iv1.app", secret, new Secret("gho_grant0123456789"))).toBe("revoked");
    expect(received).toEqual(planned);
  });

  it("Bitbucket: delete a webhook by uuid and a deploy key", async () => {
    const api = `${origin}/2.0`;
    const client = createBitbucketClient({ apiUrl: api, username: "", token: new Secret("bb-token-0123456789") });
    const planned = [
      deleteWebhookRequest("bitbucket", api, "acme-team/mobile", "2d1c3b4a-0000-4a5b-8c9d-0e1f2a3b4c5d"),
      deleteDeployKeyRequest("bitbucket", api, "acme-team/mobile", "501"),
    ] as const;
    expect(await client.deleteWebhook("acme-team/mobile", planned[0])).toBe("deleted");
    expect(await client.deleteDeployKey("acme-team/mobile", planned[1])).toBe("deleted");
    expect(planned[0].url).toContain(encodeURIComponent("{2d1c3b4a-0000-4a5b-8c9d-0e1f2a3b4c5d}"));
    expect(received).toEqual(planned);
  });
});

describe("clients refuse a planned request off the API they hold credentials for", () => {
  const refused = { status: 0, refused: true };

  it("build service: another host, another method, a path outside the API", async () => {
    const api = `${origin}/api/build/v1`;
    const client = createBuildServiceClient({ apiUrl: api, token: new Secret("build-token-0123456789") });
    const elsewhere = unlinkRequest(`http://localhost:${new URL(origin).port}/api/build/v1`, "acme", "1");
    await expect(client.unlink(elsewhere)).rejects.toMatchObject(refused);
    await expect(client.unlink(setLinkStateRequest(api, "acme", "1"))).rejects.toMatchObject(refused);
    await expect(client.unlink({ method: "DELETE", url: `${api}/../../admin/` })).rejects.toMatchObject(refused);
    expect(received).toEqual([]);
  });

  it("GitHub: a delete under another repository or org than the one named, a grant of another app", async () => {
    const api = `${origin}/api/v3`;
    const { provider, owner, grants } = createGitHubClients({ apiUrl: api, token: new Secret("ghp_token0123456789") });
    const error = await provider
      .deleteWebhook("acme/api", deleteWebhookRequest("github", api, "acme/other", "101"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject(refused);
    await expect(provider.deleteDeployKey("acme/api", deleteWebhookRequest("github", api, "acme/api", "101"))).rejects.toMatchObject(
      refused,
    );
    await expect(owner.deleteOrgWebhook("acme", deleteOrgWebhookRequest(api, "initech", "105"))).rejects.toMatchObject(refused);
    const secret = new Secret("client-secret-0123456789");
    await expect(
      grants.revokeGrant(revokeGrantRequest(api, "Iv1.other"), "Iv1.app", secret, new Secret("gho_grant0123456789")),
    ).rejects.toMatchObject(refused);
    expect(received).toEqual([]);
  });

  it("Bitbucket: a delete under another repository than the one named", async () => {
    const api = `${origin}/2.0`;
    const client = createBitbucketClient({ apiUrl: api, username: "", token: new Secret("bb-token-0123456789") });
    await expect(
      client.deleteDeployKey("acme-team/mobile", deleteDeployKeyRequest("bitbucket", api, "acme-team/web", "501")),
    ).rejects.toMatchObject(refused);
    expect(received).toEqual([]);
  });
});
