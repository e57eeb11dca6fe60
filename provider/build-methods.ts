/**
 * What `ReplacementBuild`'s dynamic provider does, loaded inside the dynamic-provider host by
 * build-provider.ts: clients built per call, the same planner and executor as `sourcelinks apply`
 * (engine/reconcile/replacements.ts). Create and update propose the replacement (branch, file, CI
 * secrets, pull request) and then verify it; read verifies only; delete releases and proposes nothing.
 * A CI secret's value is read from its env var only when the step that sends it runs, never stored.
 */
import type * as pulumi from "@pulumi/pulumi";
import { REGISTRY_SECRETS } from "../engine/builds/proposal.js";
import { judgeReplacement } from "../engine/builds/verify.js";
import { buildKey } from "../engine/builds/continuity.js";
import type { BuildSpec } from "../engine/model/build-spec.js";
import { redactText } from "../engine/model/redaction.js";
import type { ReplacementVerdict } from "../engine/model/replacement-run.js";
import { createOperationContext, type OperationContext } from "../engine/reconcile/context.js";
import { executeReplacementSteps, planReplacements } from "../engine/reconcile/replacements.js";
import { observeAndVerify } from "../engine/reconcile/verify-replacements.js";
import {
  BUILD_INPUT_KEYS,
  BUILD_REPLACE_KEYS,
  buildOutputsOf,
  buildResourceId,
  buildSpecOf,
  pickBuildInputs,
  type ReplacementBuildInputs,
  type ReplacementBuildOutputs,
} from "./build-properties.js";
import { credentialOverrides, knownSecretValues, type ProviderCredentials } from "./credentials.js";
import type { ProviderMethods } from "./dynamic-provider.js";
import { configOf } from "./properties.js";
import { withSecretOutputs } from "./secret-outputs.js";
import { stoppedExecutionMessage } from "./step-text.js";
import { knownFailures } from "./unknowns.js";

/** Inputs as the host hands them over, with the host's `__provider`. */
type Props = ReplacementBuildInputs & { __provider?: string };

function contextFor(inputs: ReplacementBuildInputs, credentials: ProviderCredentials): OperationContext {
  return createOperationContext(configOf(inputs), process.env, credentialOverrides(credentials));
}

/** Every value this call could send: tokens, the registry token and each declared CI secret. */
function redactorFor(inputs: ReplacementBuildInputs, credentials: ProviderCredentials): (text: string) => string {
  const ciSecrets = (inputs.fileBuilds ?? []).flatMap((b) => Object.values(b.secrets ?? {}));
  const secrets = knownSecretValues(
    credentials,
    [
      inputs.buildService?.tokenEnv,
      inputs.providers?.github?.tokenEnv,
      inputs.providers?.bitbucket?.tokenEnv,
      inputs.providers?.dockerHub?.tokenEnv,
      ...REGISTRY_SECRETS.map((s) => s.env),
      ...ciSecrets,
    ],
    process.env,
  );
  return (text) => redactText(text, secrets);
}

