import { Duration } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { FunctionName } from '../functions/names';

interface RouteSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly fn: FunctionName;
  /** false only where the handler authenticates the caller itself (or nothing is secret). */
  readonly authorized: boolean;
}

export const ROUTES: readonly RouteSpec[] = [
  { method: HttpMethod.POST, path: '/jobs', fn: 'create-job', authorized: true },
  { method: HttpMethod.GET, path: '/jobs', fn: 'list-jobs', authorized: true },
  { method: HttpMethod.GET, path: '/jobs/{jobId}', fn: 'get-job', authorized: true },
  { method: HttpMethod.GET, path: '/jobs/{jobId}/history', fn: 'job-history', authorized: true },
  { method: HttpMethod.POST, path: '/jobs/{jobId}/cancel', fn: 'cancel-job', authorized: true },
  { method: HttpMethod.POST, path: '/jobs/{jobId}/callback', fn: 'record-callback', authorized: true },
  { method: HttpMethod.GET, path: '/openapi.json', fn: 'openapi', authorized: false },
  // Verified by its Standard Webhooks HMAC signature in the handler.
  { method: HttpMethod.POST, path: '/webhooks/technician', fn: 'technician-webhook', authorized: false },
];

export const THROTTLE = { rateLimit: 50, burstLimit: 100 };

export interface RepairApiProps {
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly functions: (name: FunctionName) => IFunction;
  readonly corsOrigins: readonly string[];
}

/** The public HTTP API: Cognito JWTs for residents and staff, HMAC for the technicians' webhook. */
export class RepairApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: RepairApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Home repair jobs',
      // The stage is created below, because only an explicit stage takes throttling settings.
      createDefaultStage: false,
      corsPreflight:
        props.corsOrigins.length > 0
          ? {
              allowOrigins: [...props.corsOrigins],
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
              allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
              maxAge: Duration.hours(1),
            }
          : undefined,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
    });
    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
    });
    for (const route of ROUTES) {
      this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: new HttpLambdaIntegration(`${route.fn}-integration`, props.functions(route.fn)),
        authorizer: route.authorized ? authorizer : undefined,
      });
    }
  }

  get url(): string {
    return this.stage.url;
  }
}
