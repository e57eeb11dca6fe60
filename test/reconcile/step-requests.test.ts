import { describe, expect, it } from "vitest";
import { deleteDeployKeyRequest } from "../../engine/reconcile/steps/delete-deploy-key.js";
import { deleteWebhookRequest } from "../../engine/reconcile/steps/delete-webhook.js";
import { createLinkRequest } from "../../engine/reconcile/steps/link.js";
import { revokeGrantRequest } from "../../engine/reconcile/steps/revoke-grant.js";
import { setOrgAccessRequest } from "../../engine/reconcile/steps/set-org-access.js";
import { setLinkStateRequest } from "../../engine/reconcile/steps/set-state.js";
import { unlinkRequest } from "../../engine/reconcile/steps/unlink.js";

const BUILD = "http://127.0.0.1:8787/build/api/build/v1";
const GH = "http://127.0.0.1:8787/github";
const BB = "http://127.0.0.1:8787/bitbucket/2.0";

describe("build-service requests", () => {
  it("are the exact method and URL of each write", () => {
    expect(createLinkRequest(BUILD, "acme")).toEqual({ method: "POST", url: `${BUILD}/acme/links/` });
    expect(setLinkStateRequest(BUILD, "acme", "link-jdoe")).toEqual({ method: "PATCH", url: `${BUILD}/acme/links/link-jdoe/` });
    expect(unlinkRequest(BUILD, "acme", "link-jdoe")).toEqual({ method: "DELETE", url: `${BUILD}/acme/links/link-jdoe/` });
    expect(setOrgAccessRequest(BUILD, "acme", "link-jdoe", "contractor-co")).toEqual({
      method: "PUT",
      url: `${BUILD}/acme/links/link-jdoe/orgs/contractor-co/access/`,
    });
  });

  it("encode every path segment and ignore a trailing slash on the base", () => {
    expect(unlinkRequest(`${BUILD}//`, "a b", "{created}")).toEqual({ method: "DELETE", url: `${BUILD}/a%20b/links/%7Bcreated%7D/` });
  });

  it("refuse an empty link id or org, which would address the collection", () => {
    expect(() => unlinkRequest(BUILD, "acme", "")).toThrow("build-service: unlink needs a link id");
    expect(() => setLinkStateRequest(BUILD, "acme", "")).toThrow("build-service: setLinkState needs a link id");
    expect(() => setOrgAccessRequest(BUILD, "acme", "link-1", "")).toThrow("build-service: setOrgAccess needs an org");
  });
});

describe("GitHub requests", () => {
  it("delete a webhook or a deploy key, and revoke a grant", () => {
    expect(deleteWebhookRequest("github", GH, "acme/api", "101")).toEqual({ method: "DELETE", url: `${GH}/repos/acme/api/hooks/101` });
    expect(deleteDeployKeyRequest("github", GH, "acme/api", "103")).toEqual({ method: "DELETE", url: `${GH}/repos/acme/api/keys/103` });
    expect(revokeGrantRequest(GH, "Iv1.abc")).toEqual({ method: "DELETE", url: `${GH}/applications/Iv1.abc/grant` });
  });

  it("refuse a repository that is not owner/name", () => {
    expect(() => deleteWebhookRequest("github", GH, "acme", "1")).toThrow('github: repository must be "owner/name", got "acme"');
    expect(() => deleteDeployKeyRequest("github", GH, "acme/api/x", "1")).toThrow(
      'github: repository must be "owner/name", got "acme/api/x"',
    );
  });
});

describe("Bitbucket requests", () => {
  const HOOK = "{2d1c3b4a-0000-4a5b-8c9d-0e1f2a3b4c5d}";

  it("delete a hook by its URL-encoded braced uuid, braces optional", () => {
    const planned = deleteWebhookRequest("bitbucket", BB, "acme-team/mobile", HOOK);
    expect(planned).toEqual({
      method: "DELETE",
      url: `${BB}/repositories/acme-team/mobile/hooks/%7B2d1c3b4a-0000-4a5b-8c9d-0e1f2a3b4c5d%7D`,
    });
    expect(deleteWebhookRequest("bitbucket", BB, "acme-team/mobile", HOOK.slice(1, -1))).toEqual(planned);
  });

  it("delete a deploy key, and refuse a repository that is not workspace/repo_slug", () => {
    expect(deleteDeployKeyRequest("bitbucket", BB, "acme-team/mobile", "501")).toEqual({
      method: "DELETE",
      url: `${BB}/repositories/acme-team/mobile/deploy-keys/501`,
    });
    expect(() => deleteDeployKeyRequest("bitbucket", BB, "mobile", "1")).toThrow(
      'bitbucket: repository must be "workspace/repo_slug", got "mobile"',
    );
  });
});
