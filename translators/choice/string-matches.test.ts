import { describe, expect, it } from "vitest";
import { compilePattern, splitPattern } from "./string-matches.js";

describe("splitPattern", () => {
  it("splits on unescaped wildcards only", () => {
    expect(splitPattern("log-*.txt")).toEqual(["log-", ".txt"]);
    expect(splitPattern("*")).toEqual(["", ""]);
    expect(splitPattern("a\\*b")).toEqual(["a*b"]);
    expect(splitPattern("a\\\\*b")).toEqual(["a\\", "b"]);
    expect(splitPattern("C:\\dir")).toEqual(["C:\\dir"]);
    expect(splitPattern("x\\")).toEqual(["x\\"]);
  });
});

describe("compilePattern", () => {
  it.each([
    // The ASL specification's examples.
    ["foo*.log", "foo23.log", true],
    ["*.log", "zebra.log", true],
    ["foo*.*", "foobar.zebra", true],
    ["log-*.txt", "log-2024.txt", true],
    ["log-*.txt", "log-.txt", true],
    ["log-*.txt", "log-2024.csv", false],
    ["log-*.txt", "xlog-1.txt", false],
    ["*", "", true],
    ["*", "anything at all", true],
    ["**", "", true],
    ["", "", true],
    ["", "a", false],
    ["abc", "abc", true],
    ["abc", "abcd", false],
    ["a*b*c", "abc", true],
    ["a*b*c", "a-b-b-c", true],
    ["a*b*c", "acb", false],
    ["a*a", "a", false],
    ["a*a", "aa", true],
    ["*ab*ab*", "abab", true],
    ["*ab*ab*", "aba", false],
    // Only "*" is special: regex and glob characters match themselves.
    ["a.c", "abc", false],
    ["a?c", "abc", false],
    ["a?c", "a?c", true],
    ["[ab]", "a", false],
    ["(x)+", "(x)+", true],
    // "\*" is a literal star.
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["\\**", "*tail", true],
    ["\\**", "tail", false],
    // Newlines are ordinary characters for "*".
    ["a*b", "a\nb", true],
  ])("%j against %j is %s", (pattern, text, expected) => {
    expect(compilePattern(pattern)(text)).toBe(expected);
  });

  it("matches many wildcards over a long text (linear scan, no backtracking)", () => {
    const text = "a".repeat(50_000);
    expect(compilePattern("*a*a*a*a*a*a*a*a*a*b")(text)).toBe(false);
    expect(compilePattern("*a*a*a*a*a*a*a*a*a*")(text)).toBe(true);
  });
});
