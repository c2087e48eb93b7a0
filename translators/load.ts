/**
 * Loading a definition: parse → validate (every problem, with its JSON pointer) → compile
 * each scope into an XState machine. Everything that can be decided at load time is decided
 * here (STYLE.md 2); a definition that does not compile never runs.
 */
import type { AnyStateMachine } from "xstate";
import { DefinitionError, Diagnostics, pointer, type Diagnostic } from "./asl/diagnostics.js";
import type { QueryLanguage, State, StateMachineDefinition, StateType, SubMachine } from "./asl/model.js";
import { parseDefinitionText } from "./asl/parse.js";
import { validateDefinition } from "./asl/validate/index.js";
import { buildMachine } from "./xstate/machine.js";
import { buildChoice } from "./xstate/states/choice.js";
import { buildFail } from "./xstate/states/fail.js";
import { buildMap } from "./xstate/states/map.js";
import { buildParallel } from "./xstate/states/parallel.js";
import { buildPass } from "./xstate/states/pass.js";
import { buildSucceed } from "./xstate/states/succeed.js";
import { buildTask } from "./xstate/states/task.js";
import { buildWait } from "./xstate/states/wait.js";
import type { CompileServices, StateBehaviour } from "./xstate/step.js";

export interface CompiledStateMachine {
  readonly definition: StateMachineDefinition;
  /** One machine per scope, keyed by the scope's JSON pointer ("" is the top level). */
  readonly machines: ReadonlyMap<string, AnyStateMachine>;
  /**
   * The machine of a scope for actors a redrive resumes (they begin at their resume point's
   * state); built the first time a redrive needs it.
   */
  resumeMachine(scope: string): AnyStateMachine | undefined;
  /** Top-level TimeoutSeconds. */
  readonly timeoutSeconds: number | undefined;
}

interface BuildArgs {
  readonly name: string;
  readonly state: State;
  readonly language: QueryLanguage;
  readonly services: CompileServices;
  readonly at: string;
  readonly child: (sub: SubMachine, scope: string) => void;
}

type Builder = (a: BuildArgs) => StateBehaviour;

const BUILDERS = {
  Pass: (a) => buildPass(a.name, a.state as never, a.language, a.services),
  Succeed: (a) => buildSucceed(a.name, a.state as never, a.language, a.services),
  Fail: (a) => buildFail(a.name, a.state as never, a.language, a.services),
  Choice: (a) => buildChoice(a.name, a.state as never, a.language, a.services),
  Wait: (a) => buildWait(a.name, a.state as never, a.language, a.services),
  Task: (a) => buildTask(a.name, a.state as never, a.language, a.services),
  Parallel: (a) => {
    const s = a.state as Extract<State, { Type: "Parallel" }>;
    const scopes = s.Branches.map((branch, i) => {
      const scope = pointer(a.at, "Branches", i);
      a.child(branch, scope);
      return scope;
    });
    return buildParallel(a.name, s, a.language, a.services, scopes);
  },
  Map: (a) => {
    const s = a.state as Extract<State, { Type: "Map" }>;
    const field = s.ItemProcessor ? "ItemProcessor" : "Iterator";
    const scope = pointer(a.at, field);
    a.child((s.ItemProcessor ?? s.Iterator) as SubMachine, scope);
    return buildMap(a.name, s, a.language, a.services, scope);
  },
} satisfies Record<StateType, Builder>;

/** Parses (when given text) and validates; returns every diagnostic, including compile errors. */
export function checkDefinition(source: unknown, services: CompileServices): Diagnostic[] {
  try {
    loadDefinition(source, services);
    return [];
  } catch (e) {
    if (e instanceof DefinitionError) return [...e.diagnostics];
    throw e;
  }
}

/** Loads a definition given as an object or JSON text; throws DefinitionError listing every problem. */
export function loadDefinition(source: unknown, services: CompileServices): CompiledStateMachine {
  let raw = source;
  if (typeof source === "string") {
    const parsed = parseDefinitionText(source);
    if (parsed.diagnostics.length > 0) throw new DefinitionError(parsed.diagnostics);
    raw = parsed.value;
  }
  const problems = validateDefinition(raw);
  if (problems.some((p) => p.severity === "ERROR")) throw new DefinitionError(problems);
  const definition = raw as StateMachineDefinition;
  const diags = new Diagnostics();
  const machines = new Map<string, AnyStateMachine>();
  const scopes = new Map<string, { readonly startAt: string; readonly behaviours: readonly StateBehaviour[] }>();
  const resumeMachines = new Map<string, AnyStateMachine>();
  const language = definition.QueryLanguage ?? "JSONPath";
  const compileScope = (sub: SubMachine, scope: string): void => {
    const behaviours: StateBehaviour[] = [];
    for (const [name, state] of Object.entries(sub.States)) {
      const at = pointer(scope, "States", name);
      const args: BuildArgs = { name, state, language: state.QueryLanguage ?? language, services, at, child: compileScope };
      try {
        behaviours.push(BUILDERS[state.Type](args));
      } catch (e) {
        diags.error(at, "SCHEMA_VALIDATION_FAILED", `State '${name}': ${(e as Error).message}`);
      }
    }
    if (diags.hasErrors) return;
    machines.set(scope, buildMachine(scope || "root", sub.StartAt, behaviours));
    scopes.set(scope, { startAt: sub.StartAt, behaviours });
  };
  compileScope(definition, "");
  if (diags.hasErrors) throw new DefinitionError(diags.items);
  // Built the first time a redrive needs one: most definitions never do.
  const resumeMachine = (scope: string): AnyStateMachine | undefined => {
    let machine = resumeMachines.get(scope);
    const source = scopes.get(scope);
    if (!machine && source) {
      machine = buildMachine(scope || "root", source.startAt, source.behaviours, "resumePoint");
      resumeMachines.set(scope, machine);
    }
    return machine;
  };
  return { definition, machines, resumeMachine, timeoutSeconds: definition.TimeoutSeconds };
}
