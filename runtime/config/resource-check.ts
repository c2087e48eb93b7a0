/**
 * Task resources nothing here can run are definition errors, reported where AWS reports an
 * unknown resource (CreateStateMachine, UpdateStateMachine, `aslan run`), with every
 * resource this setup does run. AWS's wording: "The resource provided <arn> is not
 * recognized", SCHEMA_VALIDATION_FAILED at the state's Resource.
 */
import { DefinitionError, pointer, type Diagnostic } from "../../translators/asl/diagnostics.js";
import type { State, StateMachineDefinition, SubMachine } from "../../translators/asl/model.js";
import type { CompiledStateMachine } from "../../translators/load.js";
import { Engine, type EngineOptions } from "../engine/engine.js";

/** What a setup can run: a yes/no per resource ARN, and the list people read when it is no. */
export interface ResourceSupport {
  canRun(resource: string): boolean;
  /** Resource patterns, e.g. `arn:aws:states:::lambda:invoke`, for error messages. */
  supported(): readonly string[];
}

/** A diagnostic for each Task (at any depth: Parallel branches, Map processors) whose resource cannot run. */
export function unrunnableResources(definition: StateMachineDefinition, support: ResourceSupport): Diagnostic[] {
  const found: Diagnostic[] = [];
  const walk = (machine: SubMachine | StateMachineDefinition, at: string): void => {
    for (const [name, state] of Object.entries(machine.States)) visit(state, pointer(at, "States", name));
  };
  const visit = (state: State, at: string): void => {
    if (state.Type === "Task" && !support.canRun(state.Resource)) {
      found.push({ severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED", location: pointer(at, "Resource"), message: notRecognized(state.Resource, support) });
    }
    if (state.Type === "Parallel") state.Branches.forEach((b, i) => walk(b, pointer(at, "Branches", i)));
    if (state.Type === "Map") {
      const field = state.ItemProcessor ? "ItemProcessor" : "Iterator";
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) walk(processor, pointer(at, field));
    }
  };
  walk(definition, "");
  return found;
}

const notRecognized = (resource: string, support: ResourceSupport): string =>
  `The resource provided ${resource} is not recognized: no adapter, function or activity here runs it. ` +
  `Supported: ${support.supported().join(", ")}`;

/**
 * An engine that also refuses definitions with Task resources its setup cannot run. Used
 * where adapters are configured (the `aslan` command, `createEngine({ adapters })`), so
 * embedders who give only in-process `functions` see no change.
 */
export class ResourceCheckedEngine extends Engine {
  constructor(
    options: EngineOptions,
    private readonly support: ResourceSupport,
  ) {
    super(options);
  }

  override compile(definition: unknown): CompiledStateMachine {
    const compiled = super.compile(definition);
    const problems = unrunnableResources(compiled.definition, this.support);
    if (problems.length > 0) throw new DefinitionError(problems);
    return compiled;
  }
}
