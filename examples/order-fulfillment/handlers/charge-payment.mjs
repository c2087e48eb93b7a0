// charge-payment: charges the card (a payment provider would be called here). Cards starting
// 4000 are declined, as the providers' test cards are: PaymentDeclinedError, caught by the
// workflow into $.paymentError.
class PaymentDeclinedError extends Error {
  name = "PaymentDeclinedError";
}

export function handler(order) {
  if (String(order.card).startsWith("4000")) throw new PaymentDeclinedError(`card ending ${String(order.card).slice(-4)} was declined`);
  return { chargeId: `ch-${order.orderId}`, amount: order.amount, currency: "EUR" };
}
