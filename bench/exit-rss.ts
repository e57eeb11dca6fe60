/**
 * Preloaded with `node --import` into a command the benchmark times: on exit, writes the process's
 * peak RSS in bytes (`process.resourceUsage().maxRSS`, kilobytes) to the file named by `BENCH_RSS_FILE`.
 */
import { writeFileSync } from "node:fs";

const target = process.env["BENCH_RSS_FILE"];
if (target !== undefined) {
  process.on("exit", () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}
