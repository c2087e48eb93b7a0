/**
 * Repairs for DEFECTIVE conformance cases (see known-failures.ts): values the recorder (LocalStack's
 * snapshot tests) left as template text or placeholders in a case's definition or input, put back
 * from evidence only:
 *  (a) the case's own recording: its `history` (ExecutionStarted input, PassStateExited
 *      assignedVariables, MapStateStarted length, a state's input/output, an error cause that
 *      quotes the expression or value AWS saw), or
 *  (b) the LocalStack test that generated the case (its `source.test`): the test's parameters and
 *      the template files it loads (localstack/localstack, tests/aws/services/stepfunctions/...).
 *
 * A repair only touches `/definition/...` and `/input/...`; `expected` is never changed. Each
 * replacement names the JSON pointer (into the case), the stored value it replaces (checked before
 * replacing, so a changed case file makes the repair fail loudly instead of silently applying) and
 * the new value. Cases whose evidence is missing or ambiguous, or whose `expected` itself holds a
 * recorder's word in place of a value, stay unrepaired: see UNREPAIRED.
 */
import { randomUUID } from "node:crypto";
import type { Json, JsonObject } from "../../translators/json.js";
import { jsonEquals } from "../../translators/json.js";

/** A value only defined relative to the moment the execution starts (LocalStack computed it from `now`). */
export interface RunTimeValue {
  /** How LocalStack computed it, restated. */
  readonly computed: string;
  readonly value: () => Json;
}

export interface Replacement {
  /** JSON pointer into the case object; must start with /definition or /input. */
  readonly pointer: string;
  /** The value stored in the case file at that pointer. */
  readonly old: Json;
  readonly new: Json | RunTimeValue;
}

export interface Repair {
  readonly id: string;
  readonly replacements: readonly Replacement[];
  /** Where the new values come from. */
  readonly evidence: string;
}

export const isRunTimeValue = (v: Json | RunTimeValue): v is RunTimeValue =>
  typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { value?: unknown }).value === "function";

// --- Choice: TimestampXxx operators ----------------------------------------------------------
//
// LocalStack tests/aws/services/stepfunctions/v2/choice_operators/test_timestamp_operators.py:
//   TYPE_COMPARISONS_VARS = [None, 0, 0.0, 1, 1.1, "", " ", "2023-02-24 12:15:56.832957", [], [""], {}, {"A": 0}, False, True]
//   T0 = "2012-10-09T19:00:55Z"; T1 = "2012-10-09T19:00:56Z"
//   BASE_COMPARISONS = [(T0, T0), (T0, T1), (T1, T0)]
//   test_timestamp_equals: comparisons=[*[(var, T0) for var in TYPE_COMPARISONS_VARS], *BASE_COMPARISONS]
//   test_timestamp_greater_than / _less_than / _less_than_equals: comparisons=BASE_COMPARISONS
// and .../choice_operators/utils.py create_and_test_comparison_function: case i runs input
// {"Variable": variable, "Value": value} on the template with the operator's value replaced by
// json.dumps(value) (add_literal_value=True). The case id's last number is i. (The same evidence
// translators/choice/conformance.test.ts uses.)

const T0 = "2012-10-09T19:00:55Z";
const T1 = "2012-10-09T19:00:56Z";
const TYPE_COMPARISONS_VARS: Json[] = [null, 0, 0.0, 1, 1.1, "", " ", "2023-02-24 12:15:56.832957", [], [""], {}, { A: 0 }, false, true];
const BASE_COMPARISONS: [Json, Json][] = [
  [T0, T0],
  [T0, T1],
  [T1, T0],
];
const TIMESTAMP_TESTS: Record<string, { operator: string; comparisons: [Json, Json][] }> = {
  test_timestamp_equals: {
    operator: "TimestampEquals",
    comparisons: [...TYPE_COMPARISONS_VARS.map((v): [Json, Json] => [v, T0]), ...BASE_COMPARISONS],
  },
  test_timestamp_greater_than: { operator: "TimestampGreaterThan", comparisons: BASE_COMPARISONS },
  test_timestamp_less_than: { operator: "TimestampLessThan", comparisons: BASE_COMPARISONS },
  test_timestamp_less_than_equals: { operator: "TimestampLessThanEquals", comparisons: BASE_COMPARISONS },
};

