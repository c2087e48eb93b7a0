export { MemoryExecutionStore } from "./memory-execution-store.js";
export { LmdbExecutionStore, type LmdbExecutionStoreOptions } from "./lmdb-execution-store.js";
export { STORE_FORMAT_VERSION } from "./record-codec.js";
