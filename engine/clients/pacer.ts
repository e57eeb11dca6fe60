/**
 * Client-side pacing under GitHub's documented limits, so requests are not rejected in the first
 * place (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api):
 * - at most `concurrency` requests in flight (GitHub's secondary limit is 100);
 * - per REST endpoint, at most `endpointPointsPerMinute` points (900; reads cost 1, writes 5);
 * - at most `contentCreatingPerMinute` content-creating requests (POST/PATCH/PUT; 80) a minute,
 *   and `contentCreatingPerHour` (500) an hour: GitHub's limit on requests that create content, which
 *   a DELETE does not (it still costs 5 endpoint points);
 * - the primary budget the server reported (`x-ratelimit-remaining` / `x-ratelimit-reset`).
 *
 * Budgets are sliding windows counted from when a request's answer ARRIVED (an upper bound on when
 * the server counted it), and a request in flight always counts: any window the server uses
 * (fixed or sliding) then sees at most the budget. `timeScale` compresses GitHub time like the
 * sandbox's (a GitHub minute lasts 60 / timeScale real seconds). The endpoint window is a minute by
 * default; Bitbucket's client paces its webhook-data budget with the same machinery over an hour.
 */

/** Time source and timers, injectable so tests need no wall clock. */
export interface PacerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const systemClock: PacerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Pacing configuration; every field has a GitHub.com default. */
export interface PacingOptions {
  /** Maximum requests in flight. Default 20. */
  concurrency?: number;
  /** Whether point budgets are paced at all; off means concurrency only (GHES ships without limits). Default true. */
  budgets?: boolean;
  /** Points per endpoint per window (a GitHub minute unless `endpointWindowSeconds` says otherwise). Default 900. */
  endpointPointsPerMinute?: number;
  /** The endpoint budgets' window, in the provider's seconds. Default 60 (GitHub's secondary limits). */
  endpointWindowSeconds?: number;
  /** Content-creating requests per GitHub minute. Default 80. */
  contentCreatingPerMinute?: number;
  /** Content-creating requests per GitHub hour. Default 500. */
  contentCreatingPerHour?: number;
  /** Points of a GET/HEAD/OPTIONS request. Default 1. */
  readCost?: number;
  /** Points of any other request. Default 5. */
  writeCost?: number;
  /** GitHub seconds per real second (the sandbox's `timeScale`). Default 1. */
  timeScale?: number;
  clock?: PacerClock;
}

/** What one request needs from the pacer. */
export interface PacedRequest {
  method: string;
  /** The endpoint key, e.g. `/repos/{owner}/{repo}/hooks`: budgets are kept per key. */
  endpoint: string;
  /**
   * Overrides what the method implies, for an endpoint GitHub counts otherwise: a GraphQL query is a
   * POST that costs 1 secondary point and creates no content.
   */
  points?: number;
  contentCreating?: boolean;
}

/** A snapshot for diagnostics and tests. */
export interface PacerStats {
  inFlight: number;
  queued: number;
  /** Requests that had to wait for a budget (not only for a concurrency slot). */
  budgetWaits: number;
}

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const CONTENT_METHODS = new Set(["POST", "PATCH", "PUT"]);

