/**
 * API errors as AWS Step Functions returns them over the JSON 1.0 protocol: HTTP 400 (or
 * 403 for authentication) and `{"__type": "<namespace>#<Name>", "message": "…"}`.
 */

/** Namespaces of the `__type` field; everything not listed is a Step Functions model error. */
const NAMESPACES: Readonly<Record<string, string>> = {
  ValidationException: "com.amazon.coral.validate",
  SerializationException: "com.amazon.coral.service",
  UnknownOperationException: "com.amazon.coral.service",
  UnrecognizedClientException: "com.amazon.coral.service",
  InvalidSignatureException: "com.amazon.coral.service",
  MissingAuthenticationTokenException: "com.amazon.coral.service",
  IncompleteSignatureException: "com.amazon.coral.service",
  AccessDeniedException: "com.amazon.coral.service",
  InternalFailure: "com.amazon.coral.service",
};

const STATUS: Readonly<Record<string, number>> = {
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  AccessDeniedException: 403,
  UnsupportedOperation: 400,
  InternalFailure: 500,
  RequestEntityTooLarge: 413,
};

export class ApiError extends Error {
  constructor(
    /** AWS's error name, e.g. `StateMachineDoesNotExist`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return STATUS[this.code] ?? 400;
  }

  get type(): string {
    return `${NAMESPACES[this.code] ?? "com.amazonaws.swf.service.v2.model"}#${this.code}`;
  }

  body(): { __type: string; message: string } {
    return { __type: this.type, message: this.message };
  }
}

/** `1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: …`, as AWS words it. */
export function validationError(field: string, value: unknown, constraint: string): ApiError {
  const shown = value === undefined ? "null" : typeof value === "string" ? value : JSON.stringify(value);
  return new ApiError("ValidationException", `1 validation error detected: Value '${shown}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

export const invalidArn = (arn: string): ApiError => new ApiError("InvalidArn", `Invalid Arn: '${arn}'`);
