/**
 * Setup of the test files that share one module graph although they set environment variables and
 * Pulumi's runtime mocks and config (vitest.config.ts, project `pulumi`): after each file the
 * environment is put back as the file found it and Pulumi's runtime forgets the file's monitor,
 * stack and config, so the next file starts as it would in a fresh process.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll } from "vitest";

const found = { ...process.env };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in found)) delete process.env[key];
  Object.assign(process.env, found);
  pulumi.runtime.setAllConfig({}, []);
  pulumi.runtime.resetOptions("", "", -1, "", "", false, "");
});
