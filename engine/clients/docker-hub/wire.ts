/** Docker Hub's API answers as the client reads them (docs.docker.com/reference/api/hub/latest), and what it keeps of them. */

/** `POST /v2/auth/token`'s answer. */
export interface DockerHubTokenWire {
  access_token: string;
}

/** A tag as `GET /v2/namespaces/{ns}/repositories/{repo}/tags[/{tag}]` answers it (the fields read). */
export interface DockerHubTagWire {
  name: string;
  tag_last_pushed?: string | null;
  last_updated?: string | null;
  digest?: string | null;
}

/** A page of tags. */
export interface DockerHubTagPageWire {
  count: number;
  next: string | null;
  results: DockerHubTagWire[];
}

/** One tag of an image: its name, when it was last pushed (ISO 8601, null when Docker Hub does not say) and its digest. */
export interface DockerHubTag {
  name: string;
  lastPushed: string | null;
  digest: string | null;
}

/** The tag as the client hands it out. */
export function toTag(wire: DockerHubTagWire): DockerHubTag {
  return { name: wire.name, lastPushed: wire.tag_last_pushed ?? wire.last_updated ?? null, digest: wire.digest ?? null };
}

/** Docker Hub's error text: `message` (or `detail`), else null. */
export function dockerHubErrorMessage(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const { message, detail } = body as { message?: unknown; detail?: unknown };
  if (typeof message === "string" && message !== "") return message;
  return typeof detail === "string" && detail !== "" ? detail : null;
}

/** What is wrong with a body that should be a page of tags, or null. */
export function tagPageProblem(body: unknown): string | null {
  const page = body as Partial<DockerHubTagPageWire>;
  if (!Array.isArray(page.results)) return "no `results` list";
  if (page.next !== undefined && page.next !== null && typeof page.next !== "string") return "`next` is not a URL";
  return null;
}

/** What is wrong with a body that should be a tag, or null. */
export function tagProblem(body: unknown): string | null {
  return typeof (body as Partial<DockerHubTagWire>).name === "string" ? null : "no tag `name`";
}
