/** Time as the engine sees it (STYLE.md 6): injected so tests can skip time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}
