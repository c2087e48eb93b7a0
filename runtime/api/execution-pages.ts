/**
 * Paging over lists that grow while a client pages through them (executions of a state
 * machine, events of a running execution). An offset would shift when items arrive, so the
 * token names the next item to return by its key instead; `maxResults` 1–1000, 100 when 0
 * or absent, as pagination.ts. A token from another listing, or whose item is gone, is
 * InvalidToken.
 */
import { ApiError, validationError } from "./errors.js";
import { optionalInteger, optionalString, type Body } from "./fields.js";
import type { Page } from "./pagination.js";

/** nextToken's length limit in the model (PageToken for these actions: 1–3096). */
const MAX_TOKEN_LENGTH = 3096;

/**
 * Pages `all` (already in the listing's order) keeping the items `keep` accepts; `keyOf`
 * names an item, `scope` ties tokens to one listing. The cursor is a position in `all`, so
 * an item that stops matching `keep` between pages (an execution that finished) moves no
 * other item.
 */
export function cursorPage<T>(
  body: Body, all: readonly T[], keyOf: (item: T) => string, scope: string, keep: (item: T) => boolean = () => true,
): Page<T> {
  const { max, token } = readPaging(body);
  let i = 0;
  if (token !== undefined) {
    const key = decodeToken(token, scope);
    i = all.findIndex((item) => keyOf(item) === key);
    if (i < 0) throw invalidToken(token);
  }
  const items: T[] = [];
  for (; i < all.length; i++) {
    const item = all[i] as T;
    if (!keep(item)) continue;
    if (items.length === max) return { items, nextToken: encodeToken(keyOf(item), scope) };
    items.push(item);
  }
  return { items };
}

/** `maxResults` (1–1000, 100 when 0 or absent) and `nextToken` as given. */
export function readPaging(body: Body): { max: number; token: string | undefined } {
  const max = optionalInteger(body, "maxResults", 0, 1000) || 100;
  const token = optionalString(body, "nextToken", MAX_TOKEN_LENGTH);
  if (token === "") throw validationError("nextToken", token, "Member must have length greater than or equal to 1");
  return { max, token };
}

/** A token naming the next item by `key`, tied to `scope` (cursorPage's tokens). */
export function encodeToken(key: string, scope: string): string {
  return Buffer.from(JSON.stringify({ k: key, s: scope })).toString("base64url");
}

/** The key a token of `scope` names; InvalidToken for any other token. */
export function decodeToken(token: string, scope: string): string {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { k?: unknown; s?: unknown };
    if (typeof t.k === "string" && t.s === scope) return t.k;
  } catch {
    // fall through
  }
  throw invalidToken(token);
}

export const invalidToken = (token: string): ApiError => new ApiError("InvalidToken", `Invalid Token: '${token}'`);
