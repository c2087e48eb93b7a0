/**
 * The persisted-actor promise (ARCHITECTURE.md): a snapshot taken while an actor waits is
 * plain JSON, and a machine compiled anew from the same definition resumes from it.
 */
import { describe, expect, it } from "vitest";
import { initialTransition, transition, type AnyMachineSnapshot } from "xstate";
import { loadDefinition } from "../load.js";
import type { ActorData, ActorInput, Effect } from "./actor-data.js";
import { EVENTS } from "./events.js";

const services = { randomness: { random: () => 0.5, uuid: () => "00000000-0000-4000-8000-000000000000" } };
const definition = {
  StartAt: "Hold",
  States: {
    Hold: { Type: "Wait", Seconds: 60, Next: "Work" },
    Work: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:F", ResultPath: "$.r", End: true },
  },
};
const input = (now: number): ActorInput => ({
  scope: "", root: true, input: { a: 1 }, vars: {}, seq: 2, prev: 0, now,
  exec: { Execution: { Id: "arn:x", Name: "x" }, StateMachine: { Id: "arn:sm", Name: "sm" } },
});
const effects = (s: AnyMachineSnapshot): Effect[] =>
  (s.context as ActorData).out.flatMap((o) => ("effect" in o ? [o.effect] : []));

describe("persisted actors", () => {
  it("resumes from a JSON snapshot in a freshly compiled machine", () => {
    const first = loadDefinition(definition, services).machines.get("")!;
    const [waiting] = initialTransition(first, input(1000));
    const timer = effects(waiting).find((e) => e.type === "scheduleTimer");
    expect(timer).toMatchObject({ type: "scheduleTimer", dueAt: 61_000 });

    const stored = JSON.parse(JSON.stringify({ value: waiting.value, context: waiting.context }));
    const again = loadDefinition(definition, services).machines.get("")!;
    const restored = again.resolveState(stored);
    const timerId = (timer as { timerId: string }).timerId;
    const [working] = transition(again, restored, { type: EVENTS.timerFired, timerId, seq: 4, now: 61_000 });
    const dispatch = effects(working).find((e) => e.type === "dispatchTask");
    expect(dispatch).toMatchObject({ resource: definition.States.Work.Resource, payload: { a: 1 } });

    const taskId = (dispatch as { taskId: string }).taskId;
    const [done] = transition(again, working, { type: EVENTS.taskSucceeded, taskId, output: 7, seq: (working.context as ActorData).seq, now: 61_500 });
    expect(done.status).toBe("done");
    expect((done.context as ActorData).result).toEqual({ status: "SUCCEEDED", output: { a: 1, r: 7 } });
  });

  it("ignores a stale timer or a result for another task", () => {
    const m = loadDefinition(definition, services).machines.get("")!;
    const [waiting] = initialTransition(m, input(0));
    const [same] = transition(m, waiting, { type: EVENTS.timerFired, timerId: "not-mine", seq: 4, now: 60_000 });
    expect(same.value).toEqual(waiting.value);
    expect(effects(same)).toEqual([]);
  });
});
