import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError } from "../errors/app-error.ts";

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

function body(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

/** Fastify's own client errors, given stable codes of ours. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "INVALID_JSON", message: "The body is not valid JSON" },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: "INVALID_JSON",
    message: "The body is empty but the content type is application/json",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "PAYLOAD_TOO_LARGE", message: "The body is too large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: "Send the body as application/json",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: "INVALID_CONTENT_LENGTH",
    message: "Content-Length does not match the body",
  },
};

/** The one place where failures become HTTP responses. */
export function registerErrorHandling(server: FastifyInstance): void {
  server.setErrorHandler((error: FastifyError, request, reply) => {
    if (AppError.isInstance(error)) {
      return reply.status(error.status).send(body(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? "request";
      const issues = error.validation.map((issue) => {
        const path = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
        return { path: path ? `${where}.${path}` : where, message: issue.message ?? "is invalid" };
      });
      const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
      return reply.status(400).send(body("VALIDATION_FAILED", message, { issues }));
    }
    const known = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (known) return reply.status(known.status).send(body(known.code, known.message));
    if (error.statusCode === 429) {
      return reply.status(429).send(body("RATE_LIMITED", error.message));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(body("BAD_REQUEST", error.message));
    }
    request.log.error({ err: error }, "unhandled error");
    return reply.status(500).send(body("INTERNAL_ERROR", "An internal error occurred"));
  });

  server.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(body("ROUTE_NOT_FOUND", `No route ${request.method} ${request.url.split("?")[0]}`));
  });
}
