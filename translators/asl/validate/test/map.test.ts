import { describe, expect, it } from "vitest";
import { messages, problems, SCHEMA, single, warnings } from "./helpers.js";

const processor = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
const distributed = { ...processor, ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } };
const map = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  single({ Type: "Map", ItemProcessor: processor, End: true, ...fields }, extra);

describe("Map processor", () => {
  it("requires ItemProcessor or the legacy Iterator, not both", () => {
    expect(problems(map({}))).toEqual([]);
    expect(problems(single({ Type: "Map", Iterator: processor, End: true }))).toEqual([]);
    expect(problems(single({ Type: "Map", End: true }))).toEqual([`${SCHEMA} /States/A`]);
    expect(problems(map({ Iterator: processor }))).toEqual([`${SCHEMA} /States/A/Iterator`]);
  });

  it("checks ProcessorConfig", () => {
    expect(problems(map({ ItemProcessor: distributed }))).toEqual([]);
    expect(problems(map({ ItemProcessor: { ...processor, ProcessorConfig: { Mode: "LOCAL" } } }))).toEqual([
      `${SCHEMA} /States/A/ItemProcessor/ProcessorConfig/Mode`,
    ]);
    expect(problems(map({ ItemProcessor: { ...processor, ProcessorConfig: { Mode: "DISTRIBUTED" } } }))).toEqual([
      `${SCHEMA} /States/A/ItemProcessor/ProcessorConfig`,
    ]);
  });

  it("gives the processor its own scope", () => {
    const inner = { StartAt: "P", States: { P: { Type: "Pass", Next: "A" } } };
    expect(problems(map({ ItemProcessor: inner }))).toEqual([
      "MISSING_TRANSITION_TARGET /States/A/ItemProcessor/States/P/Next",
      "MISSING_END_STATE /States/A/ItemProcessor/States",
    ]);
  });
});

describe("Map items", () => {
  it("checks ItemsPath (JSONPath) and Items (JSONata)", () => {
    expect(problems(map({ ItemsPath: "$.items" }))).toEqual([]);
    expect(problems(map({ ItemsPath: "$items" }))).toEqual([]);
    expect(problems(map({ ItemsPath: "$..items" }))).toEqual([`${SCHEMA} /States/A/ItemsPath`]);
    expect(problems(map({ Items: [1, 2] }, { QueryLanguage: "JSONata" }))).toEqual([]);
    expect(problems(map({ Items: "{% $states.input.list %}" }, { QueryLanguage: "JSONata" }))).toEqual([]);
    expect(problems(map({ Items: "list" }, { QueryLanguage: "JSONata" }))).toEqual([`${SCHEMA} /States/A/Items`]);
  });

  it("checks ItemSelector and the legacy Parameters, which exclude each other", () => {
    expect(problems(map({ ItemSelector: { "value.$": "$$.Map.Item.Value" } }))).toEqual([]);
    expect(problems(map({ ItemSelector: {}, Parameters: {} }))).toEqual([`${SCHEMA} /States/A/Parameters`]);
    expect(problems(map({ ItemSelector: "{% $states.context.Map.Item.Value %}" }, { QueryLanguage: "JSONata" }))).toEqual([]);
  });
});

describe("Map limits", () => {
  it("checks MaxConcurrency and its Path twin", () => {
    expect(problems(map({ MaxConcurrency: 0 }))).toEqual([]);
    expect(problems(map({ MaxConcurrency: -1 }))).toEqual([`${SCHEMA} /States/A/MaxConcurrency`]);
    expect(problems(map({ MaxConcurrency: 1, MaxConcurrencyPath: "$.m" }))).toEqual([`${SCHEMA} /States/A/MaxConcurrencyPath`]);
    expect(problems(map({ MaxConcurrency: "{% $m %}" }, { QueryLanguage: "JSONata" }))).toEqual([]);
  });

  it("checks the tolerated failures", () => {
    const d = (fields: Record<string, unknown>) => map({ ItemProcessor: distributed, ...fields });
    expect(problems(d({ ToleratedFailurePercentage: 12.5, ToleratedFailureCount: 0 }))).toEqual([]);
    expect(problems(d({ ToleratedFailurePercentage: 101 }))).toEqual([`${SCHEMA} /States/A/ToleratedFailurePercentage`]);
    expect(problems(d({ ToleratedFailureCount: 1.5 }))).toEqual([`${SCHEMA} /States/A/ToleratedFailureCount`]);
    expect(problems(d({ ToleratedFailureCountPath: "$.n" }))).toEqual([]);
    expect(messages(d({ ToleratedFailurePercentage: -1 }))).toEqual(["ToleratedFailurePercentage must be a number between 0 and 100, found -1."]);
  });

  it("warns about Distributed-only fields in Inline mode", () => {
    expect(warnings(map({ ToleratedFailureCount: 1, Label: "L" }))).toEqual([`${SCHEMA} /States/A/Label`, `${SCHEMA} /States/A/ToleratedFailureCount`]);
  });
});

