import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ForbiddenError } from '../../../functions/domain/errors';
import { callerOf } from '../../../functions/http/auth';
import { UnauthorizedError } from '../../../functions/http/errors';
import { PROBLEMS } from '../../../functions/http/problem';
import { thrownBy } from '../support/fixtures';

type Claims = Record<string, string | number | boolean | string[]>;

const eventWith = (claims: Claims | undefined) =>
  ({
    requestContext: { authorizer: claims ? { jwt: { claims, scopes: [] } } : undefined },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

describe('callerOf', () => {
  it('takes sub and custom:role from the claims', () => {
    expect(callerOf(eventWith({ sub: 'r-1001', 'custom:role': 'resident' }))).toEqual({
      sub: 'r-1001',
      role: 'resident',
    });
  });

  it('takes the role from cognito:groups given as an array', () => {
    expect(callerOf(eventWith({ sub: 'm-1', 'cognito:groups': ['staff', 'manager'] }))).toEqual({
      sub: 'm-1',
      role: 'manager',
    });
  });

  it('takes the role from cognito:groups given as the "[a b]" string API Gateway passes on', () => {
    expect(callerOf(eventWith({ sub: 'a-1', 'cognito:groups': '[staff agent]' })).role).toBe('agent');
  });

  it('takes the role from a comma-separated cognito:groups string', () => {
    expect(callerOf(eventWith({ sub: 'a-1', 'cognito:groups': 'staff,agent' })).role).toBe('agent');
  });

  it('takes the role from a single-group string', () => {
    expect(callerOf(eventWith({ sub: 'a-1', 'cognito:groups': 'manager' })).role).toBe('manager');
  });

  it('prefers custom:role over the groups', () => {
    expect(
      callerOf(eventWith({ sub: 'x', 'custom:role': 'agent', 'cognito:groups': ['manager'] })).role,
    ).toBe('agent');
  });

  it('falls back to the groups when custom:role is not a role of this service', () => {
    expect(
      callerOf(eventWith({ sub: 'x', 'custom:role': 'admin', 'cognito:groups': ['manager'] })).role,
    ).toBe('manager');
  });

  it.each<[string, Claims | undefined]>([
    ['no authorizer claims', undefined],
    ['no sub', { 'custom:role': 'resident' }],
    ['an empty sub', { sub: '', 'custom:role': 'resident' }],
    ['a sub that is not a string', { sub: 42, 'custom:role': 'resident' }],
  ])('answers %s with 401', (_, claims) => {
    const error = thrownBy(() => callerOf(eventWith(claims)));

    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(PROBLEMS[(error as UnauthorizedError).code].status).toBe(401);
  });

  it.each<[string, Claims]>([
    ['no role claim at all', { sub: 'x' }],
    ['an unknown custom:role', { sub: 'x', 'custom:role': 'admin' }],
    ['only unknown groups', { sub: 'x', 'cognito:groups': ['staff', 'admins'] }],
    ['an empty groups string', { sub: 'x', 'cognito:groups': '' }],
    ['a role in the wrong case', { sub: 'x', 'custom:role': 'Manager' }],
  ])('answers a caller with %s with 403', (_, claims) => {
    const error = thrownBy(() => callerOf(eventWith(claims)));

    expect(error).toBeInstanceOf(ForbiddenError);
    expect(PROBLEMS[(error as ForbiddenError).code].status).toBe(403);
  });
});

describe('callerOf: staff scope (custom:properties)', () => {
  const staff = (properties: string, role = 'manager') =>
    callerOf(eventWith({ sub: 'm-1', 'custom:role': role, 'custom:properties': properties }));

  it('gives staff without the attribute company scope: no properties at all', () => {
    expect(callerOf(eventWith({ sub: 'm-1', 'custom:role': 'manager' }))).not.toHaveProperty('properties');
  });

  it.each([
    ['B2', ['B2']],
    ['A1,B2', ['A1', 'B2']],
    [' A1 , B2 ', ['A1', 'B2']],
    ['A1,,B2,', ['A1', 'B2']],
    ['B2,B2', ['B2']],
  ])('reads %j as %j', (claim, expected) => {
    expect(staff(claim).properties).toEqual(expected);
    expect(staff(claim, 'agent').properties).toEqual(expected);
  });

  it.each([
    ['an empty value', ''],
    ['only commas and spaces', ' , '],
    ['a code that is not a property code', 'A1,B-2'],
    ['codes separated by spaces only', 'A1 B2'],
  ])('refuses %s with 403 rather than widen it to company scope', (_, claim) => {
    const error = thrownBy(() => staff(claim));

    expect(error).toBeInstanceOf(ForbiddenError);
    expect(PROBLEMS[(error as ForbiddenError).code].status).toBe(403);
  });

  it('ignores the attribute on a resident: residents see their own jobs', () => {
    expect(staff('B2', 'resident')).toEqual({ sub: 'm-1', role: 'resident' });
  });
});
