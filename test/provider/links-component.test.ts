/**
 * `Links` (`sourcelinks:index:Links`) groups one configuration's resources as one tree: the children
 * keep their names, have the component as parent, and alias their root-level URNs (and, for a link's
 * earlier names, those names at the root), so adopting the component moves state instead of replacing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BUILD_TIMEOUT_MS, ensureBuilt, providerPackage, type RawRegistration, setRecordingMocks } from "../support/provider-dist.js";
import { projectRoot } from "../support/engine-harness.js";

const COMPONENT_URN = "urn:pulumi:dev::sourcelinks::sourcelinks:index:Links::sourcelinks";
const records: RawRegistration[] = [];
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "sourcelinks-component-"));
  const yaml = readFileSync(join(projectRoot, "examples/basic/sourcelinks.yaml"), "utf8").replace(
    /(\n(\s*)- name: acme-builds\n)/,
    "$1$2  aliases: [builds]\n",
  );
  writeFileSync(join(dir, "sourcelinks.yaml"), yaml);
  await setRecordingMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) }, records, {
    preview: false,
  });
  const links = await providerPackage().Links.fromFiles("sourcelinks", [
    join(dir, "sourcelinks.yaml"),
    join(projectRoot, "examples/basic/builds.yaml"),
  ]);
  const children = [
    ...Object.values(links.links),
    ...Object.values(links.orgAccess),
    ...Object.values(links.sweeps),
    ...Object.values(links.builds),
  ];
  await Promise.all([links, ...children].map((r) => new Promise((resolve) => r.urn.apply(resolve))));
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it("registers the component and every resource of the file under it, by its own name", () => {
  expect(records.find((r) => r.type === "sourcelinks:index:Links")?.name).toBe("sourcelinks");
  const children = records.filter((r) => r.type !== "sourcelinks:index:Links");
  expect(children.map((r) => r.name).sort()).toEqual(
    [
      "acme-builds",
      "legacy-builds",
      "mobile-builds",
      "acme-github",
      "contractor-co-github",
      "sweep-github-acme",
      "acme/legacy-api",
      "acme/legacy-web",
      "acme/mobile",
    ].sort(),
  );
  for (const child of children) expect(child.parent).toBe(COMPONENT_URN);
});

it("gives every child an alias to its root-level URN, and a link's earlier names both at the root and under the component", () => {
  const children = records.filter((r) => r.type !== "sourcelinks:index:Links");
  for (const child of children) expect(child.aliases).toContainEqual(expect.objectContaining({ name: "", noparent: true }));
  const acme = records.find((r) => r.name === "acme-builds");
  expect(acme?.aliases).toContainEqual(expect.objectContaining({ name: "builds", noparent: true }));
  expect(acme?.aliases).toContainEqual(expect.objectContaining({ name: "builds", parenturn: COMPONENT_URN }));
});
