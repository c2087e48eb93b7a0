/**
 * GetExecutionHistory: the events exactly as the engine recorded them, oldest first (or
 * newest first with `reverseOrder`), paged, times as epoch seconds; from the engine's memory,
 * or from the store once the execution has left memory (same tokens, so paging goes on).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 */
import type { HistoryEvent } from "../../../translators/xstate/actor-data.js";
import { epochSeconds, type ActionTable, type ApiContext } from "../context.js";
import { findExecutionOrThrow, executionDoesNotExist } from "../execution-arns.js";
import { cursorPage, decodeToken, encodeToken, invalidToken, readPaging } from "../execution-pages.js";
import { optionalBoolean, requiredString, type Body } from "../fields.js";

/** With `includeExecutionData: false` AWS leaves out the execution data: events' input and output. */
const EXECUTION_DATA = new Set(["input", "output"]);

function wireEvent(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event, timestamp: epochSeconds(event.timestamp) };
  if (includeData) return out;
  for (const [key, value] of Object.entries(out)) {
    if (!key.endsWith("EventDetails") || value === null || typeof value !== "object") continue;
    out[key] = Object.fromEntries(Object.entries(value).filter(([field]) => !EXECUTION_DATA.has(field)));
  }
  return out;
}

/** A page of the history of an execution the engine no longer holds, read from the store; tokens as cursorPage's. */
async function storedPage(ctx: ApiContext, body: Body, arn: string, reverse: boolean, scope: string): Promise<{ events: readonly HistoryEvent[]; nextToken?: string }> {
  const { max, token } = readPaging(body);
  const from = token === undefined ? undefined : Number(decodeToken(token, scope));
  if (from !== undefined && !(Number.isSafeInteger(from) && from > 0)) throw invalidToken(token as string);
  const page = await ctx.executions.storedHistory(arn, reverse, max, from);
  if (!page) throw executionDoesNotExist(arn);
  if (token !== undefined && page.events.length === 0) throw invalidToken(token);
  return { events: page.events, ...(page.next !== undefined ? { nextToken: encodeToken(String(page.next), scope) } : {}) };
}

export const historyActions: ActionTable = {
  async GetExecutionHistory(body, ctx) {
    const arn = requiredString(body, "executionArn", 256);
    const reverse = optionalBoolean(body, "reverseOrder") ?? false;
    const includeData = optionalBoolean(body, "includeExecutionData") ?? true;
    const { run } = await findExecutionOrThrow(ctx, arn);
    const scope = `history|${arn}|${reverse}`;
    let page: { events: readonly HistoryEvent[]; nextToken?: string };
    if (run) {
      const events = reverse ? [...run.history].reverse() : run.history;
      // Keyed by event id: a running execution's history grows while a client pages through it.
      const { items, nextToken } = cursorPage(body, events, (e) => String(e.id), scope);
      page = { events: items, ...(nextToken ? { nextToken } : {}) };
    } else {
      page = await storedPage(ctx, body, arn, reverse, scope);
    }
    return { events: page.events.map((e) => wireEvent(e, includeData)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },
};
