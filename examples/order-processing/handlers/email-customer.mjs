// EmailCustomer: subscribed to the order-confirmations topic. SNS invokes it with its usual
// event ({Records: [{Sns: {Message, TopicArn, ...}}]}); it would send an e-mail, here it logs.
export function handler(event) {
  for (const record of event.Records) console.log(`e-mail to the customer: ${record.Sns.Message}`);
}
