import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runSandboxCommand } from "../../sandbox/command.js";

function capture(): { stream: Writable; text: () => string; firstLine: Promise<string> } {
  let buf = "";
  let onLine!: (line: string) => void;
  const firstLine = new Promise<string>((r) => (onLine = r));
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      buf += chunk.toString();
      if (buf.includes("\n")) onLine(buf.slice(0, buf.indexOf("\n")));
      done();
    },
  });
  return { stream, text: () => buf, firstLine };
}

describe("runSandboxCommand", () => {
  it("prints exactly one JSON line with baseUrl and env in the documented order, serves, and stops on abort", async () => {
    const out = capture();
    const stop = new AbortController();
    const exit = runSandboxCommand({ out: out.stream, signal: stop.signal, quiet: true });
    const line = JSON.parse(await out.firstLine) as { baseUrl: string; env: Record<string, string> };
    expect(Object.keys(line)).toEqual(["baseUrl", "env"]);
    expect(Object.keys(line.env)).toEqual([
      "SOURCELINKS_BUILD_API_URL",
      "SOURCELINKS_BUILD_TOKEN",
      "SOURCELINKS_GITHUB_API_URL",
      "GITHUB_TOKEN",
      "SOURCELINKS_BITBUCKET_API_URL",
      "BITBUCKET_EMAIL",
      "BITBUCKET_API_TOKEN",
      "SOURCELINKS_GITHUB_CLIENT_SECRET",
      "SOURCELINKS_DOCKER_HUB_API_URL",
      "DOCKER_HUB_USERNAME",
      "DOCKER_HUB_READ_TOKEN",
    ]);
    const links = await fetch(`${line.env.SOURCELINKS_BUILD_API_URL}/acme/links/`, {
      headers: { authorization: `Bearer ${line.env.SOURCELINKS_BUILD_TOKEN}` },
    });
    expect(links.status).toBe(200);
    stop.abort();
    expect(await exit).toBe(0);
    expect(out.text().split("\n")).toEqual([expect.any(String), ""]);
    await expect(fetch(`${line.baseUrl}/_sandbox/counters`)).rejects.toThrow();
  });

  it("stops on SIGTERM", async () => {
    const out = capture();
    const exit = runSandboxCommand({ out: out.stream, quiet: true });
    await out.firstLine;
    process.emit("SIGTERM");
    expect(await exit).toBe(0);
  });
});
