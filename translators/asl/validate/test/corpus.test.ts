/**
 * Every definition AWS accepted validates with zero errors: the recorded conformance cases,
 * the benchmarks and the seed examples in ../../../../../shared.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateDefinition } from "../index.js";

const shared = fileURLToPath(new URL("../../../../../shared/", import.meta.url));

const list = (dir: string, suffix: string): string[] =>
  readdirSync(shared + dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => `${dir}/${f}`);

/**
 * The recorder left placeholders where the definition sent to AWS held a run-specific value:
 * - "%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%": a context path such as "$$" (LocalStack's template);
 * - "Items": "_tbd_": a JSONata expression, as the recorded causes show ("The JSONata
 *   expression 'true' specified for the field 'Items' ...");
 * - "TimestampEquals": "date" (and the other Timestamp operators): a timestamp the recorder
 *   masked like the times in `history`.
 * They are put back before validating.
 */
const PLACEHOLDERS: readonly [RegExp, string][] = [
  [/"%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%"/g, '"$$$$"'],
  [/"Items": "_tbd_"/g, '"Items": "{% _tbd_ %}"'],
  [/"(Timestamp(?:Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals))": "date"/g, '"$1": "2016-08-18T17:33:00Z"'],
];

function restorePlaceholders(definitionText: string): unknown {
  return JSON.parse(PLACEHOLDERS.reduce((text, [pattern, value]) => text.replace(pattern, value), definitionText));
}

function definitionOf(file: string): unknown {
  const json = JSON.parse(readFileSync(shared + file, "utf8")) as { definition?: unknown };
  const definition = file.startsWith("conformance/") ? json.definition : json;
  return restorePlaceholders(JSON.stringify(definition, null, 1));
}

const files = [...list("conformance/cases", ".json"), ...list("bench", ".asl.json"), ...list("seed-examples", ".asl.json")];

describe("definitions AWS accepted", () => {
  it("finds the corpus", () => {
    expect(files.length).toBeGreaterThan(560);
  });

  it.each(files)("%s has no errors", (file) => {
    const errors = validateDefinition(definitionOf(file)).filter((d) => d.severity === "ERROR");
    expect(errors).toEqual([]);
  });
});
