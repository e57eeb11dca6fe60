/**
 * The root program as `pulumi-language-nodejs` runs it: `@pulumi/pulumi/cmd/run` on dist/pulumi-program.js,
 * stack config in `PULUMI_CONFIG`, against a gRPC resource monitor and engine written here (the side
 * the engine plays). The registrations it receives (type tokens, serialized providers, aliases, stack
 * outputs) then go through the real dynamic-provider host against the sandbox.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server.js";
import { BUILD_TIMEOUT_MS, ensureBuilt, serializedProviders } from "../support/provider-dist.js";
import { FakeEngine, projectRoot, type PropertyMap, ProviderHost } from "../support/engine-harness.js";

const require = createRequire(import.meta.url);
const grpc = require("@grpc/grpc-js") as typeof grpcTypes;
type Msg = Record<string, (...args: unknown[]) => unknown>;
const resourcePb = require("@pulumi/pulumi/proto/resource_pb.js") as Record<string, new () => Msg>;
const enginePb = require("@pulumi/pulumi/proto/engine_pb.js") as Record<string, new () => Msg>;
const emptyPb = require("google-protobuf/google/protobuf/empty_pb.js") as { Empty: new () => unknown };
const structPb = require("google-protobuf/google/protobuf/struct_pb.js") as { Struct: { fromJavaScript(v: unknown): unknown } };
const resourceGrpc = require("@pulumi/pulumi/proto/resource_grpc_pb.js") as { ResourceMonitorService: grpcTypes.ServiceDefinition };
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb.js") as { EngineService: grpcTypes.ServiceDefinition };

const LINK_TYPE = "pulumi-nodejs:dynamic/sourcelinks:SourceProviderLink";

interface Registration {
  type: string;
  name: string;
  urn: string;
  object: PropertyMap;
  aliases: Record<string, unknown>[];
}

type Unary = grpcTypes.handleUnaryCall<Msg, unknown>;

const registrations: Registration[] = [];
let stackOutputs: PropertyMap = {};
let sandbox: SandboxHandle;
let server: grpcTypes.Server;
let exitCode: number | null;
let stderr = "";
let tmp: string;
let configFile: string;
const buildsFile = join(projectRoot, "examples/basic/builds.yaml");

function reply(make: (req: Msg) => unknown): Unary {
  return (call, callback) => {
    try {
      callback(null, make(call.request));
    } catch (error) {
      callback(error as grpcTypes.ServiceError);
    }
  };
}

/** The engine's side: a resource monitor and an engine service on one loopback gRPC server. */
async function startEngine(): Promise<number> {
  let root = "";
  server = new grpc.Server();
  server.addService(resourceGrpc.ResourceMonitorService, {
    supportsFeature: reply((req) => {
      const res = new resourcePb.SupportsFeatureResponse!();
      res.setHassupport!(["secrets", "aliasSpecs"].includes(req.getId!() as string));
      return res;
    }),
    registerResource: reply((req) => {
      const type = req.getType!() as string;
      const name = req.getName!() as string;
      const urn = `urn:pulumi:dev::sourcelinks::${type}::${name}`;
      const object = ((req.getObject!() as { toJavaScript(): PropertyMap } | undefined)?.toJavaScript() ?? {}) as PropertyMap;
      const aliases = (req.getAliasesList!() as { getSpec(): { toObject(): Record<string, unknown> } | undefined }[]).map(
        (a) => a.getSpec()?.toObject() ?? {},
      );
      registrations.push({ type, name, urn, object, aliases });
      const res = new resourcePb.RegisterResourceResponse!();
      res.setUrn!(urn);
      res.setId!(req.getCustom!() ? `${name}-id` : "");
      res.setObject!(structPb.Struct.fromJavaScript(object));
      return res;
    }),
    registerResourceOutputs: reply((req) => {
      stackOutputs = ((req.getOutputs!() as { toJavaScript(): PropertyMap } | undefined)?.toJavaScript() ?? {}) as PropertyMap;
      return new emptyPb.Empty();
    }),
    signalAndWaitForShutdown: reply(() => new emptyPb.Empty()),
  });
  server.addService(engineGrpc.EngineService, {
    log: reply((req) => {
      stderr += `${req.getMessage!()}\n`;
      return new emptyPb.Empty();
    }),
    getRootResource: reply(() => {
      const res = new enginePb.GetRootResourceResponse!();
      res.setUrn!(root);
      return res;
    }),
    setRootResource: reply((req) => {
      root = req.getUrn!() as string;
      return new enginePb.SetRootResourceResponse!();
    }),
  });
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
}

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await startSandbox();
  const port = await startEngine();
  // The demo config, with acme-builds renamed from "builds": its alias must reach the engine.
  tmp = mkdtempSync(join(tmpdir(), "sourcelinks-cmd-run-"));
  configFile = join(tmp, "sourcelinks.yaml");
  writeFileSync(
    configFile,
    readFileSync(join(projectRoot, "examples/basic/sourcelinks.yaml"), "utf8").replace(
      /(\n(\s*)- name: acme-builds\n)/,
      "$1$2  aliases: [builds]\n",
    ),
  );
  const entry = require.resolve("@pulumi/pulumi/cmd/run/index.js");
  const args = [
    entry,
    `--monitor=127.0.0.1:${port}`,
    `--engine=127.0.0.1:${port}`,
    "--project=sourcelinks",
    "--stack=dev",
    `--pwd=${projectRoot}`,
    join(projectRoot, "dist/pulumi-program.js"),
  ];
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? "",
      PULUMI_CONFIG: JSON.stringify({ "sourcelinks:configFiles": JSON.stringify([configFile, buildsFile]) }),
      PULUMI_CONFIG_SECRET_KEYS: "[]",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  server?.forceShutdown();
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  await sandbox?.close();
});

