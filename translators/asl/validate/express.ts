/**
 * Express workflows run neither activities nor the .sync and .waitForTaskToken patterns:
 * CreateStateMachine and ValidateStateMachineDefinition refuse them for type EXPRESS.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html
 */
import { pointer, type Diagnostic } from "../diagnostics.js";
import type { State, SubMachine } from "../model.js";
import { parseDefinitionText } from "../parse.js";
import { parseResource } from "../../dataflow/resource.js";

/** Problems of a structurally valid definition run as EXPRESS. */
export function expressProblems(definition: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (machine: SubMachine, at: string): void => {
    for (const [name, state] of Object.entries(machine.States)) {
      const here = pointer(at, "States", name);
      const problem = expressProblem(state);
      if (problem) out.push({ severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED", location: pointer(here, "Resource"), message: problem });
      for (const [sub, location] of subMachines(state, here)) walk(sub, location);
    }
  };
  // Only called once the structure is valid, so States, Branches and processors are objects.
  walk(parseDefinitionText(definition).value as SubMachine, "");
  return out;
}

function subMachines(state: State, at: string): [SubMachine, string][] {
  if (state.Type === "Parallel") return state.Branches.map((b, i) => [b, pointer(at, "Branches", i)]);
  if (state.Type === "Map" && state.ItemProcessor) return [[state.ItemProcessor, pointer(at, "ItemProcessor")]];
  if (state.Type === "Map" && state.Iterator) return [[state.Iterator, pointer(at, "Iterator")]];
  return [];
}

function expressProblem(state: State): string | undefined {
  if (state.Type !== "Task") return undefined;
  const info = parseResource(state.Resource);
  if (info.kind === "activity") return "Express state machine does not support Activity tasks";
  // AWS's wording, trailing space included.
  if (info.pattern === "waitForTaskToken") return "Express state machine does not support '.waitForTaskToken' service integration ";
  if (info.pattern === "sync") return "Express state machine does not support '.sync' service integration ";
  return undefined;
}

