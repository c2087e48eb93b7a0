/**
 * Pass: https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html
 * A Result replaces the effective input outright: AWS then skips InputPath and Parameters
 * (recorded TestState answers show neither afterInputPath nor afterParameters).
 */
import type { PassState } from "../../asl/model.js";
import type { Json } from "../../json.js";
import { testedContext } from "../probe.js";
import { failureOf } from "../recovery.js";
import { compileTracedIO } from "../traced-io.js";
import type { StateEnding } from "../model.js";
import { succeeded, type RunArgs } from "./runner.js";

export function runPass({ tested, d, run, inspection, services }: RunArgs): StateEnding {
  const s = tested.state as PassState;
  const io = compileTracedIO(s, tested.language, { parametersField: "Parameters", defaultOutput: "input" }, services);
  const context = testedContext(d, run);
  try {
    let result: Json = d.input;
    if (tested.language === "JSONPath") {
      result = s.Result !== undefined ? (inspection.result = s.Result) : io.payload(d, io.effectiveInput(d, context, inspection), context, inspection);
    }
    const { output, assigned } = io.finish(d, result, context, inspection);
    return succeeded(output, s.Next, assigned);
  } catch (e) {
    const f = failureOf(e);
    return { status: "FAILED", error: f.error, ...(f.cause !== undefined ? { cause: f.cause } : {}) };
  }
}