/** The recorder put "date" wherever a timestamp (T0, T1) was; other values, strings included, it kept. */
function timestampChoiceRepair(test: string, index: number): Repair {
  const t = TIMESTAMP_TESTS[test];
  const pair = t?.comparisons[index];
  if (!t || !pair) throw new Error(`no LocalStack comparison ${test}[${index}]`);
  const [variable, value] = pair;
  const replacements: Replacement[] = [{ pointer: `/definition/States/CheckValues/Choices/0/${t.operator}`, old: "date", new: value }];
  if (variable === T0 || variable === T1) replacements.push({ pointer: "/input/Variable", old: "date", new: variable });
  replacements.push({ pointer: "/input/Value", old: "date", new: value });
  return {
    id: `choice_operators-test_timestamp_operators--${test}--${index}`,
    replacements,
    evidence:
      `LocalStack tests/aws/services/stepfunctions/v2/choice_operators/test_timestamp_operators.py::${test}: ` +
      `comparisons[${index}] = (Variable ${JSON.stringify(variable)}, Value ${JSON.stringify(value)}); utils.py ` +
      `create_and_test_comparison_function puts json.dumps(value) into ${t.operator} and runs input {"Variable", "Value"}`,
  };
}

// --- Wait: TimestampPath, timestamps computed from "now" ----------------------------------------

/** Python's strftime("%Y-%m-%dT%H:%M:%S") of a UTC time. */
const utcSeconds = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
const DAY_MS = 86_400_000;

function waitTimestampPathRepair(suffix: "Z" | ".000000Z"): Repair {
  return {
    id: `base-test_wait--TestSfnWait--test_wait_timestamppath-${suffix}`,
    replacements: [
      {
        pointer: "/input/start_at",
        old: "<timestamp>",
        new: {
          computed: `datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + "${suffix}" (the current time: in the past by the time the Wait runs)`,
          value: () => utcSeconds(Date.now()) + suffix,
        },
      },
    ],
    evidence:
      `LocalStack tests/aws/services/stepfunctions/v2/base/test_wait.py::test_wait_timestamppath[timestamp_suffix="${suffix}"]: ` +
      `exec_input = {"start_at": now.strftime("%Y-%m-%dT%H:%M:%S") + timestamp_suffix}; the recorder replaced that ` +
      `string by "<timestamp>" (history event 1 ExecutionStarted input; the expected output keeps the placeholder, which matches any value)`,
  };
}

// --- Whole definitions that were not the recorded ones ------------------------------------------

const STORED_CHOICE_SINGLETON_COMPOSITE: JsonObject = {
  StartAt: "ChoiceStateX",
  States: {
    ChoiceStateX: {
      Type: "Choice",
      Choices: [{ And: [{ Variable: "$.type", StringEquals: "Public" }], Next: "Public" }],
      Default: "DefaultState",
    },
    Public: { Type: "Pass", End: true },
    DefaultState: { Type: "Fail", Cause: "No Matches!" },
  },
};

/** localstack tests/aws/services/stepfunctions/templates/scenarios/statemachines/choice_state_singleton_composite_literal_string_jsonata.json5 */
const CHOICE_STATE_SINGLETON_COMPOSITE_LITERAL_JSONATA: JsonObject = {
  StartAt: "Pass",
  QueryLanguage: "JSONata",
  States: {
    Pass: { Type: "Pass", Output: { str_value: "string literal" }, Next: "Choice" },
    Choice: {
      Type: "Choice",
      Choices: [{ Next: "Success", Condition: '{% $states.input.str_value = "string literal" %}' }],
      Default: "Fail",
    },
    Success: { Type: "Succeed" },
    Fail: { Type: "Fail" },
  },
};

