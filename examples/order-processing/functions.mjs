// Local task functions for the order-processing example, keyed by Lambda function name
// (a bare Lambda ARN resolves to its function name) or by resource ARN.
// A thrown error's `name` is the error Retry/Catch match on.

/** SNS messages "published" by this run, for the example's test to inspect. */
export const published = [];

export function ValidateOrder(input) {
  const items = input?.order?.items;
  if (!Array.isArray(items) || items.length === 0) {
    const e = new Error("an order needs at least one item");
    e.name = "OrderValidationError";
    throw e;
  }
  const total = items.reduce((sum, i) => sum + i.qty * i.price, 0);
  return {
    ...input,
    total,
    inventory: { available: items.every((i) => i.qty <= 10) },
    confirmationMessage: `Order ${input.order.id} confirmed: ${items.length} item(s), total ${total.toFixed(2)}`,
  };
}

export function ChargeCard(input) {
  return { charged: input.total, currency: "EUR", authorization: `auth-${input.order.id}` };
}

export function ProcessItem(item) {
  return { sku: item.sku, status: "PICKED", qty: item.qty };
}

export default {
  ValidateOrder,
  ChargeCard,
  ProcessItem,
  // SNS-like publish until the SNS adapter (#5): records the message, answers like SNS.
  "arn:aws:states:::sns:publish": (params) => {
    published.push(params);
    return { MessageId: `msg-${published.length}` };
  },
};
