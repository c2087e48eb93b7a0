// The order-processing example's functions as in-process task functions, for
// `aslan run --functions functions.mjs` (no project config): keyed by Lambda function name
// (a bare Lambda ARN resolves to its function name) or by resource ARN. They are the same
// handlers aslan.config.mjs runs as Lambda-like functions in worker threads. A thrown
// error's `name` is the error Retry/Catch match on.
import { handler as ChargeCard } from "./handlers/charge-card.mjs";
import { handler as ProcessItem } from "./handlers/process-item.mjs";
import { handler as ValidateOrder } from "./handlers/validate-order.mjs";

export { ChargeCard, ProcessItem, ValidateOrder };

/** SNS messages "published" by this run, for the example's test to inspect. */
export const published = [];

export default {
  ValidateOrder,
  ChargeCard,
  ProcessItem,
  // A stand-in for SNS without a config (with --config, topics are SNS-like and deliver to
  // their subscribers): records the message and answers as SNS does.
  "arn:aws:states:::sns:publish": (params) => {
    published.push(params);
    return { MessageId: `msg-${published.length}` };
  },
};
