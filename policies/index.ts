/**
 * The `sourcelinks` policy pack. Run by the Pulumi engine (`pulumi preview --policy-pack policies`),
 * which starts this module through @pulumi/pulumi's run-policy-pack; constructing the PolicyPack
 * starts the analyzer gRPC server and prints its port on stdout.
 */
import { PolicyPack } from "@pulumi/policy";
import { buildPolicies } from "./pack-policies.js";

new PolicyPack("sourcelinks", {
  description: "Build-service links (Docker Hub autobuilds style) to GitHub and Bitbucket: revocation leaves nothing behind, team links use service accounts, org access matches the config.",
  enforcementLevel: "mandatory",
  policies: buildPolicies(),
});
