/**
 * `maxResults`/`nextToken` paging, as AWS does it: a page of at most `maxResults` (1–1000,
 * 100 when 0 or absent) and an opaque token for the rest. A token is only valid for the
 * listing it came from; anything else is `InvalidToken`.
 */
import { ApiError } from "./errors.js";
import { optionalInteger, optionalString, type Body } from "./fields.js";

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** Pages `all` (already in the listing's order); `scope` ties tokens to one listing. */
export function paginate<T>(body: Body, all: readonly T[], scope: string): Page<T> {
  const max = optionalInteger(body, "maxResults", 0, 1000) || 100;
  const token = optionalString(body, "nextToken", 1024);
  let start = 0;
  if (token !== undefined) start = decodeToken(token, scope);
  const items = all.slice(start, start + max);
  const end = start + items.length;
  return end < all.length ? { items, nextToken: encodeToken(end, scope) } : { items };
}

function encodeToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString("base64url");
}

function decodeToken(token: string, scope: string): number {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown; s?: unknown };
    if (typeof t.o === "number" && Number.isInteger(t.o) && t.o >= 0 && t.s === scope) return t.o;
  } catch {
    // fall through
  }
  throw new ApiError("InvalidToken", `Invalid Token: '${token}'`);
}
