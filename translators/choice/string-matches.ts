/**
 * StringMatches patterns. https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html:
 * "*" matches zero or more characters; "\*" matches a literal "*" (written "\\*" in JSON);
 * "no characters other than * have any special meaning". A backslash before another backslash
 * stands for one backslash (the "standard" escape the docs mention); before any other character
 * it is an ordinary character.
 *
 * Matching splits the pattern on its wildcards into literal pieces and finds them left to right
 * with indexOf, so no pattern can make it backtrack exponentially (a regex could).
 */

/** Literal pieces between wildcards: `["log-", ".txt"]` for `log-*.txt`. */
export function splitPattern(pattern: string): string[] {
  const pieces: string[] = [];
  let current = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    const next = pattern[i + 1];
    if (c === "\\" && (next === "*" || next === "\\")) {
      current += next;
      i++;
    } else if (c === "*") {
      pieces.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  pieces.push(current);
  return pieces;
}

/** Compiles a pattern once into a predicate over strings. */
export function compilePattern(pattern: string): (text: string) => boolean {
  const pieces = splitPattern(pattern);
  if (pieces.length === 1) {
    const only = pieces[0] as string;
    return (text) => text === only;
  }
  const head = pieces[0] as string;
  const tail = pieces[pieces.length - 1] as string;
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0);
  const fixed = head.length + tail.length;
  return (text) => {
    if (text.length < fixed || !text.startsWith(head) || !text.endsWith(tail)) return false;
    // The middle pieces must fit, in order, between the head and the tail.
    let at = head.length;
    const end = text.length - tail.length;
    for (const piece of middle) {
      const found = text.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}
