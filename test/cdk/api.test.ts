import { Match } from 'aws-cdk-lib/assertions';
import { ROUTES } from '../../functions/http/routes';
import { type Json, logicalId, resourcesOfType, type Synthesized, synthApp } from './synth';

const PROTECTED = [
  ['POST /jobs', 'create-job'],
  ['GET /jobs', 'list-jobs'],
  ['GET /jobs/{jobId}', 'get-job'],
  ['GET /jobs/{jobId}/history', 'job-history'],
  ['GET /jobs/{jobId}/history/verify', 'job-history'],
  ['GET /jobs/{jobId}/history/export', 'job-history'],
  ['GET /jobs/{jobId}/form', 'get-job'],
  ['POST /jobs/{jobId}/cancel', 'cancel-job'],
  ['POST /jobs/{jobId}/reschedule', 'reschedule-job'],
  ['POST /jobs/{jobId}/callback', 'record-callback'],
  ['POST /jobs/{jobId}/rating', 'rate-job'],
  ['POST /jobs/{jobId}/follow-up', 'open-follow-up'],
  ['POST /jobs/{jobId}/assign', 'assign-job'],
  ['POST /jobs/{jobId}/photos', 'add-photo'],
  ['POST /complaints', 'file-complaint'],
  ['GET /complaints', 'read-complaints'],
  ['GET /complaints/{complaintId}', 'read-complaints'],
  ['GET /complaints/{complaintId}/history', 'read-complaints'],
  ['POST /complaints/{complaintId}/investigation', 'handle-complaint'],
  ['POST /complaints/{complaintId}/callback', 'handle-complaint'],
  ['GET /reports/monthly', 'monthly-report'],
  ['GET /properties', 'manage-directory'],
  ['GET /properties/{propertyId}', 'manage-directory'],
  ['PUT /properties/{propertyId}', 'manage-directory'],
  ['GET /technicians', 'manage-directory'],
  ['GET /technicians/{technicianId}', 'manage-directory'],
  ['PUT /technicians/{technicianId}', 'manage-directory'],
  ['POST /integrations/webhooks', 'manage-webhooks'],
  ['GET /integrations/webhooks', 'manage-webhooks'],
  ['GET /integrations/webhooks/{endpointId}', 'manage-webhooks'],
  ['DELETE /integrations/webhooks/{endpointId}', 'manage-webhooks'],
  ['POST /integrations/webhooks/{endpointId}/rotate', 'manage-webhooks'],
  ['GET /integrations/webhooks/{endpointId}/deliveries', 'manage-webhooks'],
  ['POST /integrations/webhooks/{endpointId}/deliveries/{deliveryId}/retry', 'manage-webhooks'],
] as const;
const PUBLIC = [
  ['GET /openapi.json', 'openapi'],
  ['POST /webhooks/technician', 'technician-webhook'],
  ['POST /webhooks/technician/uploads', 'add-photo'],
] as const;

let synth: Synthesized;
let routes: Json[];
const template = () => synth.statelessSynth.template;

beforeAll(() => {
  synth = synthApp({
    corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
    logRetentionDays: 90,
  });
  routes = resourcesOfType(synth.statelessSynth, 'AWS::ApiGatewayV2::Route');
});
afterAll(() => synth.cleanup());

const route = (routeKey: string): Json => {
  const found = routes.find((r) => r.Properties.RouteKey === routeKey);
  if (!found) throw new Error(`no route ${routeKey}`);
  return found.Properties;
};

// A route's target is "integrations/<id>"; the integration's URI is the function's ARN.
const targetFunction = (routeKey: string): string => {
  const integrationId = route(routeKey).Target['Fn::Join'][1][1].Ref;
  return synth.statelessSynth.resources[integrationId].Properties.IntegrationUri['Fn::GetAtt'][0];
};

