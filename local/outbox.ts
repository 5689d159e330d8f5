import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';
import type { About, Notice, Topic } from '../functions/domain/notifications';
import type { Clock, Notifier } from '../functions/domain/ports';

// Stands in for SNS: every publish (from handlers and from the state machine's
// sns:publish tasks) is appended to DATA_DIR/notifications.jsonl and served at
// GET /_local/notifications. Alerts are also printed, as a manager's phone would ring.
// The file is read back on start, so what was published before a restart (Ctrl-C or a
// crash) is still listed after it: "each alert exactly once" stays checkable across restarts.

export interface OutboxItem {
  topic: Topic;
  subject: string;
  message: string;
  attributes: Record<string, string>;
  publishedAt: string;
}

export const localTopicArn = (topic: Topic) => `arn:aws:sns:local:000000000000:${topic}`;

export class Outbox implements Notifier {
  private readonly items: OutboxItem[] = [];
  /** The alertIds of what a previous run of the stack published (read back from the file). */
  private readonly publishedBefore = new Set<string>();

  constructor(
    private readonly path: string,
    private readonly clock: Clock,
    private readonly print: (line: string) => void,
  ) {
    if (existsSync(path)) this.load();
  }

  /** A crash in the middle of an append leaves a torn last line: it was never published, so it is cut off. */
  private load(): void {
    const text = readFileSync(this.path, 'utf8');
    let kept = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const item: OutboxItem = JSON.parse(line);
        this.items.push(item);
        if (item.attributes.alertId) this.publishedBefore.add(item.attributes.alertId);
        kept += Buffer.byteLength(line) + 1;
      } catch (e) {
        if (kept + Buffer.byteLength(line) < Buffer.byteLength(text)) throw e;
      }
    }
    if (kept < Buffer.byteLength(text)) truncateSync(this.path, kept);
  }

  publish(about: About, notice: Notice): Promise<void> {
    const attributes: Record<string, string> = { type: notice.type, ...about, ...notice.attributes };
    if (notice.severity) attributes.severity = notice.severity;
    this.append(notice.topic, notice.subject, notice.message, attributes);
    return Promise.resolve();
  }

  /** The shape of an SNS Publish request, as the state machine sends it. */
  publishRequest(params: Record<string, unknown>): void {
    const arn = String(params.TopicArn ?? '');
    const topic = arn.slice(arn.lastIndexOf(':') + 1) as Topic;
    const raw = (params.MessageAttributes ?? {}) as Record<string, { StringValue?: string }>;
    const attributes = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, String(v.StringValue ?? '')]),
    );
    this.append(topic, String(params.Subject ?? ''), String(params.Message ?? ''), attributes);
  }

  /** Whether a previous run of the stack published this alert (before a restart). */
  publishedBeforeStart(alertId: string | undefined): boolean {
    return alertId !== undefined && this.publishedBefore.has(alertId);
  }

  list(filter: { topic?: string; jobId?: string; complaintId?: string }): OutboxItem[] {
    return this.items.filter(
      (i) =>
        (!filter.topic || i.topic === filter.topic) &&
        (!filter.jobId || i.attributes.jobId === filter.jobId) &&
        (!filter.complaintId || i.attributes.complaintId === filter.complaintId),
    );
  }

  private append(topic: Topic, subject: string, message: string, attributes: Record<string, string>): void {
    const item = { topic, subject, message, attributes, publishedAt: this.clock.now().toISOString() };
    this.items.push(item);
    appendFileSync(this.path, `${JSON.stringify(item)}\n`);
    if (topic === 'alerts') this.print(`ALERT [${attributes.severity}] ${subject}: ${message}`);
  }
}