function label(inputs: ReplacementBuildInputs): string {
  return `ReplacementBuild "${inputs.image}" (${inputs.provider} ${inputs.repository})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The verdict on a build retired on purpose: nothing is proposed or read. */
function retiredVerdict(build: BuildSpec): ReplacementVerdict {
  const verdict = judgeReplacement({ build, observation: null, run: null, pushed: null });
  return { ...verdict, reason: `${build.image} is retired on purpose (replacement: none): nothing is proposed` };
}

/** Observes and verifies the build (reads only). */
async function verify(what: string, inputs: ReplacementBuildInputs, credentials: ProviderCredentials): Promise<ReplacementBuildOutputs> {
  const build = buildSpecOf(inputs);
  if (build.replacement === "none") return buildOutputsOf(inputs, retiredVerdict(build));
  let verdict: ReplacementVerdict | undefined;
  try {
    verdict = (await observeAndVerify(contextFor(inputs, credentials), [build])).get(buildKey(build));
  } catch (error) {
    throw new Error(redactorFor(inputs, credentials)(`${what} failed while verifying: ${messageOf(error)}`), { cause: error });
  }
  if (verdict === undefined) throw new Error(`${what}: verification returned no verdict for ${build.image}`);
  return buildOutputsOf(inputs, verdict);
}

/** Plans the proposal of the build's file and sends its steps (none when it is current or merged), then verifies. */
async function propose(what: string, inputs: ReplacementBuildInputs, credentials: ProviderCredentials): Promise<ReplacementBuildOutputs> {
  const build = buildSpecOf(inputs);
  if (build.replacement !== "none") {
    const redact = redactorFor(inputs, credentials);
    const ctx = contextFor(inputs, credentials);
    const group = (inputs.fileBuilds ?? []).filter((b) => b.replacement !== "none");
    try {
      const plans = await planReplacements(ctx, group.length > 0 ? group : [build]);
      const plan = plans.find((p) => p.target.images.includes(build.image));
      if (plan !== undefined && plan.steps.length > 0) {
        const result = await executeReplacementSteps(ctx, plan.steps);
        if (result.failed !== null) throw new Error(stoppedExecutionMessage(what, result, redact));
      }
    } catch (error) {
      throw new Error(
        redact(error instanceof Error && error.message.startsWith(what) ? error.message : `${what} failed: ${messageOf(error)}`),
        {
          cause: error,
        },
      );
    }
  }
  // Fresh clients: the verification reads what the steps wrote, not a cached response.
  return verify(what, inputs, credentials);
}

/** Validates the build's shape and that its world names the provider it proposes through; unknowns wait for apply. */
export async function checkBuild(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult<Props>> {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  if (typeof news.image !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(news.image))
    failures.push({ property: "image", reason: "must be a Docker Hub repository, namespace/name" });
  if (news.provider !== "github" && news.provider !== "bitbucket")
    failures.push({ property: "provider", reason: "must be github or bitbucket" });
  if (typeof news.repository !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(news.repository))
    failures.push({ property: "repository", reason: "must be owner/name (GitHub) or workspace/slug (Bitbucket)" });
  if (!Array.isArray(news.rules)) failures.push({ property: "rules", reason: "must be a list of build rules" });
  if (!Array.isArray(news.fileBuilds))
    failures.push({ property: "fileBuilds", reason: "must list the builds rendered into the same file" });
  if (news.buildService === undefined || news.buildService === null) failures.push({ property: "buildService", reason: "is required" });
  if ((news.provider === "github" || news.provider === "bitbucket") && news.providers?.[news.provider] === undefined)
    failures.push({
      property: `providers.${news.provider}`,
      reason: `is required: the ${news.provider} API URL and the env var of its token`,
    });
  return { inputs: pickBuildInputs(news), failures: knownFailures(news, failures) };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Replaces when the image, provider or repository changes; `changes` also when the last observation
 * found nothing proposed, so `pulumi up` after a refresh proposes again (e.g. a closed pull request).
 */
export async function diffBuild(_id: string, olds: ReplacementBuildOutputs, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const changed = BUILD_INPUT_KEYS.filter((key) => !same(olds[key], news[key]));
  const replaces = changed.filter((key) => (BUILD_REPLACE_KEYS as readonly string[]).includes(key));
  const unproposed = olds.state === "absent" && news.replacement !== "none";
  return { changes: changed.length > 0 || unproposed, replaces };
}

/** Proposes the replacement and verifies it. */
export async function createBuild(
  credentials: ProviderCredentials,
  inputs: Props,
): Promise<pulumi.dynamic.CreateResult<ReplacementBuildOutputs>> {
  return { id: buildResourceId(inputs), outs: await propose(`${label(inputs)} create`, pickBuildInputs(inputs), credentials) };
}

/** Refresh: where the proposal stands and whether the replacement built and pushed; proposes nothing. */
export async function readBuild(
  credentials: ProviderCredentials,
  id: string,
  props: Props | undefined,
): Promise<pulumi.dynamic.ReadResult<ReplacementBuildOutputs>> {
  if (props === undefined || typeof props.image !== "string" || props.buildService === undefined) {
    throw new Error(
      `ReplacementBuild read: no declaration for ${id || "(no id)"}. Dynamic resources cannot be imported; declare the build and run pulumi up.`,
    );
  }
  const inputs = pickBuildInputs(props);
  return {
    id,
    props: await verify(`${label(props)} read`, inputs, credentials),
    // The SDK types `inputs` as the outputs type; the host sends it to the engine as the inputs it is.
    inputs: inputs as unknown as ReplacementBuildOutputs,
  };
}

/** Proposes again under the new declaration (the same branch and pull request), then verifies. */
export async function updateBuild(
  credentials: ProviderCredentials,
  _id: string,
  _olds: ReplacementBuildOutputs,
  news: Props,
): Promise<pulumi.dynamic.UpdateResult<ReplacementBuildOutputs>> {
  return { outs: await propose(`${label(news)} update`, pickBuildInputs(news), credentials) };
}

/** Removing the resource releases the build: the pull request, file and secrets stay as they are. */
export async function deleteBuild(): Promise<void> {
  return;
}

/** What the `ReplacementBuild` provider object runs (dynamic-provider.ts). */
export const providerMethods: ProviderMethods<Props, ReplacementBuildOutputs> = withSecretOutputs({
  check: checkBuild,
  diff: diffBuild,
  create: createBuild,
  read: readBuild,
  update: updateBuild,
  delete: deleteBuild,
});