const STORED_MAP_STATE_ITEM_SELECTOR: JsonObject = {
  StartAt: "StartState",
  States: {
    StartState: {
      Type: "Pass",
      Result: {
        detail: {
          "delivery-partner": "UQS",
          shipped: [
            { prod: "R31", "dest-code": 9511, quantity: 1344 },
            { prod: "S39", "dest-code": 9511, quantity: 40 },
            { prod: "R31", "dest-code": 9833, quantity: 12 },
            { prod: "R40", "dest-code": 9860, quantity: 887 },
            { prod: "R40", "dest-code": 9511, quantity: 1220 },
          ],
        },
      },
      Next: "MapState",
    },
    MapState: {
      Type: "Map",
      ResultPath: "$.detail.shipped_output",
      InputPath: "$.detail",
      ItemsPath: "$.shipped",
      MaxConcurrency: 1,
      ItemSelector: {
        "original_input.$": "$",
        "iteration_input_value.$": "$$.Map.Item.Value",
        "iteration_index.$": "$$.Map.Item.Index",
        "from_input_constant.$": "$.delivery-partner",
        constant_value: "HelloWorld",
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "HandleItem",
        States: { HandleItem: { Type: "Pass", End: true } },
      },
      Next: "Final",
    },
    Final: { Type: "Pass", End: true },
  },
};

/** localstack tests/aws/services/stepfunctions/templates/scenarios/statemachines/map_state_item_selector_jsonata.json5 */
const MAP_STATE_ITEM_SELECTOR_JSONATA: JsonObject = {
  QueryLanguage: "JSONata",
  StartAt: "Start",
  States: {
    Start: { Type: "Pass", Assign: { ItemsVar: ["Item1", "Item2"] }, Next: "MapIterateState" },
    MapIterateState: {
      Type: "Map",
      MaxConcurrency: 1,
      Items: "{% $ItemsVar %}",
      ItemSelector: {
        map_item_value: "{% $states.context.Map.Item.Value %}",
        var_sample: "{% $ItemsVar %}",
        string_literal: "string literal",
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "Pass",
        States: { Pass: { Type: "Pass", End: true } },
      },
      End: true,
    },
  },
};

// --- Map Items / variables in JSONata: template "_tbd_" replaced by the test ----------------------

const SCENARIOS = "scenarios-test_base_scenarios--TestBaseScenarios--";

/** Items "_tbd_" (map_state_items_literal.json5): the expression is quoted by AWS in the error cause. */
function itemsExpressionRepair(param: string, expression: string): Repair {
  return {
    id: `${SCENARIOS}test_map_state_items_eval_jsonata_fail-${param}`,
    replacements: [{ pointer: "/definition/States/MapIterateState/Items", old: "_tbd_", new: `{% ${expression} %}` }],
    evidence:
      `history event 3 (EvaluationFailed, location "Items") and the expected cause quote the expression AWS evaluated: ` +
      `"The JSONata expression '${expression}' specified for the field 'Items' ...". AWS quotes the text between {% and %} ` +
      `trimmed (the template map_state_items_variable.json5 has "Items": "{% $ItemsVar %}" and AWS quotes '$ItemsVar'), ` +
      `so the field was "{% ${expression} %}"`,
  };
}

/** Assign.ItemsVar "_tbd_" (map_state_items_variable.json5): the value AWS assigned is in PassStateExited. */
function itemsVariableRepair(test: string, param: string, recorded: Json, value: Json): Repair {
  return {
    id: `${SCENARIOS}${test}-${param}`,
    replacements: [{ pointer: "/definition/States/Start/Assign/ItemsVar", old: "_tbd_", new: value }],
    evidence:
      `history event 3 (PassStateExited of "Start") assignedVariables.ItemsVar = ${JSON.stringify(recorded)} ` +
      `(AWS records assigned values as JSON text; the recorder kept the object one parsed), i.e. ${JSON.stringify(value)}; the expected cause agrees ` +
      `("... but was '${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}' for value: ${JSON.stringify(value)}")`,
  };
}

// --- Wait Timestamp in JSONata: the value is quoted by AWS in the error cause ---------------------

function waitTimestampJsonataRepair(param: string, value: string): Repair {
  return {
    id: `${SCENARIOS}test_wait_timestamp_jsonata-${param}`,
    replacements: [{ pointer: "/input/TimestampValue", old: "timestamp", new: value }],
    evidence:
      `history event 3 (EvaluationFailed, location "Timestamp") and the expected cause quote the value AWS saw: ` +
      `"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${value}"; ` +
      `the definition's Timestamp is "{% $states.input.TimestampValue %}", so that was the input's TimestampValue`,
  };
}

// --- The repairs ---------------------------------------------------------------------------------

