import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ForbiddenError } from '../domain/errors';
import { propertyId } from '../domain/schemas';
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
  const properties = role === 'resident' ? undefined : scopeOf(claims['custom:properties']);
  return { sub, role, ...(properties && { properties }) };
}

/**
 * A staff member's properties, from the Cognito attribute `custom:properties` ("A1,B2"; spaces
 * around the commas tolerated). No attribute: company scope. An attribute that names no property,
 * or something that is not a property code, is refused (403) rather than read as company scope:
 * a limit that cannot be read must not widen into none.
 */
function scopeOf(claim: unknown): readonly string[] | undefined {
  if (claim === undefined || claim === null) return undefined;
  const codes = (Array.isArray(claim) ? claim : String(claim).split(','))
    .map((c) => String(c).trim())
    .filter(Boolean);
  if (!codes.length) throw new ForbiddenError('Your account is limited to properties, but names none');
  if (codes.some((c) => !propertyId.safeParse(c).success))
    throw new ForbiddenError('Your account names properties that are not property codes');
  return [...new Set(codes)];
}
