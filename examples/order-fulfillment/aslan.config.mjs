// The order-fulfillment example's project: Lambda-like functions (modules exporting
// handler(event, context), run in worker threads), the order-notifications topic with a
// queue subscribed to it, and the inventory table. Paths are relative to this file.
export default {
  functions: {
    "validate-order": "handlers/validate-order.mjs",
    "charge-payment": "handlers/charge-payment.mjs",
    "handle-declined-payment": "handlers/handle-declined-payment.mjs",
    "initiate-shipment": "handlers/initiate-shipment.mjs",
    "handle-backorder": "handlers/handle-backorder.mjs",
  },
  topics: {
    "order-notifications": { subscriptions: [{ protocol: "sqs", endpoint: "customer-notifications" }] },
  },
  queues: {
    "customer-notifications": {},
  },
  tables: {
    // Seeded by seed-inventory.asl.json (with inventory.json) before orders come in.
    inventory: { partitionKey: { name: "productId", type: "S" } },
  },
};
