/**
 * ValidateStateMachineDefinition through the SDK. Shapes follow AWS's recorded answers
 * (LocalStack's AWS-validated snapshots): `truncated` always present, root location "/".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidateStateMachineDefinitionCommand, type ValidateStateMachineDefinitionCommandInput } from "@aws-sdk/client-sfn";
import { startTestApi, type TestApi } from "./helpers.js";

const json = JSON.stringify;
const VALID = json({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
/** Three states whose Next names nothing (and, so, unreachable states): several errors. */
const THREE_ERRORS = json({
  StartAt: "A",
  States: { A: { Type: "Pass", Next: "X" }, B: { Type: "Pass", Next: "Y" }, C: { Type: "Pass", Next: "Z" }, D: { Type: "Succeed" } },
});
/** A literal that looks like a path: a NO_DOLLAR warning, no error. */
const ONLY_WARNING = json({ StartAt: "P", States: { P: { Type: "Pass", Parameters: { a: "$.x" }, End: true } } });
const CALLBACK = json({ StartAt: "SendMessageWithWait", States: { SendMessageWithWait: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { QueueUrl: "q", "MessageBody.$": "$$.Task.Token" }, End: true } } });

describe("ValidateStateMachineDefinition", () => {
  let api: TestApi;
  const validate = async (input: ValidateStateMachineDefinitionCommandInput) => {
    const { $metadata: _, ...out } = await api.sfn.send(new ValidateStateMachineDefinitionCommand(input));
    return out;
  };
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("answers OK with no diagnostics for a valid definition, in both types", async () => {
    expect(await validate({ definition: VALID })).toEqual({ result: "OK", diagnostics: [], truncated: false });
    expect(await validate({ definition: VALID, type: "EXPRESS" })).toEqual({ result: "OK", diagnostics: [], truncated: false });
  });

  it("answers FAIL with each error's code, message and JSON-pointer location", async () => {
    const out = await validate({ definition: json({ States: { P: { Type: "Pass", End: true } } }) });
    expect(out.result).toBe("FAIL");
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED", location: "/" }));
    const nested = await validate({
      definition: json({ StartAt: "M", States: { M: { Type: "Map", ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", Next: "Gone" } } }, End: true } } }),
    });
    expect(nested.diagnostics).toContainEqual(expect.objectContaining({ code: "MISSING_TRANSITION_TARGET", location: "/States/M/ItemProcessor/States/I/Next" }));
  });

  it("reports JSON syntax errors and an empty definition", async () => {
    const broken = await validate({ definition: "not a definition" });
    expect(broken).toMatchObject({ result: "FAIL", truncated: false, diagnostics: [expect.objectContaining({ severity: "ERROR", code: "INVALID_JSON_DESCRIPTION" })] });
    expect(await validate({ definition: "" })).toEqual({
      result: "FAIL", truncated: false,
      diagnostics: [{ severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED", message: "Definition must be a valid JSON object" }],
    });
  });

  it("finds errors only a compile finds (JSONata syntax)", async () => {
    const out = await validate({ definition: json({ QueryLanguage: "JSONata", StartAt: "P", States: { P: { Type: "Pass", Output: "{% $states.input.( %}", End: true } } }) });
    expect(out.result).toBe("FAIL");
    expect(out.diagnostics?.[0]?.location).toMatch(/^\/States\/P/);
  });

  it("lists warnings only with severity WARNING, and they never make the result FAIL", async () => {
    expect(await validate({ definition: ONLY_WARNING })).toEqual({ result: "OK", diagnostics: [], truncated: false });
    const out = await validate({ definition: ONLY_WARNING, severity: "WARNING" });
    expect(out).toMatchObject({ result: "OK", truncated: false });
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: "WARNING", code: "NO_DOLLAR", location: "/States/P/Parameters/a" })]);
    const errors = await validate({ definition: THREE_ERRORS, severity: "ERROR" });
    expect(errors.diagnostics?.every((d) => d.severity === "ERROR")).toBe(true);
  });

  it("lists at most maxResults diagnostics and says when it left some out", async () => {
    const all = await validate({ definition: THREE_ERRORS });
    const count = all.diagnostics?.length ?? 0;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(all.truncated).toBe(false);
    const two = await validate({ definition: THREE_ERRORS, maxResults: 2 });
    expect(two).toMatchObject({ result: "FAIL", truncated: true });
    expect(two.diagnostics).toEqual(all.diagnostics?.slice(0, 2));
    expect(await validate({ definition: THREE_ERRORS, maxResults: count })).toEqual(all);
    expect(await validate({ definition: THREE_ERRORS, maxResults: 0 })).toEqual(all);
  });

  it("refuses the callback pattern in an EXPRESS definition only", async () => {
    expect((await validate({ definition: CALLBACK })).result).toBe("OK");
    expect(await validate({ definition: CALLBACK, type: "EXPRESS" })).toEqual({
      result: "FAIL", truncated: false,
      diagnostics: [{ severity: "ERROR", code: "SCHEMA_VALIDATION_FAILED", location: "/States/SendMessageWithWait/Resource", message: "Express state machine does not support '.waitForTaskToken' service integration " }],
    });
  });

  it("checks its own fields", async () => {
    await expect(validate({ definition: VALID, maxResults: 101 })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(validate({ definition: VALID, severity: "INFO" as never })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(validate({ definition: VALID, type: "BATCH" as never })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(validate({} as never)).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("'definition'") });
    // The definition is sensitive: too long is refused without echoing it.
    const huge = await validate({ definition: `"${"x".repeat(1_048_576)}"` }).catch((e: Error) => e);
    expect(huge).toMatchObject({ name: "ValidationException" });
    expect((huge as Error).message).not.toContain("xxxx");
  });
});
