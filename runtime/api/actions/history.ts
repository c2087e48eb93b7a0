/**
 * GetExecutionHistory: the events exactly as the engine recorded them, oldest first (or
 * newest first with `reverseOrder`), paged, times as epoch seconds.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 */
import type { HistoryEvent } from "../../../translators/xstate/actor-data.js";
import { epochSeconds, type ActionTable } from "../context.js";
import { executionOrThrow } from "../execution-arns.js";
import { cursorPage } from "../execution-pages.js";
import { optionalBoolean, requiredString } from "../fields.js";

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

export const historyActions: ActionTable = {
  GetExecutionHistory(body, ctx) {
    const arn = requiredString(body, "executionArn", 256);
    const reverse = optionalBoolean(body, "reverseOrder") ?? false;
    const includeData = optionalBoolean(body, "includeExecutionData") ?? true;
    const run = executionOrThrow(ctx, arn);
    const events = reverse ? [...run.history].reverse() : run.history;
    // Keyed by event id: a running execution's history grows while a client pages through it.
    const page = cursorPage(body, events, (e) => String(e.id), `history|${arn}|${reverse}`);
    return { events: page.items.map((e) => wireEvent(e, includeData)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },
};
