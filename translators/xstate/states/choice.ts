/**
 * Choice: https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 * The first matching rule wins; its Assign/Output apply. With no match, Default is taken
 * with the state's own Assign/Output, or the state fails with States.NoChoiceMatched.
 */
import { StatesError, STATES_ERRORS } from "../../errors.js";
import type { Json, JsonObject } from "../../json.js";
import type { ChoiceRule, ChoiceState, QueryLanguage } from "../../asl/model.js";
import { compileChoiceRule } from "../../choice/index.js";
import { compileAssign, type EvaluateAssign } from "../../dataflow/assign.js";
import { compileJsonataValue, evaluateJsonataExpecting, type CompiledJsonataValue } from "../../query/jsonata.js";
import type { ActorData } from "../actor-data.js";
import { raise, toFailure } from "../error-handling.js";
import { compileStateIO } from "../state-io.js";
import { bindingsOf, enterState, exitState, scopeOf, type CompileServices, type StateBehaviour } from "../step.js";

interface Branch {
  readonly next: string;
  readonly matches: (d: ActorData, effective: Json) => boolean;
  readonly assign: EvaluateAssign | undefined;
  readonly output: CompiledJsonataValue | undefined;
}

function compileBranch(rule: ChoiceRule, language: QueryLanguage, services: CompileServices, field: string): Branch {
  const assign = compileAssign(rule.Assign, language);
  const output = language === "JSONata" && rule.Output !== undefined ? compileJsonataValue(rule.Output, "Output") : undefined;
  if (language === "JSONata") {
    const condition = compileJsonataValue(rule.Condition as Json, field);
    const matches = (d: ActorData): boolean => evaluateJsonataExpecting(condition, bindingsOf(d, services), "boolean");
    return { next: rule.Next as string, matches, assign, output };
  }
  const compiled = compileChoiceRule(rule);
  return { next: rule.Next as string, matches: (d, eff) => compiled.evaluate(scopeOf(d, eff, services)), assign, output };
}

export function buildChoice(name: string, s: ChoiceState, language: QueryLanguage, services: CompileServices): StateBehaviour {
  const io = compileStateIO(s, language, { defaultOutput: "input" });
  const branches = s.Choices.map((rule) => compileBranch(rule, language, services, "Condition"));
  const defaultAssign = compileAssign(s.Assign, language);
  const targets = [...new Set([...branches.map((b) => b.next), ...(s.Default ? [s.Default] : [])])];
  return {
    name,
    type: "Choice",
    targets,
    enter(d) {
      enterState(d, "Choice");
      try {
        const effective = io.effectiveInput(d, services);
        const branch = branches.find((b) => b.matches(d, effective));
        if (!branch && s.Default === undefined) {
          throw new StatesError(STATES_ERRORS.NoChoiceMatched, "No Matches!", false);
        }
        const assign = branch ? branch.assign : defaultAssign;
        const assigned: JsonObject | undefined = assign?.(scopeOf(d, effective, services), bindingsOf(d, services));
        let output: Json;
        if (branch?.output) output = branch.output.evaluate(bindingsOf(d, services));
        else output = io.finish(d, effective, services).output;
        exitState(d, "Choice", output, branch ? branch.next : s.Default, assigned);
      } catch (e) {
        raise(d, toFailure(d, e), services);
      }
    },
  };
}
