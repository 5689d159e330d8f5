import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../functions/names';
import { LOCK_FILE, REPO_ROOT } from './paths';

// It owns its log group and its role, so callers cannot pass their own.
export interface ServiceFunctionProps
  extends Omit<NodejsFunctionProps, 'logGroup' | 'logRetention' | 'role'> {
  /** Absolute path of the handler module (it must export `handler`). */
  readonly entry: string;
  /** How long the function's own log group keeps events. */
  readonly retention?: RetentionDays;
  /** Why its role holds an action on `*` other than X-Ray's, added to that acknowledgment's reason. */
  readonly unscopedActions?: string;
  /** A function that is invoked asynchronously: why it has no dead-letter queue (its on-failure destination). */
  readonly asyncFailures?: string;
}

// esbuild emits ESM; this shim gives CommonJS dependencies the `require` they expect.
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

// Powertools reads these; the caller's environment is merged over them, never replaced.
// No NODE_OPTIONS=--enable-source-maps: nothing we log carries a stack (errors are logged by
// name, task errors rethrown without one), and reading the map added 1–37 ms to a cold start in
// the bench runs (bench/RESULTS.md, what-ifs). The maps still ship in the asset, for symbolicating by hand.
const DEFAULT_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

const RUNTIME_REASON =
  'Pinned to nodejs22.x on purpose: the tests and the local stack run on the Node 22 of the `node` devDependency; the runtime moves together with it.';

/**
 * A Lambda function with the project's defaults. It gets its own log group and its own
 * role, allowed to write to that log group only (instead of the account-wide
 * AWSLambdaBasicExecutionRole); callers' env and bundling are merged into the defaults.
 *
 * No reserved concurrency: the API stage throttle already bounds the API functions, a
 * reservation would cap the workflow's functions below what Step Functions' retries need,
 * and it fails to deploy on accounts with a small concurrency quota. The Throttles alarm
 * says when that judgement is wrong. No async DLQ: nothing invokes these asynchronously
 * (API Gateway and Step Functions wait for the answer and retry themselves).
 */
export class ServiceFunction extends NodejsFunction {
  /** Its own role (`role` is optional on the base class; this one always exists). */
  readonly serviceRole: Role;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    // Siblings rather than children: a child cannot be created before super() runs.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.retention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const { unscopedActions, asyncFailures, ...functionProps } = props;
    super(scope, id, {
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      ...functionProps,
      logGroup,
      role,
      environment: { ...DEFAULT_ENVIRONMENT, ...functionProps.environment },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        target: 'node22',
        forceDockerBundling: false,
        ...functionProps.bundling,
      },
    });
    this.serviceRole = role;
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: [
        'Only the X-Ray statement (xray:PutTraceSegments, xray:PutTelemetryRecords) that active tracing adds: X-Ray has no resource-level permissions.',
        ...(unscopedActions ? [unscopedActions] : []),
      ].join(' '),
    });
    for (const id of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
      Validations.of(this).acknowledge({ id, reason: RUNTIME_REASON });
    }
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        asyncFailures ??
        'Never invoked asynchronously: API Gateway and Step Functions (lambda:invoke) wait for the result and retry, so an async dead-letter queue would never receive anything.',
    });
  }
}
