// Test only: validate-order that Lambda throttles twice (Lambda.TooManyRequestsException),
// then answers. Run with concurrency 1, so every call reaches the same worker and its count.
import { handler as validate } from "../handlers/validate-order.mjs";

let calls = 0;

export function handler(order) {
  calls += 1;
  if (calls <= 2) {
    const e = new Error("Rate Exceeded.");
    e.name = "Lambda.TooManyRequestsException";
    throw e;
  }
  return validate(order);
}