describe("dist/pulumi-program.js through @pulumi/pulumi's cmd/run", () => {
  it("runs to completion and registers the stack, the Links component, and under it the links, the org access, the sweep and the builds with their type tokens", () => {
    expect({ exitCode, stderr }).toMatchObject({ exitCode: 0 });
    expect(registrations.map((r) => `${r.type}::${r.name}`).sort()).toEqual(
      [
        "pulumi:pulumi:Stack::sourcelinks-dev",
        `${LINK_TYPE}::acme-builds`,
        `${LINK_TYPE}::legacy-builds`,
        `${LINK_TYPE}::mobile-builds`,
        "pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess::acme-github",
        "pulumi-nodejs:dynamic/sourcelinks:OrgThirdPartyAccess::contractor-co-github",
        "pulumi-nodejs:dynamic/sourcelinks:OrphanSweep::sweep-github-acme",
        "pulumi-nodejs:dynamic/sourcelinks:ReplacementBuild::acme/legacy-api",
        "pulumi-nodejs:dynamic/sourcelinks:ReplacementBuild::acme/legacy-web",
        "pulumi-nodejs:dynamic/sourcelinks:ReplacementBuild::acme/mobile",
        "sourcelinks:index:Links::sourcelinks",
      ].sort(),
    );
  });

  it("sends the serialized providers by package name, the aliases to root-level URNs and the YAML's, and the stack outputs", async () => {
    const expected = await serializedProviders();
    const link = registrations.find((r) => r.name === "acme-builds");
    expect(link?.object.__provider).toBe(expected.link);
    // The root-level URN (no parent) of today's name, then the earlier name under the component and at the root.
    expect(link?.aliases.map((a) => [a.name, a.noparent ?? false, a.parenturn ?? ""])).toEqual([
      ["", true, ""],
      ["builds", false, "urn:pulumi:dev::sourcelinks::sourcelinks:index:Links::sourcelinks"],
      ["builds", true, ""],
    ]);
    expect(registrations.find((r) => r.name === "legacy-builds")?.aliases.map((a) => [a.name, a.noparent])).toEqual([["", true]]);
    expect(stackOutputs.configFiles).toEqual([configFile, buildsFile]);
    expect(Object.keys(stackOutputs.links as object).sort()).toEqual(["acme-builds", "legacy-builds", "mobile-builds"]);
  });

  it("the registered inputs drive the dynamic-provider host: create, then destroy releases", async () => {
    const host = await ProviderHost.start({ env: { PATH: process.env.PATH ?? "", ...sandbox.env } });
    try {
      await host.configure({});
      const engine = new FakeEngine(host);
      const link = registrations.find((r) => r.name === "acme-builds");
      if (link === undefined) throw new Error("no acme-builds");
      const up = await engine.up(link.urn, link.object);
      expect(up.entry.outputs).toMatchObject({ liveState: "linked" });
      await engine.destroy(link.urn);
      expect(sandbox.world().buildService.links.find((l) => l.team === "ci" && l.account === "acme-builder")?.state).toBe("enabled");
    } finally {
      await host.close();
    }
  });
});
