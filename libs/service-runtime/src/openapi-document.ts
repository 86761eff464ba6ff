import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { contractComponents } from '@modelreg/validation';
import { PROBLEM_MEDIA_TYPE } from './errors/problem-details';

/** RFC 9457 problem details as every service answers errors (`errors/problem-details.ts`). */
export const PROBLEM_DETAILS_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'error', 'message'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'https://modelreg.dev/problems/<error>' },
    title: { type: 'string', description: 'The HTTP status text.' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What went wrong, for people.' },
    instance: { type: 'string', description: 'The request path.' },
    error: {
      type: 'string',
      description: 'Stable machine-readable code: bad_request, validation_failed, conflict, not_found, dependency_unavailable, …',
    },
    message: { type: 'string', description: 'The same text as detail.' },
    field: { type: 'string', description: 'The JSON path or header at fault, where one is.' },
    errors: {
      type: 'array',
      description: 'Every field at fault, where there are several.',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
  additionalProperties: true,
} as const;

const PROBLEM_CONTENT = { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } };
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The service's OpenAPI 3.1 document: what the controllers declare, the named contract schemas
 * their routes refer to (`contract/`), and every error answer typed
 * as problem details in one place: each declared 4xx/5xx response gets the problem+json content,
 * and every operation gets `4XX` and `5XX` defaults for the answers it does not list.
 */
export function openApiDocument(app: INestApplication, title: string, description: string): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setOpenAPIVersion('3.1.0').setTitle(title).setDescription(description).setVersion('1').addBearerAuth().build(),
  );
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ...(contractComponents(document.paths) as Record<string, never>),
      ProblemDetails: PROBLEM_DETAILS_SCHEMA as never,
    },
  };
  for (const path of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = path[method];
      if (!operation) continue;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (response && /^[45]/.test(status) && !('$ref' in response)) response.content = { ...PROBLEM_CONTENT, ...response.content };
      }
      operation.responses = {
        ...operation.responses,
        '4XX': { description: 'Refused: the problem names the field or the rule at fault.', content: PROBLEM_CONTENT },
        '5XX': { description: 'A dependency is down (503 with Retry-After, naming it) or the service failed.', content: PROBLEM_CONTENT },
      };
    }
  }
  return document;
}
