/**
 * Each client write sends exactly the request its builder (engine/model/requests.ts) makes, the one a
 * plan shows and the executor checks: a recording server on 127.0.0.1 answers every write.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBitbucketClient } from "../../engine/clients/bitbucket/index.js";
import { createBuildServiceClient } from "../../engine/clients/build-service/index.js";
import { createGitHubClients } from "../../engine/clients/github/index.js";
import type { PlannedRequest } from "../../engine/model/plan.js";
import {
  createLinkRequest,
  deleteDeployKeyRequest,
  deleteWebhookRequest,
  revokeGrantRequest,
  setLinkStateRequest,
  setOrgAccessRequest,
  unlinkRequest,
} from "../../engine/model/requests.js";
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

describe("clients send the built request", () => {
  it("build service: create, set state, set org access, unlink", async () => {
    const api = `${origin}/api/build/v1`;
    const client = createBuildServiceClient({ apiUrl: api, token: new Secret("build-token-0123456789") });
    await client.createLink("acme team", { provider: "github", account: "a", team: null, serviceAccount: true });
    await client.setLinkState("acme team", "link/1", "disabled");
    await client.setOrgAccess("acme team", "link/1", "contractor-co", "denied");
    await client.unlink("acme team", "link/1");
    expect(received).toEqual([
      createLinkRequest(api, "acme team"),
      setLinkStateRequest(api, "acme team", "link/1"),
      setOrgAccessRequest(api, "acme team", "link/1", "contractor-co"),
      unlinkRequest(api, "acme team", "link/1"),
    ]);
  });

  it("GitHub: delete a webhook and a deploy key, revoke a grant", async () => {
    const api = `${origin}/api/v3`;
    const { provider, grants } = createGitHubClients({ apiUrl: api, token: new Secret("ghp_token0123456789") });
    expect(await provider.deleteWebhook("acme/api", "101")).toBe("deleted");
    expect(await provider.deleteDeployKey("acme/api", "103")).toBe("deleted");
    expect(await grants.revokeGrant("Iv1.app", new Secret("client-secret-0123456789"), new Secret("gho_grant0123456789"))).toBe("revoked");
    expect(received).toEqual([
      deleteWebhookRequest("github", api, "acme/api", "101"),
      deleteDeployKeyRequest("github", api, "acme/api", "103"),
      revokeGrantRequest(api, "Iv1.app"),
    ]);
  });

  it("Bitbucket: delete a webhook by uuid and a deploy key", async () => {
    const api = `${origin}/2.0`;
    const client = createBitbucketClient({ apiUrl: api, username: "", token: new Secret("bb-token-0123456789") });
    expect(await client.deleteWebhook("acme-team/mobile", "2d1c3b4a-0000-4a5b-8c9d-0e1f2a3b4c5d")).toBe("deleted");
    expect(await client.deleteDeployKey("acme-team/mobile", "501")).toBe("deleted");
    expect(received).toEqual([
      deleteWebhookRequest("bitbucket", api, "acme-team/mobile", "{2d1c3b4a-0000-4a5b-8c9d-0e1f2a3b4c5d}"),
      deleteDeployKeyRequest("bitbucket", api, "acme-team/mobile", "501"),
    ]);
  });
});