export const REPAIRS: readonly Repair[] = [
  ...[0, 2, 4, 6, 8, 9, 10, 11, 12, 15].map((i) => timestampChoiceRepair("test_timestamp_equals", i)),
  timestampChoiceRepair("test_timestamp_greater_than", 0),
  timestampChoiceRepair("test_timestamp_greater_than", 2),
  timestampChoiceRepair("test_timestamp_less_than", 0),
  timestampChoiceRepair("test_timestamp_less_than_equals", 0),
  timestampChoiceRepair("test_timestamp_less_than_equals", 1),
  timestampChoiceRepair("test_timestamp_less_than_equals", 2),

  waitTimestampPathRepair("Z"),
  waitTimestampPathRepair(".000000Z"),
  {
    id: "base-test_wait--TestSfnWait--test_timestamp_too_far_in_future_boundary-24856",
    replacements: [
      {
        pointer: "/input/start_at",
        old: "<timestamp>",
        new: {
          computed: '(datetime.now(timezone.utc) + timedelta(days=24856)).strftime("%Y-%m-%dT%H:%M:%S") + ".000Z"',
          value: () => utcSeconds(Date.now() + 24856 * DAY_MS) + ".000Z",
        },
      },
    ],
    evidence:
      "LocalStack tests/aws/services/stepfunctions/v2/base/test_wait.py::test_timestamp_too_far_in_future_boundary[days=24856]: " +
      'exec_input = {"start_at": f"{(now + timedelta(days=days)).strftime(\'%Y-%m-%dT%H:%M:%S\')}.000Z"}; the recorder replaced ' +
      'that string by "<timestamp>" (history event 1 ExecutionStarted input)',
  },

  {
    id: "context_object-test_context_object--TestSnfBase--test_input_path-.Execution.Input",
    replacements: [{ pointer: "/definition/States/TestState/InputPath", old: "%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%", new: "$$.Execution.Input" }],
    evidence:
      "LocalStack tests/aws/services/stepfunctions/v2/context_object/test_context_object.py::test_input_path[context_object_literal=\"$$.Execution.Input\"]: " +
      "definition.replace(CONTEXT_OBJECT_LITERAL_PLACEHOLDER, context_object_literal); CONTEXT_OBJECT_LITERAL_PLACEHOLDER = " +
      '"%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%" (templates/context_object/context_object_templates.py)',
  },
  {
    id: "context_object-test_context_object--TestSnfBase--test_output_path-.Execution.Input",
    replacements: [{ pointer: "/definition/States/TestState/OutputPath", old: "%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%", new: "$$.Execution.Input" }],
    evidence:
      "LocalStack tests/aws/services/stepfunctions/v2/context_object/test_context_object.py::test_output_path[context_object_literal=\"$$.Execution.Input\"]: " +
      "definition.replace(CONTEXT_OBJECT_LITERAL_PLACEHOLDER, context_object_literal)",
  },
  {
    id: "context_object-test_context_object--TestSnfBase--test_variable",
    replacements: [
      { pointer: "/definition/States/TestState/Choices/0/Variable", old: "%CONTEXT_OBJECT_LITERAL_PLACEHOLDER%", new: "$$.Execution.Input.input-value" },
    ],
    evidence:
      "LocalStack tests/aws/services/stepfunctions/v2/context_object/test_context_object.py::test_variable: " +
      'definition.replace(CONTEXT_OBJECT_LITERAL_PLACEHOLDER, "$$.Execution.Input.input-value") (history: the Choice went to QuitChoiceMatched, as 0 <= 0)',
  },

  {
    id: "evaluate_jsonata-test_base_evaluate_expressions--TestBaseEvaluateJsonata--test_base_map-ITEMS",
    replacements: [{ pointer: "/definition/States/Start/Items", old: [1], new: [1, '{% $number("2") %}', 3] }],
    evidence:
      "LocalStack tests/aws/services/stepfunctions/v2/evaluate_jsonata/test_base_evaluate_expressions.py::test_base_map[ITEMS]: " +
      'template["States"]["Start"].update({"Items": EJT.JSONATA_ARRAY_ELEMENT_EXPRESSION}) with JSONATA_ARRAY_ELEMENT_EXPRESSION = ' +
      "[1, '{% $number(\"2\") %}', 3] (templates/evaluatejsonata/evaluate_jsonata_templates.py); history agrees: event 3 " +
      "MapStateStarted length 3, iteration inputs 1, 2, 3 (events 5, 9, 13)",
  },

  {
    id: `${SCENARIOS}test_choice_singleton_composite-CHOICE_STATE_SINGLETON_COMPOSITE_LITERAL_JSONATA`,
    replacements: [{ pointer: "/definition", old: STORED_CHOICE_SINGLETON_COMPOSITE, new: CHOICE_STATE_SINGLETON_COMPOSITE_LITERAL_JSONATA }],
    evidence:
      "the stored definition is the JSONPath template choice_state_singleton_composite.json5 (states ChoiceStateX, Public, " +
      "DefaultState), but the history names Pass -> Choice -> Success (a Succeed state) and Pass outputs " +
      '{"str_value": "string literal"} (events 2-7). LocalStack\'s JSONata variant of this test, parameter ' +
      "CHOICE_STATE_SINGLETON_COMPOSITE_LITERAL_JSONATA, is templates/scenarios/statemachines/" +
      "choice_state_singleton_composite_literal_string_jsonata.json5, whose states, Pass Output and Condition match every event",
  },
  {
    id: `${SCENARIOS}test_map_state_item_selector-MAP_STATE_ITEM_SELECTOR_JSONATA`,
    replacements: [{ pointer: "/definition", old: STORED_MAP_STATE_ITEM_SELECTOR, new: MAP_STATE_ITEM_SELECTOR_JSONATA }],
    evidence:
      "the stored definition is the JSONPath template map_state_item_selector.json5 (states StartState, MapState, HandleItem, " +
      "Final), but the history names Start (assignedVariables ItemsVar [\"Item1\",\"Item2\"], event 3) -> MapIterateState " +
      "(length 2) -> Pass with inputs {map_item_value, var_sample, string_literal} (events 7, 11). LocalStack's parameter " +
      "MAP_STATE_ITEM_SELECTOR_JSONATA is templates/scenarios/statemachines/map_state_item_selector_jsonata.json5, which matches every event",
  },

  itemsExpressionRepair("boolean", "true"),
  itemsExpressionRepair("function", "$fn := function($x){$x}"),
  itemsExpressionRepair("null", "null"),
  itemsExpressionRepair("number", "1"),
  itemsExpressionRepair("object", "{'foo': 'bar'}"),
  itemsExpressionRepair("string", "'string'"),

  itemsVariableRepair("test_map_state_items_eval_jsonata_variable_sampling_fail", "boolean", "true", true),
  itemsVariableRepair("test_map_state_items_eval_jsonata_variable_sampling_fail", "null", "null", null),
  itemsVariableRepair("test_map_state_items_eval_jsonata_variable_sampling_fail", "number", "1", 1),
  itemsVariableRepair("test_map_state_items_eval_jsonata_variable_sampling_fail", "string", '"string"', "string"),
  itemsVariableRepair("test_map_state_items_variable_sampling", "null", "null", null),
  itemsVariableRepair("test_map_state_items_variable_sampling", "number", "1", 1),
  itemsVariableRepair("test_map_state_items_variable_sampling", "object", { foo: "bar" }, { foo: "bar" }),

  waitTimestampJsonataRepair("INVALID_DATE", "2016-13-05T21:29:29Z"),
  waitTimestampJsonataRepair("INVALID_ISO", "05-12-2016T21:29:29Z"),
  waitTimestampJsonataRepair("NO_Z", "2016-12-05T21:29:29"),

  {
    id: "error_handling-test_aws_sdk--TestAwsSdk--test_dynamodb_put_item_no_such_table",
    replacements: [
      {
        pointer: "/input/TableName",
        old: "<test-table>",
        new: { computed: 'f"no_such_sfn_test_table_{short_uid()}" (short_uid: the first 8 characters of a uuid4)', value: () => `no_such_sfn_test_table_${randomUUID().slice(0, 8)}` },
      },
    ],
    evidence:
      "LocalStack tests/aws/services/stepfunctions/v2/error_handling/test_aws_sdk.py::test_dynamodb_put_item_no_such_table: " +
      'table_name = f"no_such_sfn_test_table_{short_uid()}", a table it never creates; its sfn_snapshot.transform.dynamodb_api() ' +
      'transformer replaced that name by "<test-table>" (history event 1 ExecutionStarted input), which DynamoDB refuses as a table name',
  },
];

