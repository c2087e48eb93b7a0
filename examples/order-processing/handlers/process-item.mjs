// ProcessItem: one Map iteration per order item (picks it in the warehouse).
export function handler(item) {
  return { sku: item.sku, status: "PICKED", qty: item.qty };
}
