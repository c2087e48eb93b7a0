/**
 * The engine adapter port: one file per engine in this folder, listed in ./index.mjs.
 *
 * @typedef {object} OpenArgs
 * @property {object} workload          a row of WORKLOADS (lib/workloads.mjs)
 * @property {object} definition        the parsed ASL definition
 * @property {Record<string, Function>} functions  the README's task functions, by Lambda function name
 *
 * @typedef {object} Session
 * @property {(input: unknown) => Promise<unknown>} run  one execution; resolves with its output, rejects unless it SUCCEEDED
 * @property {() => Promise<void>} close
 * @property {string} [note]            how this engine ran the workload (e.g. "virtual time")
 *
 * @typedef {object} EngineAdapter
 * @property {string} id                short name, used on the command line (--engines=)
 * @property {string} label             shown in the results
 * @property {boolean} isPeer           the engine ratios are taken against
 * @property {() => Promise<true | string>} available  true, or why it cannot run here (skipped, and said so)
 * @property {(args: OpenArgs) => Promise<Session>} open  one session per workload, in its own process
 */
export {};
