/**
 * How adapters are built from the project config: each adapter module exports one
 * `AdapterFactory`, listed in `adapters/index.ts`. A factory returns undefined when the
 * config gives it nothing to run.
 */
import type { AdapterHost } from "../runtime/config/adapter-host.js";
import type { ProjectConfig } from "../runtime/config/project-config.js";
import type { Adapter } from "../runtime/ports/adapter.js";

export interface AdapterDeps extends AdapterHost {
  /**
   * Another adapter by name (an SNS subscription delivering to a queue or a function). Call it
   * when a task runs, not in the factory: adapters listed later are not built yet then.
   */
  adapter(name: string): Adapter | undefined;
}

export type AdapterFactory = (config: ProjectConfig, deps: AdapterDeps) => Adapter | undefined;
