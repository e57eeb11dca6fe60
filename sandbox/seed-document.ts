/** The shape of a seed document, parsed and validated by seed.ts and built into a world by seed-world.ts. */
import type { SeedGitHubApp } from "./github/app-seed.js";

/** A seed document (the parsed YAML); see the module comment for every field. */
export interface SeedDocument {
  operator?: { github?: string; bitbucket?: string; namespace?: string; dockerHub?: string };
  oauthApps?: { provider: "github" | "bitbucket"; clientId: string; name: string; clientSecret?: string }[];
  github?: {
    users?: { login: string; name?: string | null; pat?: boolean | string }[];
    orgs?: {
      login: string;
      name?: string | null;
      owners?: string[];
      members?: string[];
      restrictions?: boolean;
      appAccess?: Record<string, "granted" | "denied" | "requested">;
      auditLog?: boolean;
      hooks?: SeedGitHubHook[];
    }[];
    repos?: {
      name: string;
      private?: boolean;
      hooks?: SeedGitHubHook[];
      deployKeys?: { title: string; key?: string; readOnly?: boolean }[];
      archived?: boolean;
      defaultBranch?: string;
      files?: Record<string, string>;
    }[];
    tokens?: { login: string; kind: "pat" | "oauth"; app?: string; value?: string; revoked?: boolean; scopes?: string[] }[];
    /** GitHub Apps (github/app-seed.ts). */
    apps?: SeedGitHubApp[];
  };
  bitbucket?: {
    users?: {
      username: string;
      email?: string;
      apiToken?: string;
      appPassword?: string;
      workspaces?: string[];
      grants?: { app: string; revoked?: boolean; accessToken?: string }[];
    }[];
    repos?: {
      name: string;
      hooks?: {
        url: string;
        description?: string;
        active?: boolean;
        events?: string[];
        secret?: boolean;
        skipCertVerification?: boolean;
      }[];
      deployKeys?: { label: string; key?: string }[];
      defaultBranch?: string;
      files?: Record<string, string>;
    }[];
    accessTokens?: { workspace: string; repository?: string; value?: string }[];
  };
  dockerHub?: {
    users?: { username: string; namespaces?: string[]; accessTokens?: { scope?: "read" | "write"; value?: string }[] }[];
    repositories?: { name: string; private?: boolean; tags?: { name: string; lastPushed?: string }[] }[];
    rateLimit?: { limit: number; windowSeconds?: number };
  };
  buildService?: {
    webhookUrlBase?: string;
    namespaces?: {
      name: string;
      tokens?: { value?: string }[];
      links?: SeedLink[];
    }[];
  };
}

/** A GitHub webhook in a seed. */
export interface SeedGitHubHook {
  url: string;
  active?: boolean;
  events?: string[];
  contentType?: "json" | "form";
  secret?: boolean | string;
  insecureSsl?: boolean;
  lastResponse?: { code?: number | null; status: string; message?: string | null };
}

/** A build-service link in a seed. */
export interface SeedLink {
  id?: string;
  team?: string | null;
  provider: "github" | "bitbucket";
  account: string;
  serviceAccount?: boolean;
  state?: "enabled" | "disabled" | "unlinked";
  repositories?: string[];
  grant?: "active" | "revoked" | "none";
}
