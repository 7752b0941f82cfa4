import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ProblemDto } from './dtos/problem.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (malformed JSON, unknown field, NUL byte, X-Tenant-ID header)',
  401: 'Missing, invalid or expired access token (unauthenticated, token_invalid, token_expired)',
  403: 'Not allowed: role, API key scope (insufficient_scope), or tenant suspended (tenant_suspended)',
  404: 'Not found',
  409: 'Conflict with the current state (e.g. generation_in_progress, skill_command_taken, tenant_deleted)',
  413: 'Request body too large',
  429: 'Rate limited (Retry-After and RateLimit-* headers say when to retry)',
  502: 'The LLM provider failed (provider_unavailable, provider_rejected)',
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
