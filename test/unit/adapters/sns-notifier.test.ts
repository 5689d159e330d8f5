import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { SnsNotifier } from '../../../functions/adapters/sns-notifier';
import type { Notice } from '../../../functions/domain/notifications';
import { defined, rejectionOf } from '../support/fixtures';

const sns = mockClient(SNSClient);
const TOPICS = {
  alerts: 'arn:aws:sns:ap-east-1:111122223333:alerts',
  residents: 'arn:aws:sns:ap-east-1:111122223333:residents',
  technicians: 'arn:aws:sns:ap-east-1:111122223333:technicians',
};
const notifier = () => new SnsNotifier(new SNSClient({ region: 'ap-east-1' }), TOPICS);
const published = () => defined(sns.commandCalls(PublishCommand)[0], 'Publish call').args[0].input;

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('SnsNotifier', () => {
  const residentNotice: Notice = {
    topic: 'residents',
    type: 'job.accepted',
    subject: 'Technician assigned',
    message: 'Wang Wei will handle your repair (job job-1).',
  };

  it.each(Object.keys(TOPICS) as Array<keyof typeof TOPICS>)(
    'publishes a %s notice to its own topic',
    async (topic) => {
      await notifier().publish({ jobId: 'job-1' }, { ...residentNotice, topic });

      expect(published().TopicArn).toBe(TOPICS[topic]);
    },
  );

  it('sends the subject and the message as they are', async () => {
    await notifier().publish({ jobId: 'job-1' }, residentNotice);

    expect(published()).toMatchObject({ Subject: residentNotice.subject, Message: residentNotice.message });
  });

  it('tags every message with type and jobId attributes for filtering', async () => {
    await notifier().publish({ jobId: 'job-1' }, residentNotice);

    expect(published().MessageAttributes).toEqual({
      type: { DataType: 'String', StringValue: 'job.accepted' },
      jobId: { DataType: 'String', StringValue: 'job-1' },
    });
  });

  it("adds a notice's own attributes: the technician it is addressed to, a warning's property", async () => {
    await notifier().publish(
      { jobId: 'job-1' },
      { ...residentNotice, topic: 'technicians', attributes: { technicianId: 't-1', property: 'B2' } },
    );

    expect(published().MessageAttributes).toEqual({
      type: { DataType: 'String', StringValue: 'job.accepted' },
      jobId: { DataType: 'String', StringValue: 'job-1' },
      technicianId: { DataType: 'String', StringValue: 't-1' },
      property: { DataType: 'String', StringValue: 'B2' },
    });
  });

  it('adds the severity attribute to alerts', async () => {
    await notifier().publish(
      { jobId: 'job-1' },
      {
        topic: 'alerts',
        type: 'sla.arrival_missed',
        subject: 'Arrival SLA missed',
        message: 'Job job-1 ...',
        severity: 'critical',
      },
    );

    expect(published().MessageAttributes).toEqual({
      type: { DataType: 'String', StringValue: 'sla.arrival_missed' },
      jobId: { DataType: 'String', StringValue: 'job-1' },
      severity: { DataType: 'String', StringValue: 'critical' },
    });
  });

  it('publishes once per notice', async () => {
    await notifier().publish({ jobId: 'job-1' }, residentNotice);

    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('lets a publish failure reach the caller, which logs it', async () => {
    const failure = new Error('Throttling');
    sns.on(PublishCommand).rejects(failure);

    expect(await rejectionOf(notifier().publish({ jobId: 'job-1' }, residentNotice))).toBe(failure);
  });
});
