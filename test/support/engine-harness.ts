/**
 * A stand-in for the Pulumi engine: starts the real Node.js dynamic-provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) as a child process and drives it over gRPC with the
 * RPCs, in the order, the engine uses for `pulumi up`, `pulumi refresh` and `pulumi destroy`.
 * The Pulumi CLI cannot run here; this is how the provider is proven against Pulumi's own host.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb.js";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb.js";

const require = createRequire(import.meta.url);
const grpc = require("@grpc/grpc-js") as typeof grpcTypes;
const pb = require("@pulumi/pulumi/proto/provider_pb.js") as typeof providerPb;
const structproto = require("google-protobuf/google/protobuf/struct_pb.js") as typeof structPb;
const emptyproto = require("google-protobuf/google/protobuf/empty_pb.js") as { Empty: new () => unknown };
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb.js") as {
  ResourceProviderClient: new (address: string, credentials: grpcTypes.ChannelCredentials) => grpcTypes.Client;
};

/** The project root: the host runs there, as the engine runs plugins in the project directory. */
export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

/** The host script the engine launches for `pulumi-nodejs` dynamic resources. */
export const hostScript = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");

/** The reserved input that carries the serialized provider (`dynamic.Resource`'s `__provider`). */
export const providerKey = "__provider";

/** JSON-shaped property bag, as `google.protobuf.Struct` carries it. */
export type PropertyMap = Record<string, unknown>;

/** A `CheckFailure` as the host returns it. */
export interface HostCheckFailure {
  property: string;
  reason: string;
}

/** The engine's reading of a `DiffResponse`. */
export interface HostDiff {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** A gRPC error surfaced by the host: `details` is the provider's error message. */
export class HostRpcError extends Error {
  constructor(
    readonly rpc: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`${rpc} failed (gRPC ${code}): ${details}`);
    this.name = "HostRpcError";
  }
}

type Callback<T> = (error: grpcTypes.ServiceError | null, response: T) => void;
type UnaryMethod = (request: unknown, callback: Callback<unknown>) => void;

function toStruct(value: PropertyMap): structPb.Struct {
  // Struct.fromJavaScript rejects `undefined`; the engine never sends it either.
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as Record<string, structPb.JavaScriptValue>);
}

function fromStruct(value: structPb.Struct | undefined): PropertyMap {
  return (value?.toJavaScript() ?? {}) as PropertyMap;
}

