import { describe, expect, it } from "vitest";
import { StatesError } from "../../errors.js";
import type { Json } from "../../json.js";
import { javaString } from "./format.js";
import { compileIntrinsic } from "./index.js";

const randomness = { random: () => 0.5, uuid: () => "0f8fad5b-d9cb-469f-a165-70867728950e" };
const run = (text: string, input: Json = null): Json =>
  compileIntrinsic(text).evaluate({ input, context: {}, vars: {}, randomness });

function failure(text: string, input: Json = null): StatesError {
  try {
    run(text, input);
  } catch (e) {
    expect(e).toBeInstanceOf(StatesError);
    return e as StatesError;
  }
  throw new Error(`${text} did not fail`);
}

describe("States.Format", () => {
  it("replaces each {} with the next value, strings bare", () => {
    expect(run("States.Format('Hello, my name is {}.', $.name)", { name: "Arnav" })).toBe("Hello, my name is Arnav.");
    expect(run("States.Format('fst={} and snd={}.', $.a, $.b)", { a: "", b: " " })).toBe("fst= and snd= .");
    expect(run("States.Format('no placeholders')")).toBe("no placeholders");
  });

  it("prints null, booleans and numbers as AWS does", () => {
    expect(run("States.Format('{} {} {} {} {}', null, true, 1, 1.1, -3)")).toBe("null true 1 1.1 -3");
  });

  it("prints objects and arrays in Java's Map/List style (recorded on AWS)", () => {
    const input = { v: { Arg1: 1, Arg2: [] } };
    expect(run("States.Format('fst={}.', $.v)", input)).toBe("fst={Arg1=1, Arg2=[]}.");
    expect(run("States.Format('{}', $.v)", { v: [1, "a", null, { k: [true] }] })).toBe("[1, a, null, {k=[true]}]");
  });

  it("leaves JSON text in a string value alone", () => {
    expect(run("States.Format('{}', $.s)", { s: '{"Arg1": 1, "Arg2": []}' })).toBe('{"Arg1": 1, "Arg2": []}');
  });

  it("does not treat escaped braces as placeholders", () => {
    expect(run("States.Format('\\{\\} is {}', 'x')")).toBe("{} is x");
    expect(run("States.Format('\\{{}\\}', 'x')")).toBe("{x}");
    expect(run("States.Format('it\\'s {}', 'me')")).toBe("it's me");
  });

  it("reads a template from a path, where every {} is a placeholder", () => {
    expect(run("States.Format($.t, $.name)", { t: "Hello, my name is {}.", name: "Arnav" })).toBe("Hello, my name is Arnav.");
  });

  it("takes values from nested calls", () => {
    expect(run("States.Format('{}', States.UUID())")).toBe(randomness.uuid());
  });

  it("fails when placeholders and values disagree, or the template is not a string", () => {
    const few = failure("States.Format($.t, 1)", { t: "{} {}" });
    expect(few.error).toBe("States.IntrinsicFailure");
    expect(few.cause).toContain("2 placeholder(s) '{}' but 1 value(s)");
    expect(failure("States.Format('{} {}', 1)").error).toBe("States.IntrinsicFailure");
    expect(failure("States.Format('{}', 1, 2)").error).toBe("States.IntrinsicFailure");
    const notString = failure("States.Format($.t)", { t: 5 });
    expect(notString.error).toBe("States.IntrinsicFailure");
    expect(notString.cause).toContain("first argument must be a string, but was number 5");
  });
});

describe("javaString (Java's printing of numbers)", () => {
  it.each([
    [1, "1"],
    [-0, "0"],
    [1.1, "1.1"],
    [123456.789, "123456.789"],
    [0.001, "0.001"],
    [9999999.5, "9999999.5"],
    [0.0001, "1.0E-4"],
    [1e-7, "1.0E-7"],
    [1.5e-10, "1.5E-10"],
    [12345678.5, "1.23456785E7"],
    [1e21, "1000000000000000000000"],
  ])("%d prints as %s", (n, text) => {
    expect(javaString(n)).toBe(text);
  });
});

describe("States.StringSplit", () => {
  const split = (s: Json, d: Json): Json => run("States.StringSplit($.s, $.d)", { s, d });

  it("splits on a delimiter", () => {
    expect(split("1,2,3,4,5", ",")).toEqual(["1", "2", "3", "4", "5"]);
    expect(run("States.StringSplit('a-b', '-')")).toEqual(["a", "b"]);
  });

  it("treats every character of the second argument as a delimiter", () => {
    expect(split("This.is+a,test=string", ".+,=")).toEqual(["This", "is", "a", "test", "string"]);
    expect(split("split on T and \nnew line", "T\n")).toEqual(["split on ", " and ", "new line"]);
  });

  it("drops empty pieces", () => {
    expect(split("Value6\n,,,\ntrue,", ",")).toEqual(["Value6\n", "\ntrue"]);
    expect(split(",,,", ",")).toEqual([]);
    expect(split("", ",")).toEqual([]);
    expect(split(" ", ",")).toEqual([" "]);
  });

  it("keeps the whole string when there is no delimiter", () => {
    expect(split("abc", "")).toEqual(["abc"]);
  });

  it("splits on characters outside the BMP", () => {
    expect(split("a😀b", "😀")).toEqual(["a", "b"]);
  });

  it("fails on non-strings", () => {
    expect(failure("States.StringSplit($.s, ',')", { s: 1 }).cause).toContain("first argument must be a string");
    expect(failure("States.StringSplit('a', $.d)", { d: null }).cause).toContain("second argument must be a string");
  });
});
