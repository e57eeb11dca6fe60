/**
 * Bounds a paginated listing: the server names the next page, so a broken or hostile one can name
 * the same page again, or page+1 forever. A listing fails with a message when its cursor repeats or
 * its pages outrun what the server itself announced (`total_count`, Bitbucket's `size`) or the most
 * a real listing of that kind can hold.
 */
import { HttpError, type ServiceName } from "./http-error.js";

/** Tracks the pages of one listing. */
export class PageGuard {
  readonly #seen = new Set<string>();
  #first: string | null = null;
  #pages = 0;
  #max: number;
  #why: string;

  constructor(
    private readonly service: ServiceName,
    /** What is listed, for the message ("webhooks of acme/api"). */
    private readonly what: string,
    /** Most pages a real listing of this kind can have. */
    maxPages: number,
    why: string,
  ) {
    this.#max = maxPages;
    this.#why = why;
  }

  /** Records a page about to be read; throws when it was read already or is one page too many. */
  visit(url: string): void {
    const key = new URL(url).toString();
    this.#first ??= key;
    if (this.#seen.has(key)) this.#fail("its next page is one already read (the cursor repeats)");
    this.#seen.add(key);
    this.#pages++;
    if (this.#pages > this.#max) this.#fail(`it runs past ${this.#max} pages, ${this.#why}`);
  }

  /** Tightens the bound to what the server announced (`total` items at `perPage` a page). */
  announce(total: number, perPage: number, field: string): void {
    if (!Number.isFinite(total) || !Number.isFinite(perPage) || total < 0 || perPage <= 0) return;
    const pages = Math.max(1, Math.ceil(total / perPage));
    if (pages < this.#max) {
      this.#max = pages;
      this.#why = `the ${pages} its ${field} of ${total} allows`;
    }
  }

  /** Names the listing by its first URL (which this client built), never by a link the server supplied. */
  #fail(reason: string): never {
    const url = this.#first ?? "";
    throw new HttpError({
      status: 0,
      service: this.service,
      method: "GET",
      url,
      detail: `pagination of the ${this.what} never ends: ${reason}`,
      refused: true,
    });
  }
}
