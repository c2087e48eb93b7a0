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
 * @property {() => Promise<void>} [collectGarbage]  an engine in another process: forces a GC there (before each batch, as the worker does for itself)
 * @property {() => Promise<Memory>} [memory]        an engine in another process: its memory, reported instead of the worker's
 *
 * @typedef {object} Memory
 * @property {number} rss
 * @property {number} heapUsed
 * @property {number} maxRssKB          peak RSS (process.resourceUsage().maxRSS)
 *
 * @typedef {object} EngineAdapter
 * @property {string} id                short name, used on the command line (--engines=)
 * @property {string} label             shown in the results
 * @property {boolean} isPeer           the engine ratios are taken against
 * @property {() => Promise<true | string>} available  true, or why it cannot run here (skipped, and said so)
 * @property {(workload: object) => string | undefined} [unsupported]  why it does not run this workload (that pair is skipped, the table says why), or undefined
 * @property {string} [memoryCheck]  set: the memory check skips this engine by default, this says why (`--memory-engines=` runs it anyway)
 * @property {(args: OpenArgs) => Promise<Session>} open  one session per workload, in its own process
 */
export {};
