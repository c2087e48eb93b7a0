/** Human-readable output of `aslan run`: the result, then one line per history event. */
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";
import type { ExecutionResult } from "../engine/engine.js";

const DETAIL_FIELDS = ["name", "error", "cause", "output", "input", "index", "length", "resource"] as const;

function summary(e: HistoryEvent): string {
  const details = Object.entries(e).find(([k]) => k.endsWith("EventDetails"))?.[1] as Record<string, unknown> | undefined;
  if (!details) return "";
  const parts: string[] = [];
  for (const field of DETAIL_FIELDS) {
    const v = details[field];
    if (v === undefined) continue;
    const text = typeof v === "string" ? v : JSON.stringify(v);
    parts.push(field === "name" ? text : `${field}=${text.length > 120 ? text.slice(0, 117) + "..." : text}`);
  }
  return parts.join("  ");
}

export function renderHistory(history: readonly HistoryEvent[]): string {
  const start = history[0]?.timestamp ?? 0;
  return history
    .map((e) => `${String(e.id).padStart(4)}  +${((e.timestamp - start) / 1000).toFixed(3).padStart(9)}s  ${e.type.padEnd(28)} ${summary(e)}`)
    .join("\n");
}

export function renderResult(r: ExecutionResult): string {
  const head = r.status === "SUCCEEDED"
    ? `SUCCEEDED\noutput: ${JSON.stringify(r.output, null, 2)}`
    : `${r.status}${r.error !== undefined ? `\nerror: ${r.error}` : ""}${r.cause !== undefined ? `\ncause: ${r.cause}` : ""}`;
  return `${head}\n\nhistory (${r.history.length} events):\n${renderHistory(r.history)}`;
}

/** `--json`: exactly one object; history timestamps as ISO strings. */
export function jsonResult(r: ExecutionResult): string {
  const history = r.history.map((e) => ({ ...e, timestamp: new Date(e.timestamp).toISOString() }));
  const out: Record<string, unknown> = { status: r.status };
  if (r.status === "SUCCEEDED") out["output"] = r.output;
  if (r.error !== undefined) out["error"] = r.error;
  if (r.cause !== undefined) out["cause"] = r.cause;
  out["executionArn"] = r.executionArn;
  out["history"] = history;
  return JSON.stringify(out);
}
