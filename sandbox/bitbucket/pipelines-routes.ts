/**
 * Bitbucket Pipelines settings of a repository: `GET`/`PUT …/pipelines_config` (`enabled`) and the
 * repository variables `…/pipelines_config/variables[/{uuid}]`, where a secured variable's value is
 * kept but never served back, as Bitbucket does
 * (https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pipelines/).
 */
import { randomUUID } from "node:crypto";
import type { RouteContext } from "../router.js";
import { json } from "../router.js";
import type { BitbucketRepoState, BitbucketVariableState } from "../world.js";
import { withRepository } from "./auth.js";
import { bbError, paged, repoRef } from "./wire.js";

/** Bitbucket's rule for variable names: letters, digits and `_`, not starting with a digit. */
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function bodyOf(ctx: RouteContext): Record<string, unknown> {
  return typeof ctx.body === "object" && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
}

function configWire(ctx: RouteContext, repo: BitbucketRepoState): Record<string, unknown> {
  return { type: "repository_pipelines_configuration", enabled: repo.pipelinesEnabled === true, repository: repoRef(ctx, repo) };
}

function variableWire(v: BitbucketVariableState): Record<string, unknown> {
  return { type: "pipeline_variable", uuid: v.uuid, key: v.key, secured: v.secured, ...(v.secured ? {} : { value: v.value }) };
}

/** `GET …/pipelines_config`. */
export const getPipelinesConfig = withRepository((ctx, repo) => json(200, configWire(ctx, repo)));

/** `PUT …/pipelines_config` with `{enabled}`. */
export const putPipelinesConfig = withRepository((ctx, repo) => {
  const { enabled } = bodyOf(ctx);
  if (typeof enabled !== "boolean") return bbError(400, "enabled: a boolean is required");
  repo.pipelinesEnabled = enabled;
  return json(200, configWire(ctx, repo));
});

/** `GET …/pipelines_config/variables`. */
export const listVariables = withRepository((ctx, repo) => paged(ctx, (repo.variables ?? []).map(variableWire)));

/** `POST …/pipelines_config/variables` with `{key, value, secured}`: 201, or 409 when the key exists. */
export const createVariable = withRepository((ctx, repo) => {
  const { key, value, secured } = bodyOf(ctx);
  if (typeof key !== "string" || !KEY.test(key)) return bbError(400, "key: Invalid variable name");
  if (typeof value !== "string") return bbError(400, "value: This field is required.");
  const variables = (repo.variables ??= []);
  if (variables.some((v) => v.key === key)) return bbError(409, `A variable with the key provided already exists.`);
  const created: BitbucketVariableState = { uuid: `{${randomUUID()}}`, key, value, secured: secured === true };
  variables.push(created);
  return json(201, variableWire(created));
});

/** `PUT …/pipelines_config/variables/{variable_uuid}`: a new value (and key, secured). */
export const updateVariable = withRepository((ctx, repo) => {
  const variable = (repo.variables ?? []).find((v) => v.uuid === ctx.params.variable_uuid);
  if (!variable) return bbError(404, `Variable ${ctx.params.variable_uuid ?? ""} not found`);
  const { key, value, secured } = bodyOf(ctx);
  if (key !== undefined && (typeof key !== "string" || !KEY.test(key))) return bbError(400, "key: Invalid variable name");
  if (value !== undefined && typeof value !== "string") return bbError(400, "value: a string is required");
  if (typeof key === "string") variable.key = key;
  if (typeof value === "string") variable.value = value;
  if (typeof secured === "boolean") variable.secured = variable.secured || secured;
  return json(200, variableWire(variable));
});
