import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Cognito users (residents, agents, managers); the role lives in `custom:role`. */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Accounts are created by the property office, never by sign-up.
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      standardAttributes: { fullname: { required: false, mutable: true } },
      customAttributes: { role: new StringAttribute({ mutable: true, minLen: 1, maxLen: 32 }) },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const standard = { fullname: true, email: true, phoneNumber: true };
    this.client = this.userPool.addClient('AppClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ ...standard, emailVerified: true, phoneNumberVerified: true })
        .withCustomAttributes('role'),
      // Users may edit their profile but never their own role (only admins set it).
      writeAttributes: new ClientAttributes().withStandardAttributes(standard),
    });
  }
}
