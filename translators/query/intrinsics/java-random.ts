/**
 * java.util.Random's 48-bit linear congruential generator, bit for bit. AWS runs on Java,
 * so a seeded States.MathRandom most likely draws from `new Random(seed)`; reproducing it
 * makes seeded results deterministic (as AWS promises) and plausibly identical to AWS's.
 * https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/Random.html
 */
const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK = (1n << 48n) - 1n;

export class JavaRandom {
  private seed: bigint;

  /** `seed` is taken as a Java long (two's complement, 64 bits). */
  constructor(seed: bigint) {
    this.seed = (BigInt.asIntN(64, seed) ^ MULTIPLIER) & MASK;
  }

  /** Random.next(bits): the high `bits` of the next state, as a Java int. */
  private next(bits: number): number {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  /** Random.nextInt(): any Java int. */
  nextInt(): number {
    return this.next(32);
  }

  /** Random.nextInt(bound) for 0 < bound <= 2^31 - 1: an int in [0, bound). */
  nextIntBelow(bound: number): number {
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    // Java rejects draws from the incomplete last block; `| 0` is Java's int overflow.
    for (let u = r; ((u - (r = u % bound) + m) | 0) < 0; u = this.next(31));
    return r;
  }

  /** Random.ints(origin, bound)'s draw: an int in [origin, bound), origin < bound. */
  nextIntBetween(origin: number, bound: number): number {
    const n = bound - origin;
    if (n <= 0x7fffffff) return origin + this.nextIntBelow(n);
    // The range does not fit a Java int: Java draws until a value falls inside it.
    for (;;) {
      const r = this.nextInt();
      if (r >= origin && r < bound) return r;
    }
  }
}
