/**
 * A Map's items (ItemsPath, or JSONata Items) and each iteration's input (ItemSelector, or
 * the legacy Parameters, with `$$.Map.Item`), compiled once per state.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html
 */
import { StatesError, STATES_ERRORS } from "../../errors.js";
import type { Json, JsonObject } from "../../json.js";
import type { MapState, QueryLanguage } from "../../asl/model.js";
import { compilePayloadTemplate } from "../../dataflow/payload-template.js";
import { compileSelectPath } from "../../dataflow/paths.js";
import { compileJsonataValue, evaluateJsonataExpecting } from "../../query/jsonata.js";
import type { ActorData } from "../actor-data.js";
import { bindingsOf, contextObject, scopeOf, type CompileServices } from "../step.js";

type Items = (d: ActorData, effective: Json) => Json[];
type ItemInput = (d: ActorData, effective: Json, index: number, value: Json) => Json;

export function compileItems(s: MapState, language: QueryLanguage, services: CompileServices): Items {
  if (language === "JSONata" && s.Items !== undefined) {
    const expr = compileJsonataValue(s.Items, "Items");
    return (d) => evaluateJsonataExpecting(expr, bindingsOf(d, services), "array");
  }
  const itemsPath = compileSelectPath(language === "JSONPath" ? s.ItemsPath : undefined);
  return (d, eff) => {
    const v = itemsPath(scopeOf(d, eff, services));
    if (!Array.isArray(v)) {
      const error = language === "JSONata" ? STATES_ERRORS.QueryEvaluationError : STATES_ERRORS.Runtime;
      throw new StatesError(error, `Map state input must be an array but was: ${JSON.stringify(v)}`);
    }
    return v;
  };
}

export function compileItemInput(s: MapState, language: QueryLanguage, services: CompileServices): ItemInput {
  const selector = s.ItemSelector ?? s.Parameters;
  if (selector === undefined) return (_d, _eff, _i, value) => value;
  const itemContext = (d: ActorData, index: number, value: Json): JsonObject => contextObject(d, { Map: { Item: { Index: index, Value: value } } });
  if (language === "JSONata") {
    const expr = compileJsonataValue(selector, "ItemSelector");
    return (d, _eff, index, value) => expr.evaluate(bindingsOf(d, services, { context: itemContext(d, index, value) }));
  }
  const template = compilePayloadTemplate(selector);
  return (d, eff, index, value) => template(scopeOf(d, eff, services, itemContext(d, index, value)));
}
