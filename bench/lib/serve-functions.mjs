/**
 * The workloads' task functions as a module for `aslan serve --functions` (engines/aslan-serve.mjs):
 * its default export is the object runtime/cli/functions.ts reads. The server process loads
 * it once, so Flaky's attempt counter lives there, one per server, as in the other engines.
 */
import { taskFunctions } from "./workloads.mjs";

export default taskFunctions();
