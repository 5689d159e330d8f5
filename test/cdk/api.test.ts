import { Match } from 'aws-cdk-lib/assertions';
import { type Json, logicalId, type Synthesized, synthRepairStack } from './synth';

const PROTECTED = [
  ['POST /jobs', 'create-job'],
  ['GET /jobs', 'list-jobs'],
  ['GET /jobs/{jobId}', 'get-job'],
  ['GET /jobs/{jobId}/history', 'job-history'],
  ['POST /jobs/{jobId}/cancel', 'cancel-job'],
  ['POST /jobs/{jobId}/callback', 'record-callback'],
] as const;
const PUBLIC = [
  ['GET /openapi.json', 'openapi'],
  ['POST /webhooks/technician', 'technician-webhook'],
] as const;

let synth: Synthesized;
let routes: Json[];

beforeAll(() => {
  synth = synthRepairStack();
  routes = Object.values(synth.resources).filter((r: Json) => r.Type === 'AWS::ApiGatewayV2::Route');
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
  return synth.resources[integrationId].Properties.IntegrationUri['Fn::GetAtt'][0];
};

describe('HTTP API', () => {
  it('has exactly the eight contract routes', () => {
    const keys = routes.map((r) => r.Properties.RouteKey).sort();
    expect(keys).toEqual([...PROTECTED, ...PUBLIC].map(([key]) => key).sort());
  });

  it.each([...PROTECTED, ...PUBLIC])('routes %s to the %s function', (routeKey, fn) => {
    expect(targetFunction(routeKey)).toBe(logicalId(synth.stack.functions.get(fn)));
  });

  it.each(PROTECTED)('requires a Cognito JWT on %s', (routeKey) => {
    const [authorizerId] = Object.keys(synth.template.findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(route(routeKey).AuthorizationType).toBe('JWT');
    expect(route(routeKey).AuthorizerId).toEqual({ Ref: authorizerId });
  });

  it.each(PUBLIC)('leaves %s open (the handler authenticates or nothing is secret)', (routeKey) => {
    expect(route(routeKey).AuthorizationType).toBe('NONE');
    expect(route(routeKey).AuthorizerId).toBeUndefined();
  });

  it('checks JWTs issued by the user pool for the app client', () => {
    const { users } = synth.stack;
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(users.client) }],
        Issuer: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(users.userPool) }])],
        }),
      },
    });
  });

  it('throttles the auto-deployed default stage', () => {
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('configures no CORS unless origins are given', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.absent(),
    });
  });

  it('outputs the API URL and the identifiers clients need', () => {
    for (const output of ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'TableName', 'StateMachineArn']) {
      synth.template.hasOutput(output, {});
    }
    for (const topic of ['AlertsTopicArn', 'ResidentsTopicArn', 'TechniciansTopicArn']) {
      synth.template.hasOutput(topic, {});
    }
  });
});

describe('HTTP API with CORS origins', () => {
  it('allows only the configured origins and the headers the contract uses', () => {
    const withCors = synthRepairStack({ corsOrigins: ['https://app.example.com'] });
    try {
      withCors.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: {
          AllowOrigins: ['https://app.example.com'],
          AllowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
          AllowMethods: ['GET', 'POST', 'OPTIONS'],
        },
      });
    } finally {
      withCors.cleanup();
    }
  });
});
