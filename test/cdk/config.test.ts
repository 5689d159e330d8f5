import { App } from 'aws-cdk-lib';
import { DEFAULT_PROPERTY_POLICY, readConfig } from '../../lib/config';

const configFrom = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('readConfig', () => {
  it('defaults to the dev stage, no alert emails, no CORS and the default property policy', () => {
    expect(configFrom({})).toEqual({
      stage: 'dev',
      alertEmails: [],
      corsOrigins: [],
      propertyPolicy: DEFAULT_PROPERTY_POLICY,
    });
  });

  it('takes lists and objects as JSON, as cdk.json gives them', () => {
    const config = configFrom({
      stage: 'prod',
      alertEmails: ['ops@example.com'],
      corsOrigins: ['https://app.example.com'],
      propertyPolicy: { default: { quickFixWaiver: true } },
    });
    expect(config).toEqual({
      stage: 'prod',
      alertEmails: ['ops@example.com'],
      corsOrigins: ['https://app.example.com'],
      propertyPolicy: { default: { quickFixWaiver: true } },
    });
  });

  it('takes strings, as `-c key=value` gives them: comma lists, JSON lists and JSON objects', () => {
    const config = configFrom({
      alertEmails: 'a@example.com, b@example.com',
      corsOrigins: '["https://app.example.com"]',
      propertyPolicy: '{"default":{"quickFixWaiver":true}}',
    });
    expect(config.alertEmails).toEqual(['a@example.com', 'b@example.com']);
    expect(config.corsOrigins).toEqual(['https://app.example.com']);
    expect(config.propertyPolicy).toEqual({ default: { quickFixWaiver: true } });
  });

  it.each([
    [{ stage: 'Prod_1' }, /stage/],
    [{ alertEmails: ['not-an-email'] }, /alertEmails/],
    [{ alertEmails: [42] }, /alertEmails/],
    [{ propertyPolicy: '[1]' }, /propertyPolicy/],
  ])('rejects %j', (context, message) => {
    expect(() => configFrom(context)).toThrow(message);
  });
});
