import { describe, expect, it } from "vitest";
import { parseDefinitionText } from "../../parse.js";

const view = (text: string) => parseDefinitionText(text).diagnostics.map((d) => [d.code, d.location, d.message]);

describe("parseDefinitionText", () => {
  it("parses valid JSON like JSON.parse", () => {
    const text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": [1.5e2, -0, true, null, "\\u00e9\\n"], "End": true}}}';
    expect(parseDefinitionText(text)).toEqual({ value: JSON.parse(text), diagnostics: [] });
  });

  it("keeps __proto__ as an own key", () => {
    const value = parseDefinitionText('{"__proto__": {"a": 1}}').value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("reports empty text", () => {
    expect(view(" \n")).toEqual([["MISSING_DESCRIPTION", "", expect.any(String)]]);
  });

  it("reports syntax errors with line, column and pointer", () => {
    expect(view('{\n  "StartAt": "A",\n  "States": {"A": {"Type": "Pass",}}\n}')).toEqual([
      ["INVALID_JSON_DESCRIPTION", "/States/A", "Invalid JSON at line 3, column 35: expected a double-quoted property name, found '}'."],
    ]);
    expect(view('{"a": [1, 2 3]}')).toEqual([
      ["INVALID_JSON_DESCRIPTION", "/a", "Invalid JSON at line 1, column 13: expected ',' or ']' after an array element, found '3'."],
    ]);
    expect(view('{"a": 1} x')[0]?.[2]).toBe("Invalid JSON at line 1, column 10: expected the end of the text after the JSON value, found 'x'.");
    expect(view('{"a": "b')[0]?.[2]).toBe("Invalid JSON at line 1, column 7: unterminated string, found '\"'.");
    expect(view('{"a": tru}')[0]?.[2]).toBe("Invalid JSON at line 1, column 7: expected a JSON value, found 't'.");
    expect(view('{"a": 01}')[0]?.[2]).toBe("Invalid JSON at line 1, column 8: expected ',' or '}' after a property value, found '1'.");
    expect(view('{"a": "\\x"}')[0]?.[2]).toBe("Invalid JSON at line 1, column 7: invalid escape sequence in string, found '\"'.");
    expect(view('{"a": 1')[0]?.[2]).toBe("Invalid JSON at line 1, column 8: expected ',' or '}' after a property value, found the end of the text.");
  });

  it("reports duplicate state names and duplicate keys", () => {
    const text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "A": {"Type": "Succeed", "Type": "Fail"}}}';
    expect(view(text)).toEqual([
      ["DUPLICATE_STATE_NAME", "/States/A", "State name 'A' appears more than once in this States object."],
      ["INVALID_JSON_DESCRIPTION", "/States/A/Type", "Key 'Type' appears more than once in the same JSON object."],
    ]);
  });

  it("recognizes the States objects of branches and processors", () => {
    const branch = '{"StartAt": "B", "States": {"B": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}';
    const text = `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [${branch}], "End": true}}}`;
    expect(view(text).map((d) => [d[0], d[1]])).toEqual([["DUPLICATE_STATE_NAME", "/States/P/Branches/0/States/B"]]);
  });

  it("refuses absurd nesting instead of overflowing the stack", () => {
    expect(view("[".repeat(5000) + "]".repeat(5000))[0]?.[0]).toBe("INVALID_JSON_DESCRIPTION");
  });
});
