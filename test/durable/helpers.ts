/** Shared helpers for the durable-execution tests. */
import type { Randomness } from "../../translators/query/scope.js";
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";

/** Deterministic randomness (mulberry32): two engines given the same seed draw the same numbers and UUIDs. */
export function seededRandomness(seed: number): Randomness {
  let a = seed >>> 0;
  const random = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  return { random, uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}` };
}

/** Ids 1..n in order, each event linked to an earlier one: nothing lost, nothing twice. */
export function contiguityProblem(history: readonly HistoryEvent[]): string | undefined {
  for (const [i, e] of history.entries()) {
    if (e.id !== i + 1) return `event #${i} has id ${e.id}`;
    if (e.previousEventId < 0 || e.previousEventId >= e.id) return `event ${e.id} links to ${e.previousEventId}`;
  }
  return undefined;
}

/** A history without what differs between two runs of the same workflow: timestamps and task tokens. */
export function comparable(history: readonly HistoryEvent[], tokens: readonly string[] = []): unknown[] {
  return history.map(({ timestamp: _t, ...rest }) => {
    let text = JSON.stringify(rest);
    for (const token of tokens) text = text.split(token).join("<token>");
    return JSON.parse(text) as unknown;
  });
}
