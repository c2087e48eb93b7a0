export { loadDefinition, checkDefinition, type CompiledStateMachine } from "./load.js";
export { DefinitionError, type Diagnostic } from "./asl/diagnostics.js";
export type { StateMachineDefinition } from "./asl/model.js";
export { StatesError, STATES_ERRORS } from "./errors.js";
export type { Json, JsonObject } from "./json.js";
export type { HistoryEvent } from "./xstate/actor-data.js";