/** DEFECTIVE cases left as they are, and why. */
export const UNREPAIRED: Readonly<Record<string, string>> = {
  "context_object-test_context_object--TestSnfBase--test_input_path":
    'the definition is repairable (InputPath "$$", test_input_path[context_object_literal="$$"]), but the expected output ' +
    'holds the recorder\'s word "date" for Execution.StartTime and State.EnteredTime: no engine can produce it, and expected is not ours to change',
  "intrinsic_functions-test_math_operations--TestMathOperations--test_math_random--exec_hist_resp_0":
    'the expected output holds the recorder\'s word "RandomNumberGenerated" in place of the random number',
  "intrinsic_functions-test_math_operations--TestMathOperations--test_math_random--exec_hist_resp_1":
    'the expected output holds the recorder\'s word "RandomNumberGenerated" in place of the random number',
  "intrinsic_functions-test_math_operations--TestMathOperations--test_math_random--exec_hist_resp_2":
    'the expected output holds the recorder\'s word "RandomNumberGenerated" in place of the random number',
  [`${SCENARIOS}test_map_state_items_eval_jsonata-mixed`]:
    'Items is "_tbd_" and nothing records the expression that replaced it: the history (MapStateStarted length 3, ' +
    'iteration inputs 1, "two", 3) only shows its result, which a literal array, "{% [1, \'two\', 3] %}" or per-element ' +
    "expressions would all give; the LocalStack test's parameter for [mixed] is not in the stored sources",
  "express-test_express_sync--TestExpressSync--test_query_runtime_memory":
    'the expected output holds the recorder\'s words "start-time" and "entered-time" in place of $$.Execution.StartTime ' +
    "and $$.State.EnteredTime: no engine can produce them, and expected is not ours to change",
  [`${SCENARIOS}test_wait_timestamp_jsonata-NANOSECONDS`]:
    'the input and the expected output both hold the recorder\'s word "date" for the timestamp (expected output ' +
    '{"TimestampValue": "date"}): the value is not recorded anywhere, and the expected output cannot be matched',
};

