/** State machines, versions and aliases in memory. */
import type { StateMachineEntry, StateMachineRegistry, StartTarget } from "./state-machine-registry.js";

export class MemoryStateMachineRegistry implements StateMachineRegistry {
  get(_arn: string): StateMachineEntry | undefined {
    return undefined;
  }

  resolveForStart(_arn: string): StartTarget | undefined {
    return undefined;
  }

  entryFor(_stateMachineArn: string, _stateMachineVersionArn?: string): StateMachineEntry | undefined {
    return undefined;
  }
}
