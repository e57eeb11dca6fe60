/** Which Node.js versions the CLI and the policy pack accept, and that package.json says the same. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isSupportedNode, SUPPORTED_NODE, unsupportedNodeMessage } from "../../engine/model/node-support.cjs";

describe("the supported Node.js versions", () => {
  it("are 20.19 and later 20s, and 22.12 onwards: not 22.0–22.11, where require() of an ES module fails", () => {
    const accepted = ["20.19.0", "20.20.2", "22.12.0", "22.22.1", "23.0.0", "24.11.1", "26.1.0", "v24.0.0"];
    const refused = ["18.20.8", "20.18.3", "21.7.3", "22.0.0", "22.11.0"];
    expect(accepted.filter((v) => !isSupportedNode(v))).toEqual([]);
    expect(refused.filter((v) => isSupportedNode(v))).toEqual([]);
  });

  it("are what package.json's engines declares", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(SUPPORTED_NODE);
  });

  it("are named in the message an unsupported Node gets, and a supported one gets none", () => {
    expect(unsupportedNodeMessage("sourcelinks", "22.11.0")).toBe(
      "sourcelinks needs Node.js ^20.19.0 || >=22.12.0; this is Node.js 22.11.0. Install a supported Node.js (22.12 or later, or 20.19 or later on 20) and run it again.",
    );
    expect(unsupportedNodeMessage("sourcelinks", "22.12.0")).toBeUndefined();
  });
});