/** A sliding-window budget that counts in-flight spending as used. */
class Budget {
  #inFlight = 0;
  #done: { at: number; points: number }[] = [];
  #head = 0;
  #doneSum = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  #expire(now: number): void {
    while (this.#head < this.#done.length && this.#done[this.#head]!.at + this.windowMs <= now) {
      this.#doneSum -= this.#done[this.#head]!.points;
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#done.length) {
      this.#done = this.#done.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Whether `points` more fit now. A request bigger than the whole budget is let through alone. */
  fits(points: number, now: number): boolean {
    this.#expire(now);
    const used = this.#inFlight + this.#doneSum;
    return used + points <= this.limit || used === 0;
  }

  /** When the oldest finished spending leaves the window, or null when only in-flight requests hold it. */
  nextRelease(): number | null {
    const oldest = this.#done[this.#head];
    return oldest ? oldest.at + this.windowMs : null;
  }

  begin(points: number): void {
    this.#inFlight += points;
  }

  end(points: number, now: number): void {
    this.#inFlight -= points;
    this.#done.push({ at: now, points });
    this.#doneSum += points;
  }
}

interface Job {
  endpoint: string;
  points: number;
  content: boolean;
  /** The queue's `blockedCount` when this job was enqueued: a later value means it waited for a budget. */
  blockedAtEnqueue: number;
  start: () => void;
}

/** A FIFO queue with O(1) shift. */
class Queue<T> {
  /** How many times the head was found waiting for a budget. */
  blockedCount = 0;
  #items: T[] = [];
  #head = 0;
  get length(): number {
    return this.#items.length - this.#head;
  }
  push(item: T): void {
    this.#items.push(item);
  }
  peek(): T | undefined {
    return this.#items[this.#head];
  }
  shift(): T | undefined {
    const item = this.#items[this.#head];
    if (item === undefined) return undefined;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

/** Schedules requests within concurrency and rate budgets; one pacer per credential. */
export class Pacer {
  readonly concurrency: number;
  readonly budgets: boolean;
  readonly #clock: PacerClock;
  readonly #minuteMs: number;
  readonly #endpointWindowMs: number;
  readonly #endpointPoints: number;
  readonly #readCost: number;
  readonly #writeCost: number;
  readonly #content: Budget;
  readonly #contentHour: Budget;
  readonly #endpoints = new Map<string, Budget>();
  readonly #queues = new Map<string, Queue<Job>>();
  #rotate = 0;
  #inFlight = 0;
  #queued = 0;
  #budgetWaits = 0;
  #timer: { handle: unknown; at: number } | null = null;
  #primary: { remaining: number; resetAt: number } | null = null;
  #primaryInFlight = 0;

  constructor(options: PacingOptions = {}) {
    this.concurrency = positive(options.concurrency ?? 20, "concurrency");
    this.budgets = options.budgets ?? true;
    this.#clock = options.clock ?? systemClock;
    const timeScale = positive(options.timeScale ?? 1, "timeScale");
    this.#minuteMs = 60_000 / timeScale;
    this.#endpointWindowMs = (1000 * positive(options.endpointWindowSeconds ?? 60, "endpointWindowSeconds")) / timeScale;
    this.#endpointPoints = positive(options.endpointPointsPerMinute ?? 900, "endpointPointsPerMinute");
    this.#readCost = options.readCost ?? 1;
    this.#writeCost = options.writeCost ?? 5;
    this.#content = new Budget(positive(options.contentCreatingPerMinute ?? 80, "contentCreatingPerMinute"), this.#minuteMs);
    this.#contentHour = new Budget(positive(options.contentCreatingPerHour ?? 500, "contentCreatingPerHour"), 60 * this.#minuteMs);
  }

  /** Runs `run` once concurrency and budgets allow; rejections of `run` propagate unchanged. */
  schedule<T>(request: PacedRequest, run: () => Promise<T>): Promise<T> {
    const method = request.method.toUpperCase();
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        endpoint: request.endpoint,
        points: request.points ?? (READ_METHODS.has(method) ? this.#readCost : this.#writeCost),
        content: request.contentCreating ?? CONTENT_METHODS.has(method),
        blockedAtEnqueue: 0,
        start: () => {
          this.#begin(job);
          let result: Promise<T>;
          try {
            result = run();
          } catch (error) {
            result = Promise.reject(error);
          }
          result.then(
            (value) => {
              this.#end(job);
              resolve(value);
            },
            (error: unknown) => {
              this.#end(job);
              reject(error);
            },
          );
        },
      };
      let queue = this.#queues.get(job.endpoint);
      if (!queue) {
        queue = new Queue<Job>();
        this.#queues.set(job.endpoint, queue);
      }
      job.blockedAtEnqueue = queue.blockedCount;
      queue.push(job);
      this.#queued++;
      this.#pump();
    });
  }