describe('HTTP API', () => {
  it('has exactly the thirty-seven contract routes', () => {
    const keys = routes.map((r) => r.Properties.RouteKey).sort();
    expect(keys).toEqual([...PROTECTED, ...PUBLIC].map(([key]) => key).sort());
    expect(keys).toHaveLength(37);
  });

  it('lets API Gateway invoke each function from its own routes only', () => {
    // A function serving several routes gets one permission per route, scoped to its path.
    const permissions = resourcesOfType(synth.statelessSynth, 'AWS::Lambda::Permission').filter(
      (p) => p.Properties.Principal === 'apigateway.amazonaws.com',
    );
    expect(permissions).toHaveLength(ROUTES.length);
    for (const r of ROUTES) {
      const fn = logicalId(synth.stateless.functions.get(r.fn));
      const own = permissions.filter((p) => p.Properties.FunctionName['Fn::GetAtt']?.[0] === fn);
      expect(own).toHaveLength(ROUTES.filter((x) => x.fn === r.fn).length);
      // The ARN's tail is `/<stage>/<method><path>`; CDK leaves stage and method open.
      const paths = own.map((p) => p.Properties.SourceArn['Fn::Join'][1].at(-1));
      expect(paths).toContain(`/*/*${r.path}`);
    }
  });

  it('deploys the one route table the local front door serves, each to its function', () => {
    const deployed = routes.map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType]).sort();
    const table = ROUTES.map((r) => [`${r.method} ${r.path}`, r.open ? 'NONE' : 'JWT']).sort();
    expect(deployed).toEqual(table);
    for (const r of ROUTES)
      expect(targetFunction(`${r.method} ${r.path}`)).toBe(logicalId(synth.stateless.functions.get(r.fn)));
  });

  it.each([...PROTECTED, ...PUBLIC])('routes %s to the %s function', (routeKey, fn) => {
    expect(targetFunction(routeKey)).toBe(logicalId(synth.stateless.functions.get(fn)));
  });

  it.each(PROTECTED)('requires a Cognito JWT on %s', (routeKey) => {
    const [authorizerId] = Object.keys(template().findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(route(routeKey).AuthorizationType).toBe('JWT');
    expect(route(routeKey).AuthorizerId).toEqual({ Ref: authorizerId });
  });

  it.each(PUBLIC)('leaves %s open (the handler authenticates or nothing is secret)', (routeKey) => {
    expect(route(routeKey).AuthorizationType).toBe('NONE');
    expect(route(routeKey).AuthorizerId).toBeUndefined();
  });

  it("checks JWTs issued by the user pool for the app client and the pages' client", () => {
    const { users } = synth.stateful;
    template().resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template().hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(users.client) }, { Ref: logicalId(synth.stateless.site.signIn.client) }],
        Issuer: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(users.userPool) }])],
        }),
      },
    });
  });

  it('throttles the auto-deployed default stage', () => {
    template().resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template().hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('writes one JSON access-log line per request to a log group kept as long as context says', () => {
    const [stage] = resourcesOfType(synth.statelessSynth, 'AWS::ApiGatewayV2::Stage');
    const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
    const logGroup = synth.statelessSynth.resources[DestinationArn['Fn::GetAtt'][0]];
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 90 } });
    const fields = JSON.parse(Format);
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      sub: '$context.authorizer.claims.sub',
    });
    expect(Format).not.toMatch(/requestBody|header/i);
  });

  it('allows only the configured origins and the headers the contract uses', () => {
    template().hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: ['https://app.example.com', 'http://localhost:5173'],
        AllowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
        AllowMethods: ['GET', 'POST', 'OPTIONS'],
      },
    });
  });

  it('outputs the API URL; the stateful stack outputs the identifiers clients need', () => {
    for (const output of [
      'ApiUrl',
      'SiteUrl',
      'PagesClientId',
      'StateMachineArn',
      'ComplaintStateMachineArn',
      'DashboardName',
    ]) {
      template().hasOutput(output, {});
    }
    const stateful = synth.statefulSynth.template;
    for (const output of [
      'UserPoolId',
      'UserPoolClientId',
      'UserPoolDomain',
      'TableName',
      'AlertsTopicArn',
    ]) {
      stateful.hasOutput(output, {});
    }
  });
});
