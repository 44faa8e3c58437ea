import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { OutboundFetchDisabledError, ValidationError } from "../../errors/app-error.ts";
import { fetchDocument } from "../../knowledge/fetch-document.ts";
import type { DocumentInput } from "../../knowledge/ingest-documents.ts";
import { documentsFromJson } from "../../knowledge/json-documents.ts";
import type { KnowledgeService } from "../../knowledge/knowledge-service.ts";
import type { Authenticator } from "../auth.ts";
import { MAX_UPLOAD_FILES, readUpload } from "../knowledge-upload.ts";
import { AccountParamsSchema, COMMON_ERROR_RESPONSES, ErrorResponseSchema } from "../schemas/common.ts";
import {
  DocumentParamsSchema,
  IngestBodySchema,
  IngestResponseSchema,
  KnowledgeDocumentSchema,
  KnowledgeListSchema,
  KnowledgeQuerySchema,
  MigrationReportSchema,
  SearchKnowledgeBodySchema,
  SearchKnowledgeResponseSchema,
} from "../schemas/knowledge-schemas.ts";

export interface KnowledgeRoutesOptions {
  knowledge: KnowledgeService;
  auth: Authenticator;
}

/** The same error shape the error handler gives schema failures, for the body checked by hand. */
function parseIngestBody(body: unknown): z.infer<typeof IngestBodySchema> {
  const parsed = IngestBodySchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: ["body", ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  throw new ValidationError(issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "), {
    details: { issues },
  });
}

export const knowledgeRoutes: FastifyPluginAsyncZod<KnowledgeRoutesOptions> = async (server, options) => {
  const { knowledge, auth } = options;
  // Only these routes take multipart bodies; everywhere else stays JSON-only.
  await server.register(multipart, {
    limits: { fileSize: knowledge.uploadLimitBytes, files: MAX_UPLOAD_FILES, fields: 10 },
  });

  server.post(
    "/accounts/:account/knowledge",
    {
      bodyLimit: knowledge.uploadLimitBytes,
      schema: {
        tags: ["knowledge"],
        summary: "Ingest documents into an instance's knowledge base",
        description:
          "JSON `{agent, documents: [{title, content, source?, metadata?, format?}], urls?}` or a " +
          "multipart upload (an `agent` field and .txt .md .html .pdf files). Re-sending a document " +
          "with the same text changes nothing and says `unchanged`; the same source with new text is " +
          "`replaced`. Over the tier's knowledge_chunks limit nothing is stored (403 KNOWLEDGE_LIMIT_REACHED).",
        params: AccountParamsSchema,
        response: {
          200: IngestResponseSchema,
          201: IngestResponseSchema,
          409: ErrorResponseSchema,
          413: ErrorResponseSchema,
          415: ErrorResponseSchema,
          422: ErrorResponseSchema,
          503: ErrorResponseSchema,
          ...COMMON_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      let agent: string;
      let documents: DocumentInput[];
      if (request.isMultipart()) {
        ({ agent, documents } = await readUpload(request, knowledge.uploadLimitBytes));
      } else {
        const body = parseIngestBody(request.body);
        if (body.urls && !knowledge.allowOutboundFetch) {
          throw new OutboundFetchDisabledError(
            "This server does not fetch URLs (the operator has not set SWITCHBOARD_ALLOW_OUTBOUND_FETCH=true); send the documents' content instead",
          );
        }
        agent = body.agent;
        documents = await documentsFromJson(body.documents ?? []);
        for (const url of body.urls ?? [])
          documents.push(await fetchDocument(url, knowledge.uploadLimitBytes));
      }
      const report = await knowledge.ingest(account, agent, documents);
      request.log.info(
        { account: account.slug, agent, backend: report.backend, chunks: report.chunks_added },
        "knowledge ingested",
      );
      const stored = report.documents.some((document) => document.status !== "unchanged");
      return reply.status(stored ? 201 : 200).send(report);
    },
  );

  server.get(
    "/accounts/:account/knowledge",
    {
      schema: {
        tags: ["knowledge"],
        summary: "List the documents in an instance's knowledge base, and where its vectors live",
        params: AccountParamsSchema,
        querystring: KnowledgeQuerySchema,
        response: { 200: KnowledgeListSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      const documents = await knowledge.list(account, request.query.agent);
      const { location: _location, ...vectorStore } = knowledge.describe(account, {
        slug: request.query.agent,
      });
      return { agent: request.query.agent, vector_store: vectorStore, documents };
    },
  );

  server.delete(
    "/accounts/:account/knowledge/:document_id",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Delete one document: its chunks in the vector store and its catalog entry",
        params: DocumentParamsSchema,
        querystring: KnowledgeQuerySchema,
        response: { 200: KnowledgeDocumentSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      return knowledge.remove(account, request.query.agent, request.params.document_id);
    },
  );

  server.post(
    "/accounts/:account/knowledge/search",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Search an instance's knowledge base as its search_knowledge tool does",
        params: AccountParamsSchema,
        body: SearchKnowledgeBodySchema,
        response: { 200: SearchKnowledgeResponseSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      const instance = await knowledge.instanceOf(account, request.body.agent);
      const results = await knowledge.search({ account, instance }, request.body.query, {
        topK: request.body.top_k ?? instance.topK,
        minScore: instance.minScore,
      });
      return { results };
    },
  );

  server.get(
    "/accounts/:account/knowledge/migration",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Progress of the account's latest tier change move of its knowledge",
        params: AccountParamsSchema,
        response: {
          200: z.object({ migration: MigrationReportSchema.nullable() }),
          ...COMMON_ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      return { migration: await knowledge.migrationStatus(account) };
    },
  );
};
