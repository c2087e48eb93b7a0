/**
 * Diagnostic codes, as AWS ValidateStateMachineDefinition reports them.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
 */
export const CODES = {
  /** JSON syntax problem found. */
  InvalidJson: "INVALID_JSON_DESCRIPTION",
  /** A null or empty definition. */
  MissingDescription: "MISSING_DESCRIPTION",
  /** A field is missing, unknown, of the wrong type or out of range. */
  Schema: "SCHEMA_VALIDATION_FAILED",
  /** The value of a Task state's Resource field is invalid. */
  InvalidResource: "INVALID_RESOURCE",
  /** A scope has no terminal state. */
  MissingEndState: "MISSING_END_STATE",
  /** The same state name appears more than once. */
  DuplicateStateName: "DUPLICATE_STATE_NAME",
  /** A state name does not follow the naming rules. */
  InvalidStateName: "INVALID_STATE_NAME",
  /** A Map Label appears more than once. */
  DuplicateLabelName: "DUPLICATE_LABEL_NAME",
  /** A Map Label does not follow the naming rules. */
  InvalidLabelName: "INVALID_LABEL_NAME",
  /** A transition names no state of its scope, or a state is not reachable (AWS uses this code for both). */
  MissingTransitionTarget: "MISSING_TRANSITION_TARGET",
  /** Warning: a payload-template value looks like a path or intrinsic, but its key lacks `.$`. */
  NoDollar: "NO_DOLLAR",
  /** Warning: a Pass state's Result holds a `.$` key, which Result never evaluates. */
  PassResultIsStatic: "PASS_RESULT_IS_STATIC",
} as const;
