/**
 * `persisting` (jetstream-connection.ts): what a task's dispatch is retried with. Unlike
 * `retrying`, it does not give up on an error that is not plainly transient (a server coming
 * back from a crash refuses for a while); it stops only when asked or when the connection is
 * closed, and reports the first such error.
 */
import { describe, expect, it } from "vitest";
import { persisting, retrying } from "../../runtime/nats/jetstream-connection.js";

/** An operation that fails with `errors` in turn, then answers "sent". */
function failing(...errors: Error[]): { op: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    op: () => {
      const error = errors[calls++];
      return error ? Promise.reject(error) : Promise.resolve("sent");
    },
    calls: () => calls,
  };
}

describe("persisting", () => {
  it("goes on through errors that are not transient, and reports the first one", async () => {
    const refused = new Error("jetstream system temporarily unavailable");
    const reported: unknown[] = [];
    const { op, calls } = failing(refused, new Error("stream not found"), new Error("TIMEOUT"));
    await expect(persisting(op, new AbortController().signal, (e) => reported.push(e))).resolves.toBe("sent");
    expect(calls()).toBe(4);
    expect(reported).toEqual([refused]);
    // `retrying` gives up on the same first error.
    await expect(retrying(failing(refused).op)).rejects.toBe(refused);
  });

  it("stops when asked, and on a closed connection", async () => {
    const stop = new AbortController();
    stop.abort();
    const refused = new Error("stream not found");
    await expect(persisting(failing(refused).op, stop.signal, () => undefined)).rejects.toBe(refused);
    const closed = new Error("connection closed");
    await expect(persisting(failing(closed).op, new AbortController().signal, () => undefined)).rejects.toBe(closed);
  });
});
