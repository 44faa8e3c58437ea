/**
 * Every failure a client can see is an AppError: a stable machine-readable `code`, the HTTP
 * status it maps to, and a message safe to show. Anything else that escapes is a bug and is
 * answered as 500 INTERNAL_ERROR without its message.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, { cause: options?.cause });
    this.details = options?.details;
  }

  static isInstance(error: unknown): error is AppError {
    return error instanceof AppError;
  }
}

export class ValidationError extends AppError {
  override readonly name = "ValidationError";
  readonly code = "VALIDATION_FAILED";
  readonly status = 400;
}

export class UnauthorizedError extends AppError {
  override readonly name = "UnauthorizedError";
  readonly code = "UNAUTHORIZED";
  readonly status = 401;
}

export class ForbiddenError extends AppError {
  override readonly name = "ForbiddenError";
  readonly code = "FORBIDDEN";
  readonly status = 403;
}

export class AccountNotFoundError extends AppError {
  override readonly name = "AccountNotFoundError";
  readonly code = "ACCOUNT_NOT_FOUND";
  readonly status = 404;
}

export class AgentNotFoundError extends AppError {
  override readonly name = "AgentNotFoundError";
  readonly code = "AGENT_NOT_FOUND";
  readonly status = 404;
}

export class AccountSlugTakenError extends AppError {
  override readonly name = "AccountSlugTakenError";
  readonly code = "ACCOUNT_SLUG_TAKEN";
  readonly status = 409;
}

export class AgentSlugTakenError extends AppError {
  override readonly name = "AgentSlugTakenError";
  readonly code = "AGENT_SLUG_TAKEN";
  readonly status = 409;
}

export class InstanceLimitReachedError extends AppError {
  override readonly name = "InstanceLimitReachedError";
  readonly code = "INSTANCE_LIMIT_REACHED";
  readonly status = 403;
}

export class AccountSuspendedError extends AppError {
  override readonly name = "AccountSuspendedError";
  readonly code = "ACCOUNT_SUSPENDED";
  readonly status = 403;
}

export class InvalidAgentConfigError extends AppError {
  override readonly name = "InvalidAgentConfigError";
  readonly code = "INVALID_AGENT_CONFIG";
  readonly status = 422;
}

export class UnknownAgentTypeError extends AppError {
  override readonly name = "UnknownAgentTypeError";
  readonly code = "UNKNOWN_AGENT_TYPE";
  readonly status = 422;
}

export class InvalidStatusTransitionError extends AppError {
  override readonly name = "InvalidStatusTransitionError";
  readonly code = "INVALID_STATUS_TRANSITION";
  readonly status = 409;
}

export class InstanceInactiveError extends AppError {
  override readonly name = "InstanceInactiveError";
  readonly code = "INSTANCE_INACTIVE";
  readonly status = 409;
}

export class ServiceUnavailableError extends AppError {
  override readonly name = "ServiceUnavailableError";
  readonly code = "SERVICE_UNAVAILABLE";
  readonly status = 503;
}

export class RateLimitedError extends AppError {
  override readonly name = "RateLimitedError";
  readonly code = "RATE_LIMITED";
  readonly status = 429;
}

export class ConversationNotFoundError extends AppError {
  override readonly name = "ConversationNotFoundError";
  readonly code = "CONVERSATION_NOT_FOUND";
  readonly status = 404;
}

export class ModelOverrideNotAllowedError extends AppError {
  override readonly name = "ModelOverrideNotAllowedError";
  readonly code = "MODEL_OVERRIDE_NOT_ALLOWED";
  readonly status = 403;
}

export class KnowledgeLimitReachedError extends AppError {
  override readonly name = "KnowledgeLimitReachedError";
  readonly code = "KNOWLEDGE_LIMIT_REACHED";
  readonly status = 403;
}

export class KnowledgeBaseDisabledError extends AppError {
  override readonly name = "KnowledgeBaseDisabledError";
  readonly code = "KNOWLEDGE_BASE_DISABLED";
  readonly status = 409;
}

export class KnowledgeDocumentNotFoundError extends AppError {
  override readonly name = "KnowledgeDocumentNotFoundError";
  readonly code = "KNOWLEDGE_DOCUMENT_NOT_FOUND";
  readonly status = 404;
}

export class OutboundFetchDisabledError extends AppError {
  override readonly name = "OutboundFetchDisabledError";
  readonly code = "OUTBOUND_FETCH_DISABLED";
  readonly status = 403;
}

export class UrlFetchFailedError extends AppError {
  override readonly name = "UrlFetchFailedError";
  readonly code = "URL_FETCH_FAILED";
  readonly status = 422;
}

export class UnsupportedDocumentTypeError extends AppError {
  override readonly name = "UnsupportedDocumentTypeError";
  readonly code = "UNSUPPORTED_DOCUMENT_TYPE";
  readonly status = 415;
}

export class DocumentUnreadableError extends AppError {
  override readonly name = "DocumentUnreadableError";
  readonly code = "DOCUMENT_UNREADABLE";
  readonly status = 422;
}

export class PayloadTooLargeError extends AppError {
  override readonly name = "PayloadTooLargeError";
  readonly code = "PAYLOAD_TOO_LARGE";
  readonly status = 413;
}

export class VectorBackendUnavailableError extends AppError {
  override readonly name = "VectorBackendUnavailableError";
  readonly code = "VECTOR_BACKEND_UNAVAILABLE";
  readonly status = 503;
}

export class VectorDimensionsMismatchError extends AppError {
  override readonly name = "VectorDimensionsMismatchError";
  readonly code = "VECTOR_DIMENSIONS_MISMATCH";
  readonly status = 409;
}

export class KnowledgeMigrationInProgressError extends AppError {
  override readonly name = "KnowledgeMigrationInProgressError";
  readonly code = "KNOWLEDGE_MIGRATION_IN_PROGRESS";
  readonly status = 409;
}

export class KnowledgeMigrationFailedError extends AppError {
  override readonly name = "KnowledgeMigrationFailedError";
  readonly code = "KNOWLEDGE_MIGRATION_FAILED";
  readonly status = 502;
}

export class SecretsKeyNotConfiguredError extends AppError {
  override readonly name = "SecretsKeyNotConfiguredError";
  readonly code = "SECRETS_KEY_NOT_CONFIGURED";
  readonly status = 503;
}

export class SecretNotFoundError extends AppError {
  override readonly name = "SecretNotFoundError";
  readonly code = "SECRET_NOT_FOUND";
  readonly status = 404;
}

export class OriginNotAllowedError extends AppError {
  override readonly name = "OriginNotAllowedError";
  readonly code = "ORIGIN_NOT_ALLOWED";
  readonly status = 403;
}

export class ReportNotFoundError extends AppError {
  override readonly name = "ReportNotFoundError";
  readonly code = "REPORT_NOT_FOUND";
  readonly status = 404;
}

export class ProductNotFoundError extends AppError {
  override readonly name = "ProductNotFoundError";
  readonly code = "PRODUCT_NOT_FOUND";
  readonly status = 404;
}