describe("Map Label", () => {
  it("checks length, characters and uniqueness", () => {
    const d = (label: unknown) => map({ ItemProcessor: distributed, Label: label });
    expect(problems(d("Batch_1-a"))).toEqual([]);
    expect(problems(d("x".repeat(41)))).toEqual(["INVALID_LABEL_NAME /States/A/Label"]);
    expect(problems(d("has space"))).toEqual(["INVALID_LABEL_NAME /States/A/Label"]);
    expect(problems(d(7))).toEqual([`${SCHEMA} /States/A/Label`]);
    const inner = { StartAt: "Q", States: { Q: { Type: "Map", ItemProcessor: distributed, Label: "L", End: true } } };
    expect(problems(map({ ItemProcessor: { ...inner, ProcessorConfig: distributed.ProcessorConfig }, Label: "L" }))).toEqual([
      "DUPLICATE_LABEL_NAME /States/A/Label",
    ]);
  });
});

describe("Map I/O", () => {
  const d = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => map({ ItemProcessor: distributed, ...fields }, extra);
  const reader = { Resource: "arn:aws:states:::s3:getObject", Parameters: { Bucket: "b", Key: "k" }, ReaderConfig: { InputType: "CSV", MaxItems: 10 } };

  it("checks ItemReader", () => {
    expect(problems(d({ ItemReader: reader }))).toEqual([]);
    expect(problems(d({ ItemReader: { Parameters: {} } }))).toEqual([`${SCHEMA} /States/A/ItemReader`]);
    expect(problems(d({ ItemReader: { ...reader, ReaderConfig: { MaxItems: 0 } } }))).toEqual([`${SCHEMA} /States/A/ItemReader/ReaderConfig/MaxItems`]);
    expect(problems(d({ ItemReader: { ...reader, Arguments: {} } }))).toEqual([`${SCHEMA} /States/A/ItemReader/Arguments`]);
    expect(problems(d({ ItemReader: { Resource: "arn:x", Arguments: {} } }, { QueryLanguage: "JSONata" }))).toEqual([]);
  });

  it("checks ItemBatcher", () => {
    expect(problems(d({ ItemBatcher: { MaxItemsPerBatch: 10, BatchInput: { "k.$": "$.k" } } }))).toEqual([]);
    expect(problems(d({ ItemBatcher: { BatchInput: {} } }))).toEqual([`${SCHEMA} /States/A/ItemBatcher`]);
    expect(problems(d({ ItemBatcher: { MaxInputBytesPerBatch: 262145 } }))).toEqual([`${SCHEMA} /States/A/ItemBatcher/MaxInputBytesPerBatch`]);
    expect(problems(d({ ItemBatcher: { MaxItemsPerBatchPath: "$.n", Foo: 1 } }))).toEqual([`${SCHEMA} /States/A/ItemBatcher/Foo`]);
  });

  it("checks ResultWriter", () => {
    expect(problems(d({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "b" } } }))).toEqual([]);
    expect(problems(d({ ResultWriter: { WriterConfig: { OutputType: "JSON" } } }))).toEqual([]);
    expect(problems(d({ ResultWriter: {} }))).toEqual([`${SCHEMA} /States/A/ResultWriter`]);
    expect(problems(d({ ResultWriter: [] }))).toEqual([`${SCHEMA} /States/A/ResultWriter`]);
  });
});
