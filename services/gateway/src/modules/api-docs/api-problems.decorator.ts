import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ProblemDto } from './dtos/problem.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (malformed JSON, unknown field, NUL byte, X-Tenant-ID header)',
  401: 'Missing, invalid or expired access token (unauthenticated, token_invalid, token_expired)',
  404: 'Not found',
  413: 'Request body too large',
  429: 'Rate limited (Retry-After and RateLimit-* headers say when to retry)',
  503: 'A service behind the gateway is unavailable',
  504: 'A service behind the gateway did not answer in time',
};

/** Documents the error answers a route can give, all in the one problem format. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ProblemDto }),
    ),
  );
}