// --- Applying --------------------------------------------------------------------------------------

export interface RepairableCase {
  readonly id: string;
  readonly definition: unknown;
  readonly input: unknown;
}

const decode = (token: string): string => token.replace(/~1/g, "/").replace(/~0/g, "~");

/**
 * The case's definition and input with the repair applied (fresh copies; the case is not changed).
 * Throws if a pointer is outside /definition and /input, or the stored value is not `old`.
 */
export function applyRepair(c: RepairableCase, repair: Repair): { definition: Json; input: Json } {
  if (c.id !== repair.id) throw new Error(`repair for ${repair.id} applied to ${c.id}`);
  const root: { definition: Json; input: Json } = {
    definition: structuredClone(c.definition) as Json,
    input: structuredClone(c.input) as Json,
  };
  for (const r of repair.replacements) {
    const tokens = r.pointer.split("/").slice(1).map(decode);
    if (r.pointer[0] !== "/" || (tokens[0] !== "definition" && tokens[0] !== "input")) {
      throw new Error(`${repair.id}: ${r.pointer} is outside /definition and /input`);
    }
    let parent: Json = root as unknown as JsonObject;
    for (const t of tokens.slice(0, -1)) {
      const next: Json | undefined = Array.isArray(parent) ? parent[Number(t)] : typeof parent === "object" && parent !== null ? parent[t] : undefined;
      if (next === undefined) throw new Error(`${repair.id}: ${r.pointer} does not exist in the case`);
      parent = next;
    }
    const last = tokens[tokens.length - 1] as string;
    if (typeof parent !== "object" || parent === null) throw new Error(`${repair.id}: ${r.pointer} does not exist in the case`);
    const current = Array.isArray(parent) ? parent[Number(last)] : parent[last];
    if (current === undefined || !jsonEquals(current, r.old)) {
      throw new Error(`${repair.id}: ${r.pointer} holds ${JSON.stringify(current)}, not the ${JSON.stringify(r.old)} this repair replaces`);
    }
    const value = isRunTimeValue(r.new) ? r.new.value() : structuredClone(r.new);
    if (Array.isArray(parent)) parent[Number(last)] = value;
    else parent[last] = value;
  }
  return root;
}
