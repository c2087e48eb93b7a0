/** Ordered key bytes: byte order is DynamoDB's order for numbers, and delimiting keeps it. */
import { describe, expect, it } from "vitest";
import { afterPrefix, delimited, escaped, numberBytes } from "./key-bytes.js";
import { compareNumbers } from "./numbers.js";

/** A deterministic pseudo-random sequence (no Math.random in tests that must replay). */
function* random(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x / 2 ** 31;
  }
}

const sign = (n: number): number => Math.sign(n);

describe("key bytes", () => {
  it("order numbers by value: signs, magnitudes from 1E-130 to 9.99E+125, long and short digit strings", () => {
    const r = random(7);
    const next = (): number => r.next().value as number;
    const numbers = ["0", "1E-130", "-1E-130", "9.9999999999999999999999999999999999999E+125", "-9.9999999999999999999999999999999999999E+125", "1", "10", "1.5", "-1.5", "-15"];
    for (let i = 0; i < 300; i++) {
      const digits = Array.from({ length: 1 + Math.floor(next() * 38) }, () => Math.floor(next() * 10)).join("").replace(/^0+(?=\d)/, "");
      const leading = Math.floor(next() * 250) - 125;
      numbers.push(`${next() < 0.5 ? "-" : ""}${digits}E${leading - (digits.length - 1)}`);
    }
    const wrong = numbers.flatMap((a) => numbers.slice(0, 40).filter((b) => sign(Buffer.compare(numberBytes(a), numberBytes(b))) !== sign(compareNumbers(a, b))).map((b) => `${a} vs ${b}`));
    expect(wrong).toEqual([]);
  });

  it("keep the order of delimited parts whatever bytes they hold, and bound prefixes", () => {
    const values = [[], [0], [0, 0], [0, 1], [1], [0xff], [0xff, 0], [0x61], [0x61, 0], [0x61, 0xff]].map((b) => Buffer.from(b));
    for (const a of values) for (const b of values) {
      const [x, y] = [Buffer.concat([delimited(a), Buffer.of(0xff)]), Buffer.concat([delimited(b), Buffer.of(0)])];
      if (!a.equals(b)) expect(sign(Buffer.compare(x, y))).toBe(sign(Buffer.compare(a, b)));
      if (b.subarray(0, a.length).equals(a)) expect(delimited(b).subarray(0, escaped(a).length)).toEqual(escaped(a));
    }
    expect(afterPrefix(Buffer.of(1, 0xff, 0xff))).toEqual(Buffer.of(2));
    expect(afterPrefix(Buffer.of(0xff))).toBeUndefined();
  });
});
