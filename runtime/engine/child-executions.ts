/**
 * A Distributed Map's iterations are child executions of its map run: their own ARNs
 * (`…:execution:<state machine>/<label>:<name>`), inputs and histories numbered from 1, each
 * reporting its end to the Map state waiting for it. A redrive of the parent redrives the
 * children that did not succeed (same ARN, ExecutionRedriven in their history); an Express
 * child runs again as a new execution, as AWS restarts Express children.
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
 */
import type { Effect } from "../../translators/xstate/actor-data.js";
import { EVENTS } from "../../translators/xstate/events.js";
import { ExecutionRun, type RunHost } from "./execution-run.js";
import { childExecutionArn, childStateMachineArn, type MapRun } from "./map-run.js";

/** What starting a child execution needs from the engine. */
export interface ChildHost {
  now(): number;
  uuid(): string;
  enqueue(apply: () => void): void;
  /** Keeps the new child execution (DescribeExecution finds it by ARN). */
  register(run: ExecutionRun): void;
  readonly runHost: RunHost;
}

/**
 * `defer` (shared stores) holds the new child's start until the parent's step that launched
 * it is stored, and says whether it did; the child's ARN is in that step already.
 */
export function startChildExecution(
  host: ChildHost,
  parent: ExecutionRun,
  mapRun: MapRun,
  actorId: string,
  effect: Extract<Effect, { type: "startChild" }>,
  defer: (start: () => void) => boolean = () => false,
  /** A child launched before whose first step was never stored: it starts again under its name and ARN. */
  again?: { readonly name: string; readonly arn: string },
): ExecutionRun | undefined {
  const { batch, index } = effect;
  const link = { run: parent, actorId, batch, index };
  mapRun.pendingRedrive.delete(index);
  const known = mapRun.children[index];
  if (known?.status === "SUCCEEDED") {
    // It succeeded after its map run stopped looking: its result stands.
    const output = known.output ?? null;
    host.enqueue(() => parent.deliver(actorId, { type: EVENTS.childSucceeded, batch, index, output, lastEventId: 0 }));
    return undefined;
  }
  if (known && known.info.type !== "EXPRESS" && known.status !== "RUNNING" && known.resumePoint) {
    known.parentLink = link;
    known.parentRef = { arn: parent.info.arn, actorId, batch, index };
    known.reportsEnd = true;
    known.redrive(host.now());
    host.enqueue(() => known.resume());
    return undefined;
  }
  const name = again?.name ?? host.uuid();
  const type = mapRun.executionType;
  const stateMachineArn = childStateMachineArn(mapRun.arn);
  const child = new ExecutionRun(
    {
      arn: again?.arn ?? childExecutionArn(mapRun.arn, name, type, type === "EXPRESS" ? host.uuid() : ""), name, type,
      stateMachineArn, stateMachineName: stateMachineArn.slice(stateMachineArn.indexOf(":stateMachine:") + ":stateMachine:".length),
      roleArn: parent.info.roleArn, input: effect.input, startDate: host.now(), mapRunArn: mapRun.arn, scope: effect.scope,
    },
    parent.compiled,
    host.runHost,
  );
  child.parentLink = link;
  child.parentRef = { arn: parent.info.arn, actorId, batch, index };
  mapRun.children[index] = child;
  mapRun.childArns[index] = child.info.arn;
  const start = (): void => {
    host.register(child);
    host.enqueue(() => child.start(effect.vars));
  };
  if (!defer(start)) start();
  return child;
}
