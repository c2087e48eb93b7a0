// ValidateOrder: checks the order, prices it and says whether every item is in stock.
// An order without items throws OrderValidationError; the workflow's Catch on
// States.TaskFailed sends it to OrderFailed.

/** The most of one item the warehouse holds. */
const STOCK_PER_ITEM = 10;

export function handler(event) {
  const items = event?.order?.items;
  if (!Array.isArray(items) || items.length === 0) {
    const e = new Error("an order needs at least one item");
    e.name = "OrderValidationError";
    throw e;
  }
  const total = items.reduce((sum, i) => sum + i.qty * i.price, 0);
  return {
    ...event,
    total,
    inventory: { available: items.every((i) => i.qty <= STOCK_PER_ITEM) },
    confirmationMessage: `Order ${event.order.id} confirmed: ${items.length} item(s), total ${total.toFixed(2)}`,
  };
}
