/**
 * Preloaded with `node --import` into a command the benchmark times: on exit, writes the process's
 * peak RSS in bytes (`process.resourceUsage().maxRSS`, kilobytes) to the file named by `BENCH_RSS_FILE`,
 * and its CPU seconds (user + system) to `BENCH_CPU_FILE` when set: on a shared machine, wall time
 * measures the neighbours too.
 */
import { writeFileSync } from "node:fs";

const target = process.env["BENCH_RSS_FILE"];
if (target !== undefined) {
  process.on("exit", () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}

const cpuTarget = process.env["BENCH_CPU_FILE"];
if (cpuTarget !== undefined) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(cpuTarget, String((usage.userCPUTime + usage.systemCPUTime) / 1e6));
  });
}
