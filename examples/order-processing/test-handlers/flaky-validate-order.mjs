// Test only: ValidateOrder that fails twice with Lambda.ServiceException (as Lambda does when
// it is throttled or briefly unavailable), then validates. Run with concurrency 1, so every
// call reaches the same worker and its count.
import { handler as validate } from "../handlers/validate-order.mjs";

let calls = 0;

export function handler(event) {
  calls += 1;
  if (calls <= 2) {
    const e = new Error(`service unavailable (call ${calls})`);
    e.name = "Lambda.ServiceException";
    throw e;
  }
  return validate(event);
}
