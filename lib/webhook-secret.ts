import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The technicians' webhook signing secret. Generated as 64 alphanumeric characters
 * (valid base64 for 48 bytes); to share a Standard Webhooks `whsec_<base64>` value
 * with the technicians' platform instead, put that value into the secret.
 */
export class WebhookSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'HMAC secret that signs POST /webhooks/technician (Standard Webhooks)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
