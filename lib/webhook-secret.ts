import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface WebhookSecretProps {
  readonly protectData: boolean;
}

/**
 * The technicians' webhook signing secret. Generated as 64 alphanumeric characters
 * (valid base64 for 48 bytes); to share a Standard Webhooks `whsec_<base64>` value
 * with the technicians' platform instead, put that value into the secret.
 */
export class WebhookSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: WebhookSecretProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'HMAC secret that signs POST /webhooks/technician (Standard Webhooks)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Shared with the technicians' platform, which must start signing with a new value when it changes: rotation is a manual, announced step (README: Deploy), and the handler accepts AWSCURRENT and AWSPREVIOUS so no event is lost meanwhile.",
    });
  }
}
