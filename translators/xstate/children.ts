/**
 * Event routing shared by the states that run child actors (Parallel, Map): a retry timer
 * restarts the state; a child's result counts only if it belongs to the current batch.
 */
import type { ActorData } from "./actor-data.js";
import { EVENTS, type ActorEvent } from "./events.js";

export type ChildEvent = Extract<ActorEvent, { batch: string }>;

export function routeChildStateEvent(
  d: ActorData,
  ev: ActorEvent,
  start: (d: ActorData) => void,
  onChild: (d: ActorData, ev: ChildEvent) => void,
): void {
  const w = d.waiting;
  if (ev.type === EVENTS.timerFired) {
    if (w?.kind === "timer" && w.purpose === "retry" && w.timerId === ev.timerId) start(d);
    return;
  }
  if (w?.kind !== "children" || !("batch" in ev) || ev.batch !== w.batch) return;
  onChild(d, ev);
}
