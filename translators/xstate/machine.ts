/**
 * Builds the XState v5 machine of one scope (the top level, a Parallel branch or a Map
 * item processor). One XState state per ASL state; `always` transitions follow the target
 * a step chose in `context.go`; every event goes to the current state's behaviour.
 * No `after:` delays and no promise actors (ARCHITECTURE.md "Effects are data").
 * An actor begins at StartAt; a redriven one runs the resume machine of its scope, whose
 * transient first state picks the state its resume point names (a machine of its own, so
 * every other actor starts without that extra step).
 */
import { assign, createMachine, type AnyStateMachine } from "xstate";
import type { ActorData, ActorInput } from "./actor-data.js";
import type { ActorEvent } from "./events.js";
import { GO_FAILED, GO_SUCCEEDED, type StateBehaviour } from "./step.js";

const SUCCEEDED = "#succeeded";
const FAILED = "#failed";
const BEGIN = "begin";

/** ASL state names may hold '.', '#' or '/', which XState reads as paths: use indexed keys. */
const keyOf = (index: number): string => `s${index}`;

function initialData(input: ActorInput): ActorData {
  return {
    scope: input.scope,
    root: input.root,
    exec: input.exec,
    mapItem: input.mapItem ?? null,
    seq: input.seq,
    prev: input.prev,
    now: input.now,
    state: "",
    input: input.input,
    enteredId: 0,
    enteredAt: input.now,
    retryable: false,
    vars: input.vars,
    resume: input.resume ?? null,
    attempts: [],
    waiting: null,
    scratch: {},
    go: null,
    out: [],
    result: null,
    nonce: 0,
  };
}

function enterStep(context: ActorData, b: StateBehaviour): ActorData {
  const retryable = b.type === "Task" || b.type === "Parallel" || b.type === "Map";
  // Retry counters start afresh, a redriven state's included (AWS: redrive resets them).
  const d: ActorData = { ...context, state: b.name, enteredAt: context.now, retryable, attempts: [], scratch: {}, waiting: null, go: null, nonce: 0, resume: null };
  const resume = context.resume?.state === b.name ? context.resume : undefined;
  if (resume) b.enter(d, resume);
  else b.enter(d);
  return d;
}

function eventStep(context: ActorData, event: ActorEvent, b: StateBehaviour): ActorData {
  const d: ActorData = { ...context, seq: event.seq, now: event.now, out: [], go: null };
  b.handle?.(d, event);
  return d;
}

/** Where the machine's actors begin: StartAt, or the state of their resume point (a redrive). */
export type MachineStart = "StartAt" | "resumePoint";

export function buildMachine(id: string, startAt: string, behaviours: readonly StateBehaviour[], begin: MachineStart = "StartAt"): AnyStateMachine {
  const keys = new Map(behaviours.map((b, i) => [b.name, keyOf(i)]));
  const states: Record<string, object> = {};
  behaviours.forEach((b, i) => {
    const targets = b.targets.map((t) => ({
      guard: ({ context }: { context: ActorData }) => context.go === t,
      target: keys.get(t) as string,
      reenter: true,
    }));
    states[keyOf(i)] = {
      entry: assign(({ context }: { context: ActorData }) => enterStep(context, b)),
      on: { "*": { actions: assign(({ context, event }: { context: ActorData; event: ActorEvent }) => eventStep(context, event, b)) } },
      always: [
        ...targets,
        { guard: ({ context }: { context: ActorData }) => context.go === GO_SUCCEEDED, target: SUCCEEDED },
        { guard: ({ context }: { context: ActorData }) => context.go === GO_FAILED, target: FAILED },
      ],
    };
  });
  states["succeeded"] = { id: "succeeded", type: "final" };
  states["failed"] = { id: "failed", type: "final" };
  const start = keys.get(startAt) as string;
  if (begin === "resumePoint") {
    states[BEGIN] = {
      always: [
        ...behaviours.map((b, i) => ({ guard: ({ context }: { context: ActorData }) => context.resume?.state === b.name, target: keyOf(i) })),
        { target: start },
      ],
    };
  }
  return createMachine({
    id,
    initial: begin === "resumePoint" ? BEGIN : start,
    context: ({ input }: { input: ActorInput }) => initialData(input),
    states,
  } as never);
}
