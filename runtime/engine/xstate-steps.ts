/**
 * XState's pure `transition()`/`initialTransition()` build a throwaway actor on every call
 * (and with it run the machine's context factory without input, which throws and is
 * caught): a quarter of the engine's time in profiles. The actor scope they build is inert
 * and holds nothing between steps, so one per machine is built once and reused.
 */
import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from "xstate";

const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

function inertScope(machine: AnyStateMachine): AnyActorScope {
  let scope = scopes.get(machine);
  if (scope) return scope;
  const self = createActor(machine);
  scope = {
    self,
    defer: () => {},
    id: "",
    logger: () => {},
    sessionId: "",
    stopChild: () => {},
    system: self.system,
    emit: () => {},
    // Our machines only `assign`, which XState applies inside the transition itself.
    actionExecutor: () => {},
  } as unknown as AnyActorScope;
  scopes.set(machine, scope);
  return scope;
}

/** `initialTransition(machine, input)[0]`, without the per-call actor. */
export function initialSnapshot(machine: AnyStateMachine, input: unknown): AnyMachineSnapshot {
  return machine.getInitialSnapshot(inertScope(machine), input) as AnyMachineSnapshot;
}

/** `transition(machine, snapshot, event)[0]`, without the per-call actor. */
export function nextSnapshot(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): AnyMachineSnapshot {
  return machine.transition(snapshot, event, inertScope(machine)) as AnyMachineSnapshot;
}