/** One running dynamic-provider host process and a gRPC client connected to it. */
export class ProviderHost {
  #stderr = "";
  #stdout = "";

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: grpcTypes.Client,
    readonly port: number,
  ) {
    child.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr += chunk.toString("utf8");
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      this.#stdout += chunk.toString("utf8");
    });
  }

  /**
   * Launches the host like the engine does: `node <host> <engine-address>`, then reads the port it
   * prints on its first stdout line. The host only requires the engine address to be present; it
   * never dials it for resource RPCs.
   */
  static async start(
    options: { env?: NodeJS.ProcessEnv; engineAddress?: string; project?: string; cwd?: string; hostScript?: string } = {},
  ): Promise<ProviderHost> {
    // `cwd` is the Pulumi project directory (the engine starts plugins there); `hostScript` that project's host.
    const child = spawn(process.execPath, [options.hostScript ?? hostScript, options.engineAddress ?? "127.0.0.1:1"], {
      cwd: options.cwd ?? projectRoot,
      env: { ...options.env, PULUMI_NODEJS_PROJECT: options.project ?? "sourcelinks" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      let err = "";
      const onExit = (code: number | null): void => reject(new Error(`provider host exited (${code}) before printing its port: ${err}`));
      child.once("exit", onExit);
      child.stderr?.on("data", (chunk: Buffer) => {
        err += chunk.toString("utf8");
      });
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        const newline = out.indexOf("\n");
        if (newline >= 0) {
          child.off("exit", onExit);
          resolve(Number(out.slice(0, newline).trim()));
        }
      });
    });
    const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, port);
  }

  /**
   * What the host wrote on stdout after its port: `pulumi.log` output when the host has no engine
   * connection of its own, which the engine relays as the resource's diagnostics.
   */
  get stdout(): string {
    return this.#stdout;
  }

  /**
   * Resolves true once stdout contains `text` (stdout is another pipe than the RPCs' socket, so a line
   * written before an RPC's answer may be read after it), false if the host exits first.
   */
  stdoutContaining(text: string): Promise<boolean> {
    if (this.#stdout.includes(text)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onData = (): void => {
        if (!this.#stdout.includes(text)) return;
        done();
        resolve(true);
      };
      const onExit = (): void => {
        done();
        resolve(this.#stdout.includes(text));
      };
      const done = (): void => {
        this.child.stdout?.off("data", onData);
        this.child.off("exit", onExit);
      };
      // Registered after the constructor's listener, so #stdout already holds the chunk when this runs.
      this.child.stdout?.on("data", onData);
      this.child.once("exit", onExit);
    });
  }

  /** What the host wrote on stderr so far (the provider's console output and uncaught errors). */
  get stderr(): string {
    return this.#stderr;
  }

  #call<Res>(rpc: string, request: unknown): Promise<Res> {
    const method = (this.client as unknown as Record<string, UnaryMethod>)[rpc];
    if (method === undefined) throw new Error(`unknown RPC ${rpc}`);
    return new Promise<Res>((resolve, reject) => {
      method.call(this.client, request, (error, response) => {
        if (error) reject(new HostRpcError(rpc, error.code, error.details));
        else resolve(response as Res);
      });
    });
  }

  /** `GetPluginInfo`: the version of `@pulumi/pulumi` the host runs. */
  async getPluginInfo(): Promise<string> {
    const info = await this.#call<{ getVersion(): string }>("getPluginInfo", new emptyproto.Empty());
    return info.getVersion();
  }

  /** `CheckConfig`, which the Node.js dynamic host does not implement (the engine tolerates UNIMPLEMENTED). */
  async checkConfig(urn: string, news: PropertyMap): Promise<PropertyMap> {
    const req = new pb.CheckRequest();
    req.setUrn(urn);
    req.setOlds(toStruct({}));
    req.setNews(toStruct(news));
    const res = await this.#call<providerPb.CheckResponse>("checkConfig", req);
    return fromStruct(res.getInputs());
  }

  /** `Configure`: the engine sends the whole stack config (keys `project:key`) to `pulumi-nodejs`. */
  async configure(config: Record<string, string>): Promise<{ acceptSecrets: boolean }> {
    const req = new pb.ConfigureRequest();
    req.setArgs(toStruct(config));
    const variables = req.getVariablesMap();
    for (const [key, value] of Object.entries(config)) variables.set(key, value);
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const res = await this.#call<providerPb.ConfigureResponse>("configure", req);
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  /** `Check(olds, news)`: validated inputs and failures. */
  async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<{ inputs: PropertyMap; failures: HostCheckFailure[] }> {
    const req = new pb.CheckRequest();
    req.setUrn(urn);
    req.setName(urnName(urn));
    req.setType(urnType(urn));
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.#call<providerPb.CheckResponse>("check", req);
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** `Diff(id, old outputs, new inputs)`. */
  async diff(id: string, urn: string, olds: PropertyMap, news: PropertyMap, oldInputs: PropertyMap): Promise<HostDiff> {
    const req = new pb.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setName(urnName(urn));
    req.setType(urnType(urn));
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    req.setOldInputs(toStruct(oldInputs));
    const res = await this.#call<providerPb.DiffResponse>("diff", req);
    const kinds = pb.DiffResponse.DiffChanges;
    const changes = res.getChanges() === kinds.DIFF_SOME ? "some" : res.getChanges() === kinds.DIFF_NONE ? "none" : "unknown";
    return { changes, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
  }

  /** `Create(inputs)`: the new id and outputs. */
  async create(urn: string, properties: PropertyMap): Promise<{ id: string; properties: PropertyMap }> {
    const req = new pb.CreateRequest();
    req.setUrn(urn);
    req.setName(urnName(urn));
    req.setType(urnType(urn));
    req.setProperties(toStruct(properties));
    const res = await this.#call<providerPb.CreateResponse>("create", req);
    return { id: res.getId(), properties: fromStruct(res.getProperties()) };
  }

  /** `Read(id, outputs, inputs)`: what `pulumi refresh` calls. */
  async read(
    id: string,
    urn: string,
    properties: PropertyMap,
    inputs: PropertyMap,
  ): Promise<{ id: string; properties: PropertyMap; inputs: PropertyMap | null }> {
    const req = new pb.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setName(urnName(urn));
    req.setType(urnType(urn));
    req.setProperties(toStruct(properties));
    req.setInputs(toStruct(inputs));
    const res = await this.#call<providerPb.ReadResponse>("read", req);
    return { id: res.getId(), properties: fromStruct(res.getProperties()), inputs: res.hasInputs() ? fromStruct(res.getInputs()) : null };
  }

  /** `Update(id, old outputs, new inputs)`: the new outputs. */
  async update(id: string, urn: string, olds: PropertyMap, news: PropertyMap, oldInputs: PropertyMap): Promise<PropertyMap> {
    const req = new pb.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setName(urnName(urn));
    req.setType(urnType(urn));
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    req.setOldInputs(toStruct(oldInputs));
    const res = await this.#call<providerPb.UpdateResponse>("update", req);
    return fromStruct(res.getProperties());
  }

  /** `Delete(id, outputs)`. */
  async delete(id: string, urn: string, properties: PropertyMap, oldInputs: PropertyMap): Promise<void> {
    const req = new pb.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setName(urnName(urn));
    req.setType(urnType(urn));
    req.setProperties(toStruct(properties));
    req.setOldInputs(toStruct(oldInputs));
    await this.#call<unknown>("delete", req);
  }

  /** Closes the channel and stops the host process (the engine kills plugins the same way). */
  /** Kills the host process as a crash or an OOM kill would (the RPC in flight never answers); resolves once it is gone. */
  crash(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGKILL");
    return exited;
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    await exited;
  }
}

/** The engine's wire form of a secret (`pulumi.secret`): the signature key and value, then `value`. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether a property value is a secret in the engine's wire form. */
export function isWireSecret(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** A property value with its secrets unwrapped, as the engine sends old outputs to a provider that does not accept secrets. */
export function revealSecrets<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (isWireSecret(v)) return walk(v.value);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** A resource URN as the engine forms it: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function makeUrn(type: string, name: string, stack = "dev", project = "sourcelinks"): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

function urnType(urn: string): string {
  const parts = urn.split("::");
  return parts[2] ?? "";
}

/** One resource's entry in the fake engine's state (what a checkpoint holds). */
export interface StateEntry {
  urn: string;
  id: string;
  inputs: PropertyMap;
  outputs: PropertyMap;
}

/** What one `up` step did to a resource, as `pulumi up` would print it. */
export type StepOp = "create" | "same" | "update" | "replace";

/**
 * The engine's step logic for one dynamic resource over a host: `up` (Check, then Create, or
 * Diff and Update/replace), `refresh` (Read) and `destroy` (Delete), keeping state between runs.
 */
export class FakeEngine {
  readonly state = new Map<string, StateEntry>();

  constructor(readonly host: ProviderHost) {}

  /** `pulumi up` for one resource with the given (program-registered) inputs. */
  async up(urn: string, news: PropertyMap): Promise<{ op: StepOp; entry: StateEntry; diff: HostDiff | null }> {
    const prior = this.state.get(urn);
    const checked = await this.host.check(urn, prior?.inputs ?? {}, news);
    if (checked.failures.length > 0) {
      throw new Error(`check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    }
    if (prior === undefined) {
      const created = await this.host.create(urn, checked.inputs);
      const entry = { urn, id: created.id, inputs: checked.inputs, outputs: created.properties };
      this.state.set(urn, entry);
      return { op: "create", entry, diff: null };
    }
    const diff = await this.host.diff(prior.id, urn, prior.outputs, checked.inputs, prior.inputs);
    if (diff.replaces.length > 0) {
      // Create-before-delete is the engine's default; the provider may ask for the other order.
      let created: { id: string; properties: PropertyMap };
      if (diff.deleteBeforeReplace) {
        await this.host.delete(prior.id, urn, prior.outputs, prior.inputs);
        this.state.delete(urn);
        created = await this.host.create(urn, checked.inputs);
      } else {
        created = await this.host.create(urn, checked.inputs);
        await this.host.delete(prior.id, urn, prior.outputs, prior.inputs);
      }
      const entry = { urn, id: created.id, inputs: checked.inputs, outputs: created.properties };
      this.state.set(urn, entry);
      return { op: "replace", entry, diff };
    }
    if (diff.changes === "none") {
      const entry = { ...prior, inputs: checked.inputs };
      this.state.set(urn, entry);
      return { op: "same", entry, diff };
    }
    const outputs = await this.host.update(prior.id, urn, prior.outputs, checked.inputs, prior.inputs);
    const entry = { urn, id: prior.id, inputs: checked.inputs, outputs };
    this.state.set(urn, entry);
    return { op: "update", entry, diff };
  }

  /** `pulumi refresh` for one resource: Read replaces the stored outputs. */
  async refresh(urn: string): Promise<StateEntry> {
    const prior = this.state.get(urn);
    if (prior === undefined) throw new Error(`no state for ${urn}`);
    const read = await this.host.read(prior.id, urn, prior.outputs, prior.inputs);
    if (read.id === "") {
      this.state.delete(urn);
      return { ...prior, id: "" };
    }
    const entry = { urn, id: read.id, inputs: read.inputs ?? prior.inputs, outputs: read.properties };
    this.state.set(urn, entry);
    return entry;
  }

  /** `pulumi destroy` (or removing the resource from the program) for one resource. */
  async destroy(urn: string): Promise<void> {
    const prior = this.state.get(urn);
    if (prior === undefined) throw new Error(`no state for ${urn}`);
    await this.host.delete(prior.id, urn, prior.outputs, prior.inputs);
    this.state.delete(urn);
  }
}
