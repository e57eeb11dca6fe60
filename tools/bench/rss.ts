/**
 * Peak resident memory of the process doing the work: the kernel's high-water mark
 * (`process.resourceUsage().maxRSS`, kilobytes on Linux) cross-checked by sampling
 * `process.memoryUsage().rss`, since maxRSS is coarse on some platforms.
 */

/** A running sampler; `stop()` returns the peak in bytes. */
export interface RssSampler {
  stop(): { peakRssBytes: number; sampledPeakBytes: number; maxRssBytes: number };
}

/** Starts sampling RSS every `intervalMs` (unref'd: it never keeps the process alive). */
export function sampleRss(intervalMs = 25): RssSampler {
  let sampledPeak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
      const maxRssBytes = process.resourceUsage().maxRSS * 1024;
      return { peakRssBytes: Math.max(sampledPeak, maxRssBytes), sampledPeakBytes: sampledPeak, maxRssBytes };
    },
  };
}
