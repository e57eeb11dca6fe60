/**
 * A GitHub App installation proposing a replacement's workflow over loopback: without the Workflows
 * permission GitHub refuses the file under `.github/workflows/`, and the error names the permission
 * (and the classic token's `workflow` scope) with what GitHub accepts; other files need contents only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAppWorld, type AppWorld } from "../support/github-app-harness.js";

let world: AppWorld;

beforeAll(async () => {
  world = await startAppWorld();
}, 60_000);
afterAll(() => world.close());
beforeEach(() => world.sandbox.reset());

/** Grants the acme installation `permissions` on top of what the seed gave it. */
function grant(permissions: Record<string, "read" | "write">): void {
  const installation = world.sandbox.world().github.apps?.[0]?.installations.find((i) => i.owner === "acme");
  if (!installation) throw new Error("no acme installation");
  Object.assign(installation.permissions, permissions);
}

const body = { message: "Add the replacement", content: Buffer.from("on: push\n").toString("base64") };

describe("a GitHub App writing a replacement workflow", () => {
  it("is refused without the Workflows permission, with an error naming it and the workflow scope", async () => {
    grant({ contents: "write" });
    const { replacement } = world.clients();
    const put = (path: string) => replacement.send({ method: "PUT", url: `${world.apiUrl}/repos/acme/api/contents/${path}` }, body);
    await expect(put(".github/workflows/docker-hub-acme-api.yml")).rejects.toThrow(
      /needs the `workflow` scope \(classic token\) or the Workflows permission, read and write \(fine-grained token, GitHub App\).*\(GitHub accepts .*workflows=write\)/,
    );
    await expect(put("docs/ci.md")).resolves.toBeUndefined();
  });

  it("writes the workflow once the installation has the Workflows permission", async () => {
    grant({ contents: "write", workflows: "write" });
    const { replacement } = world.clients();
    await replacement.send(
      { method: "PUT", url: `${world.apiUrl}/repos/acme/api/contents/.github/workflows/docker-hub-acme-api.yml` },
      body,
    );
    expect(await replacement.readFile("acme/api", "main", ".github/workflows/docker-hub-acme-api.yml")).toMatchObject({
      text: "on: push\n",
    });
  });
});
