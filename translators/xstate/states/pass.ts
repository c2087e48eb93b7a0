/** Pass: https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html */
import type { QueryLanguage, PassState } from "../../asl/model.js";
import { raise, toFailure } from "../error-handling.js";
import { compileStateIO } from "../state-io.js";
import { enterState, exitState, type CompileServices, type StateBehaviour } from "../step.js";

export function buildPass(name: string, s: PassState, language: QueryLanguage, services: CompileServices): StateBehaviour {
  const io = compileStateIO(s, language, { parametersField: "Parameters", defaultOutput: "input" });
  return {
    name,
    type: "Pass",
    targets: s.Next ? [s.Next] : [],
    enter(d) {
      enterState(d, "Pass");
      try {
        let result = d.input;
        if (language === "JSONPath") {
          const effective = io.effectiveInput(d, services);
          // `Result` wins over `Parameters` (AWS's recorded TestState answer shows no afterParameters then).
          result = s.Result !== undefined ? s.Result : s.Parameters !== undefined ? io.parameters(d, effective, services) : effective;
        }
        const { output, assigned } = io.finish(d, result, services);
        exitState(d, "Pass", output, s.Next, assigned);
      } catch (e) {
        raise(d, toFailure(d, e), services);
      }
    },
  };
}
