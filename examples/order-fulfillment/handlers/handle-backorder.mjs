// handle-backorder: the product is out of stock; records the backorder (here: logs it).
export function handler(order) {
  console.log(`order ${order.orderId}: ${order.quantity} x ${order.productId} backordered`);
  return { orderId: order.orderId, status: "BACKORDERED", productId: order.productId, quantity: order.quantity };
}
