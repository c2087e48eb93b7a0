/**
 * Succeed: a terminal state with no Next or End; InputPath/OutputPath (JSONPath) or Output (JSONata).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html
 */
import { BASE_FIELDS, IO_PATHS, type StateSpec } from "./spec.js";

export const succeedState: StateSpec = {
  fields: { both: [...BASE_FIELDS], JSONPath: [...IO_PATHS], JSONata: ["Output"] },
  transition: "none",
  validate() {
    // Nothing beyond the common fields.
  },
};
