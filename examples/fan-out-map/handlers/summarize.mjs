// summarize: aggregates the priced orders into one summary, and counts the most price-order
// invocations that were running at the same moment (from when each started and finished).
export function handler({ batchId, currency, priced }) {
  return {
    batchId,
    currency,
    orders: priced.length,
    total: Math.round(priced.reduce((sum, p) => sum + p.total * 100, 0)) / 100,
    largest: priced.reduce((max, p) => (p.total > max.total ? p : max)).orderId,
    totals: Object.fromEntries(priced.map((p) => [p.orderId, p.total])),
    peakConcurrency: peakConcurrency(priced),
  };
}

/** Most intervals open at once; an invocation that finished before another started does not overlap it. */
export function peakConcurrency(intervals) {
  const edges = intervals.flatMap((p) => [[p.startedAt, 1], [p.finishedAt, -1]]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, step] of edges) peak = Math.max(peak, (open += step));
  return peak;
}
