/**
 * Conformance cases we do not pass, each with its reason. A case listed here is run and
 * expected to FAIL (vitest `it.fails`), so a fix that makes it pass shows up at once.
 * The README's status section lists the same cases.
 */
export const KNOWN_FAILURES: Readonly<Record<string, string>> = {};
