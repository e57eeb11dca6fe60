/**
 * The Pulumi type tokens of the sourcelinks resources: what the provider registers and what the
 * policy pack matches on (docs/identity-and-sharing.md). `dynamic.Resource` builds a token from a module and a type
 * name as `pulumi-nodejs:dynamic/<module>:<type name>`, so adding a resource is one line in TYPE_TOKENS.
 */

/** The module part of every type token. */
export const TOKEN_MODULE = "sourcelinks";

/** The token `dynamic.Resource` registers for type `name` under TOKEN_MODULE. */
function dynamicToken<Name extends string>(name: Name) {
  return `pulumi-nodejs:dynamic/${TOKEN_MODULE}:${name}` as const;
}

/** Each resource's type token, by its type name (the name the resource class passes to `dynamic.Resource`). */
export const TYPE_TOKENS = {
  SourceProviderLink: dynamicToken("SourceProviderLink"),
  OrgThirdPartyAccess: dynamicToken("OrgThirdPartyAccess"),
  OrphanSweep: dynamicToken("OrphanSweep"),
  ReplacementBuild: dynamicToken("ReplacementBuild"),
} as const;

/** The type name of a sourcelinks resource: the last part of its token. */
export type ResourceTypeName = keyof typeof TYPE_TOKENS;
