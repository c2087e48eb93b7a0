// initiate-shipment: hands the order to the carrier together with the task token. The
// carrier confirms the shipment later by calling SendTaskSuccess with that token (in this
// example: you, with `aws stepfunctions send-task-success`). The token is logged so you can
// copy it; it is also in the execution history (ShipOrder's TaskScheduled parameters).
export function handler(event) {
  console.log(`shipment requested for order ${event.orderId}; confirm it with task token ${event.taskToken}`);
  return { accepted: true };
}
