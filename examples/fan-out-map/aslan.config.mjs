// The fan-out-map example's project: two Lambda-like functions. price-order gets more worker
// threads (10) than the Map's MaxConcurrency (3), so the limit you see is the Map's, not the
// pool's. Paths are relative to this file.
export default {
  functions: {
    "price-order": { handler: "handlers/price-order.mjs", concurrency: 10 },
    summarize: "handlers/summarize.mjs",
  },
};
