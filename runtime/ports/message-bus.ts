/**
 * A message bus with subjects, request/reply and queue groups (core NATS): what the `nats`
 * Task adapter sends with and what subject triggers start executions from. Only the
 * jetstream-message-bus implementation talks to the NATS client.
 */

/** Message headers by name; a header sent several times arrives with its values joined by ",". */
export type MessageHeaders = Readonly<Record<string, string>>;

/** Why a request or publish failed, as the callers tell the cases apart. */
export type MessageBusFailure =
  /** Nobody subscribes to the subject (NATS answers a request at once with "no responders"). */
  | "NoResponders"
  /** No reply within the request's timeout. */
  | "Timeout"
  /** The caller's signal aborted the wait. */
  | "Aborted"
  /** The connection could not be made, or was closed. */
  | "Connection";

export class MessageBusError extends Error {
  override readonly name = "MessageBusError";
  constructor(
    readonly failure: MessageBusFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface Reply {
  readonly data: Uint8Array;
  readonly headers: MessageHeaders;
}

export interface ReceivedMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: MessageHeaders;
  /** Present when the sender waits for a reply (a request): sends it. */
  readonly reply?: (data: Uint8Array, headers?: MessageHeaders) => void;
}

export interface BusSubscription {
  /** Stops taking messages and waits for the handlers already running. */
  close(): Promise<void>;
}

export interface MessageBus {
  /** Sends `data` and resolves with the first reply; rejects with a MessageBusError. */
  request(subject: string, data: Uint8Array, options: { readonly timeoutMs: number; readonly headers?: MessageHeaders; readonly signal?: AbortSignal }): Promise<Reply>;
  /** Sends `data` and resolves once the server has it (the connection flushed). */
  publish(subject: string, data: Uint8Array, options?: { readonly headers?: MessageHeaders }): Promise<void>;
  /**
   * Calls `handler` for each message on `subject` (wildcards allowed); with a `queue`, each
   * message goes to one subscriber of that queue group only. Handlers run concurrently; one
   * that throws is reported to the bus's error sink, not to the sender.
   */
  subscribe(subject: string, options: { readonly queue?: string }, handler: (message: ReceivedMessage) => Promise<void>): BusSubscription;
  /** Resolves once the server has everything sent so far (new subscriptions included). */
  flush(): Promise<void>;
  /** Closes subscriptions and, when the bus opened its connection itself, the connection. */
  close(): Promise<void>;
}

/**
 * What is wrong with a subject, or undefined: dot-separated tokens, none empty, no white
 * space; `*` (one token) and `>` (the rest, last only) are whole tokens, and only where
 * `wildcards` are allowed (subscriptions, not sends).
 * https://docs.nats.io/nats-concepts/subjects
 */
export function subjectProblem(subject: string, options: { readonly wildcards: boolean }): string | undefined {
  if (subject === "") return "is empty";
  if (/\s/.test(subject)) return "contains white space";
  const tokens = subject.split(".");
  if (tokens.some((t) => t === "")) return "has an empty token (a leading, trailing or double '.')";
  for (const [i, token] of tokens.entries()) {
    const wild = token === "*" || token === ">";
    if (!wild && /[*>]/.test(token)) return `has '${token}': wildcards '*' and '>' must be whole tokens`;
    if (wild && !options.wildcards) return "has a wildcard ('*' or '>'): messages are sent to a concrete subject";
    if (token === ">" && i !== tokens.length - 1) return "has '>' before its last token";
  }
  return undefined;
}
