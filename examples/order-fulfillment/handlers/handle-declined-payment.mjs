// handle-declined-payment: tells the customer their card was declined (here: logs it).
export function handler(order) {
  const reason = JSON.parse(order.paymentError.Cause).errorMessage;
  console.log(`order ${order.orderId}: payment declined (${reason}); asking ${order.customer} for another card`);
  return { orderId: order.orderId, paymentDeclined: true, reason };
}
