// validate-order: checks the order against the catalog. An unknown product or a quantity
// below 1 throws OrderValidationError (caught into $.error, then RejectOrder); otherwise the
// order comes back with inventoryAvailable for CheckInventory.
import { CATALOG } from "./catalog.mjs";

class OrderValidationError extends Error {
  name = "OrderValidationError";
}

export function handler(order) {
  const product = CATALOG[order.productId];
  if (!product) throw new OrderValidationError(`unknown product '${order.productId}'`);
  if (!Number.isInteger(order.quantity) || order.quantity < 1) throw new OrderValidationError(`quantity must be a whole number of at least 1, got ${order.quantity}`);
  return { ...order, inventoryAvailable: product.stock >= order.quantity };
}
