import { Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES } from '../functions/http/routes';
import type { FunctionName } from '../functions/names';

export const THROTTLE = { rateLimit: 50, burstLimit: 100 };

// One JSON object per request. The caller is its token's `sub`; no bodies, no tokens.
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
};

export interface RepairApiProps {
  readonly userPool: IUserPool;
  /** The app clients whose tokens the API accepts (the JWT audience). */
  readonly userPoolClients: readonly IUserPoolClient[];
  readonly functions: (name: FunctionName) => IFunction;
  readonly corsOrigins: readonly string[];
  readonly logRetention: RetentionDays;
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
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
      userPoolClients: [...props.userPoolClients],
    });
    for (const route of ROUTES) {
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.fn}-integration`, props.functions(route.fn)),
        authorizer: route.open ? undefined : authorizer,
      });
      if (route.open && added)
        Validations.of(added).acknowledge({ id: 'AwsSolutions-APIG4', reason: route.open });
    }
  }

  get url(): string {
    return this.stage.url;
  }

  /** The API's own host name (`<id>.execute-api.<region>.amazonaws.com`), for CloudFront. */
  get domainName(): string {
    return Fn.select(2, Fn.split('/', this.api.apiEndpoint));
  }
}
