// The human-approval-callback example's project: the queue approvers read requests from,
// the topic outcomes are announced on (with the requester's queue subscribed, raw delivery)
// and the function that applies an approved change. Paths are relative to this file.
export default {
  functions: {
    "apply-change": "handlers/apply-change.mjs",
  },
  queues: {
    "approval-requests": { visibilityTimeoutSeconds: 30 },
    "requester-notifications": {},
  },
  topics: {
    "approval-outcomes": { subscriptions: [{ protocol: "sqs", endpoint: "requester-notifications", rawMessageDelivery: true }] },
  },
};