  /**
   * Records the primary budget a response reported (`x-ratelimit-remaining`, `x-ratelimit-reset`
   * in epoch seconds). Later answers of the same window can only lower what remains.
   */
  observePrimary(remaining: number, resetEpochSeconds: number): void {
    if (!Number.isFinite(remaining) || !Number.isFinite(resetEpochSeconds)) return;
    const resetAt = resetEpochSeconds * 1000;
    const current = this.#primary;
    if (!current || resetAt > current.resetAt) this.#primary = { remaining, resetAt };
    else if (resetAt === current.resetAt) current.remaining = Math.min(current.remaining, remaining);
    this.#pump();
  }

  /** Current queue and in-flight counts. */
  stats(): PacerStats {
    return { inFlight: this.#inFlight, queued: this.#queued, budgetWaits: this.#budgetWaits };
  }

  #endpointBudget(endpoint: string): Budget {
    let budget = this.#endpoints.get(endpoint);
    if (!budget) {
      budget = new Budget(this.#endpointPoints, this.#endpointWindowMs);
      this.#endpoints.set(endpoint, budget);
    }
    return budget;
  }

  /** The time `job` may start at, `now` when it may start immediately, or null when only a completion can free it. */
  #readyAt(job: Job, now: number): number | null {
    if (!this.budgets) return now;
    let at = now;
    let blockedOnInFlight = false;
    const consider = (budget: Budget, points: number): void => {
      if (budget.fits(points, now)) return;
      const release = budget.nextRelease();
      if (release === null) blockedOnInFlight = true;
      else at = Math.max(at, release);
    };
    consider(this.#endpointBudget(job.endpoint), job.points);
    if (job.content) {
      consider(this.#content, 1);
      consider(this.#contentHour, 1);
    }
    const primary = this.#primary;
    if (primary && now < primary.resetAt && primary.remaining - this.#primaryInFlight <= 0) at = Math.max(at, primary.resetAt);
    if (at === now && blockedOnInFlight) return null;
    return at;
  }

  #pump(): void {
    const now = this.#clock.now();
    let wakeAt = Number.POSITIVE_INFINITY;
    let progress = true;
    while (progress && this.#inFlight < this.concurrency && this.#queued > 0) {
      progress = false;
      const keys = [...this.#queues.keys()];
      for (let i = 0; i < keys.length && this.#inFlight < this.concurrency; i++) {
        const key = keys[(i + this.#rotate) % keys.length]!;
        const queue = this.#queues.get(key)!;
        const job = queue.peek();
        if (!job) {
          this.#queues.delete(key);
          continue;
        }
        const at = this.#readyAt(job, now);
        if (at === now) {
          queue.shift();
          this.#queued--;
          if (queue.length === 0) this.#queues.delete(key);
          if (queue.blockedCount > job.blockedAtEnqueue) this.#budgetWaits++;
          job.start();
          progress = true;
        } else {
          if (at !== null) wakeAt = Math.min(wakeAt, at);
          queue.blockedCount++;
        }
      }
      this.#rotate++;
    }
    if (wakeAt !== Number.POSITIVE_INFINITY) this.#wakeAt(wakeAt, now);
  }

  #wakeAt(at: number, now: number): void {
    if (this.#timer && this.#timer.at <= at) return;
    if (this.#timer) this.#clock.clearTimeout(this.#timer.handle);
    const handle = this.#clock.setTimeout(
      () => {
        this.#timer = null;
        this.#pump();
      },
      Math.max(0, at - now),
    );
    this.#timer = { handle, at };
  }

  #begin(job: Job): void {
    this.#inFlight++;
    this.#primaryInFlight++;
    if (!this.budgets) return;
    this.#endpointBudget(job.endpoint).begin(job.points);
    if (job.content) {
      this.#content.begin(1);
      this.#contentHour.begin(1);
    }
  }

  #end(job: Job): void {
    const now = this.#clock.now();
    this.#inFlight--;
    this.#primaryInFlight--;
    if (this.budgets) {
      const budget = this.#endpointBudget(job.endpoint);
      budget.end(job.points, now);
      if (job.content) {
        this.#content.end(1, now);
        this.#contentHour.end(1, now);
      }
    }
    this.#pump();
  }
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`pacer: ${name} must be a positive number, got ${value}`);
  return value;
}
