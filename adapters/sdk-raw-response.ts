/**
 * The HTTP response behind an AWS SDK v3 command, which Step Functions shows where the SDK
 * hides it (`SdkHttpMetadata`: status and headers). A deserialize-step middleware on the
 * command keeps it for the caller to read once `send` has settled.
 */

export interface RawResponse {
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
}

interface CommandWithMiddleware {
  readonly middlewareStack: {
    add(middleware: (next: (args: never) => Promise<{ response: unknown }>) => (args: never) => Promise<{ response: unknown }>, options: { step: "deserialize"; name: string }): void;
  };
}

/** Adds the middleware to `command`; the returned function gives the response seen (empty before one). */
export function captureRawResponse(command: CommandWithMiddleware): () => RawResponse {
  let raw: RawResponse = {};
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      raw = result.response as RawResponse;
      return result;
    },
    { step: "deserialize", name: "aslanRawResponse" },
  );
  return () => raw;
}
