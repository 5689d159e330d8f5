import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LOCK_FILE, REPO_ROOT } from './paths';

export interface ServiceFunctionProps extends NodejsFunctionProps {
  /** Absolute path of the handler module (it must export `handler`). */
  readonly entry: string;
}

// esbuild emits ESM; this shim gives CommonJS dependencies the `require` they expect.
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

const DEFAULT_ENVIRONMENT = {
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'home-repair',
};

/** A Lambda function with the project's defaults; callers' env and bundling are merged into them. */
export class ServiceFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id, {
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      ...props,
      // A sibling rather than a child: a child cannot be created before super() runs.
      logGroup:
        props.logGroup ??
        new LogGroup(scope, `${id}Logs`, {
          retention: RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
      environment: { ...DEFAULT_ENVIRONMENT, ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        target: 'node22',
        forceDockerBundling: false,
        ...props.bundling,
      },
    });
  }
}
