import { QueueError } from "../../adapters/sqs/queue-store.js";

/** The QueueError code `p` rejects with; throws when it resolves or rejects with anything else. */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof QueueError) return e.code;
    throw e;
  }
  throw new Error("expected a QueueError");
}
