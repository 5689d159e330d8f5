import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ForbiddenError } from '../domain/errors';
import { type Caller, ROLES, type Role } from '../domain/types';
import { UnauthorizedError } from './errors';

/** The caller from the JWT claims API Gateway (or the local front door) has already verified. */
export function callerOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || !sub) throw new UnauthorizedError('Missing or invalid credentials');
  const groups = claims['cognito:groups'];
  const fromGroups = Array.isArray(groups)
    ? groups
    : typeof groups === 'string'
      ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  const role = [claims['custom:role'], ...fromGroups].find((r): r is Role =>
    (ROLES as readonly unknown[]).includes(r),
  );
  if (!role) throw new ForbiddenError('Your account has no role in this service');
  return { sub, role };
}
