/** The slots pull loops share: freed slots go to the loop that waited longest. */
import { describe, expect, it } from "vitest";
import { Slots } from "../../runtime/nats/jetstream-pull-loop.js";

describe("Slots", () => {
  it("a loop that gives its slot back and takes again waits behind the loop already waiting", async () => {
    const slots = new Slots(1);
    const stop = new AbortController().signal;
    const order: string[] = [];
    expect(await slots.take(1, stop)).toBe(1); // loop A holds the only slot (an empty fetch)
    const b = slots.take(1, stop).then((n) => order.push(`B:${n}`));
    slots.give(1); // A's fetch came back empty
    const a = slots.take(1, stop).then((n) => order.push(`A:${n}`));
    await b;
    expect(order).toEqual(["B:1"]);
    slots.give(1);
    await a;
    expect(order).toEqual(["B:1", "A:1"]);
    expect(slots.free).toBe(0);
  });

  it("never hands out more than its size, and a stopping waiter leaves at once", async () => {
    const slots = new Slots(3);
    const stop = new AbortController();
    expect(await slots.take(5, stop.signal)).toBe(3);
    const waiting = slots.take(2, stop.signal);
    stop.abort();
    expect(await waiting).toBe(1); // given back at once by its loop
    slots.give(1);
    slots.give(3);
    expect(slots.free).toBe(3);
  });
});
