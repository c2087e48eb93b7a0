// The order-processing example's project: its Lambda-like functions (each a module exporting
// handler(event, context), run in worker threads), its SNS-like topics and the SQS-like
// queues subscribed to them. Paths are relative to this file.
export default {
  functions: {
    ValidateOrder: "handlers/validate-order.mjs",
    ChargeCard: "handlers/charge-card.mjs",
    // Up to 5 items are processed at once (the Map's MaxConcurrency): one worker each.
    ProcessItem: { handler: "handlers/process-item.mjs", concurrency: 5 },
    EmailCustomer: "handlers/email-customer.mjs",
  },
  topics: {
    "order-confirmations": {
      subscriptions: [
        { protocol: "sqs", endpoint: "customer-emails" },
        { protocol: "lambda", endpoint: "EmailCustomer" },
      ],
    },
    "inventory-alerts": { subscriptions: [{ protocol: "sqs", endpoint: "purchasing" }] },
  },
  queues: {
    "customer-emails": {},
    purchasing: {},
  },
};
