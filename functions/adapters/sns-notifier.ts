import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { About, Notice, Topic } from '../domain/notifications';
import type { Notifier } from '../domain/ports';

export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topics: Record<Topic, string>,
  ) {}

  async publish(about: About, notice: Notice): Promise<void> {
    const attrs: Record<string, string> = { type: notice.type, ...about, ...notice.attributes };
    if (notice.severity) attrs.severity = notice.severity;
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topics[notice.topic],
        Subject: notice.subject,
        Message: notice.message,
        MessageAttributes: Object.fromEntries(
          Object.entries(attrs).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
        ),
      }),
    );
  }
}
