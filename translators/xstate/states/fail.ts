/** Fail: https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html */
import type { Json } from "../../json.js";
import type { FailState, QueryLanguage } from "../../asl/model.js";
import { compileValueExpression } from "../../dataflow/value-expression.js";
import { compileJsonataValue } from "../../query/jsonata.js";
import type { ActorData } from "../actor-data.js";
import { raise, toFailure } from "../error-handling.js";
import { bindingsOf, enterState, failActor, scopeOf, type CompileServices, type StateBehaviour } from "../step.js";

type Reader = (d: ActorData) => Json | undefined;

function compileField(value: string | undefined, path: string | undefined, field: string, language: QueryLanguage, services: CompileServices): Reader {
  if (language === "JSONata" && value !== undefined) {
    const compiled = compileJsonataValue(value, field);
    return (d) => compiled.evaluate(bindingsOf(d, services));
  }
  if (path !== undefined) {
    const read = compileValueExpression(path, `${field}Path`);
    return (d) => read(scopeOf(d, d.input, services));
  }
  return () => value;
}

const asText = (v: Json | undefined): string | undefined => (v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v));

export function buildFail(name: string, s: FailState, language: QueryLanguage, services: CompileServices): StateBehaviour {
  const error = compileField(s.Error, s.ErrorPath, "Error", language, services);
  const cause = compileField(s.Cause, s.CausePath, "Cause", language, services);
  return {
    name,
    type: "Fail",
    targets: [],
    enter(d) {
      enterState(d, "Fail");
      try {
        failActor(d, asText(error(d)), asText(cause(d)));
      } catch (e) {
        raise(d, toFailure(d, e), services);
      }
    },
  };
}
