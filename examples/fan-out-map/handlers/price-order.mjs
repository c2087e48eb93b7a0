// price-order: prices one order of the batch. It takes a while (a pricing service would be
// called here: 200 ms), and reports when it started and finished so that summarize can tell
// how many invocations ran at the same time.
const PRICING_MS = 200;

export async function handler({ index, order, currency }) {
  const startedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, PRICING_MS));
  const total = order.items.reduce((sum, item) => sum + Math.round(item.qty * item.price * 100), 0) / 100;
  return { index, orderId: order.orderId, total, currency, startedAt, finishedAt: Date.now() };
}
