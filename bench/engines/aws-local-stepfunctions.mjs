/**
 * The peer: the npm package `aws-local-stepfunctions` (3.0.0), its StateMachine API.
 * Task states run the bench's functions through `overrides.taskResourceLocalHandlers` (keyed
 * by state name), and every Retry/Wait pause is overridden to 0 ms, the peer's equivalent of
 * Aslan's virtual time.
 */
import { allStates, functionNameOf } from "../lib/workloads.mjs";

/** The package targets Node 22; on Node 20 it needs the standard Promise.withResolvers. */
function polyfillWithResolvers() {
  if (typeof Promise.withResolvers === "function") return;
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** Run options for a definition: local handlers for its Task states, no Retry/Wait pauses. */
function runOptionsFor(definition, functions, skipTime) {
  const taskResourceLocalHandlers = {};
  const retryIntervalOverrides = {};
  const waitTimeOverrides = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === "Task") {
      const fn = functions[functionNameOf(state.Resource)];
      if (!fn) throw new Error(`bench: no function for ${state.Resource}`);
      taskResourceLocalHandlers[name] = fn;
    }
    if (skipTime && state.Retry) retryIntervalOverrides[name] = 0;
    if (skipTime && state.Type === "Wait") waitTimeOverrides[name] = 0;
  }
  return { overrides: { taskResourceLocalHandlers, retryIntervalOverrides, waitTimeOverrides } };
}

/** @type {import("./engine.mjs").EngineAdapter} */
export default {
  id: "aws-local-stepfunctions",
  label: "aws-local-stepfunctions 3.0.0",
  isPeer: true,
  async available() {
    try {
      polyfillWithResolvers();
      await import("aws-local-stepfunctions");
      return true;
    } catch (e) {
      return `not installed (${e.message})`;
    }
  },
  async open({ workload, definition, functions }) {
    polyfillWithResolvers();
    const { StateMachine } = await import("aws-local-stepfunctions");
    const machine = new StateMachine(definition);
    const options = runOptionsFor(definition, functions, Boolean(workload.skipTime));
    return {
      note: workload.skipTime ? "Retry intervals overridden to 0 ms" : undefined,
      run(input) {
        return machine.run(input, options).result;
      },
      async close() {},
    };
  },
};
