import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { STREAM_READING } from '../functions/adapters/table-layout';
import type { Logger } from '../functions/domain/ports';

// The local twin of Lambda's DynamoDB event source mapping: it reads DynamoDB Local's own stream
// of the table and calls the consumer (the report-stream handler) with the events Lambda would
// send. A shard is read in order, its children after it; a batch whose consumer reports a failed
// record is delivered again from that record; the position is kept in DATA_DIR, so a restart
// goes on where it stopped (a replay would be harmless: the consumer is idempotent).

const { batchSize: BATCH_SIZE, retryAttempts: RETRY_ATTEMPTS } = STREAM_READING;
const IDLE_MS = 200;
const MAX_BACKOFF_MS = 10_000;

export interface StreamPollerOptions {
  /** DynamoDB Local's endpoint: it serves the Streams API on the same port. */
  endpoint: string;
  /** The table's stream; it changes only when the table is made again (an in-memory instance after a kill). */
  streamArn: () => string;
  /** Where the last sequence number applied of each shard is kept across restarts. */
  checkpointPath: string;
  /** Called as Lambda calls the function the event source maps to. */
  consume: (event: DynamoDBStreamEvent) => Promise<unknown>;
  logger: Logger;
  /** Sees every batch delivered (a seam for a test that replays one). */
  onBatch?: (event: DynamoDBStreamEvent) => void;
  /** As the event source's maximum retry attempts (STREAM_READING's by default; Infinity: no count). */
  retryAttempts?: number;
  /** As its maximum record age: a failing record older than this is given up, whatever the count. */
  maxRecordAgeMs?: number;
}

interface Shard {
  id: string;
  parent: string | undefined;
  iterator: string | undefined;
  /** The last record delivered and applied; where a new iterator starts after. */
  after: string | undefined;
  /** Read to its end (the shard is closed): its children may go. */
  done: boolean;
  /** Records delivered but not yet applied: the consumer reported a failure. */
  pending: DynamoDBRecord[];
  attempts: number;
  retryAt: number;
}

interface Checkpoint {
  streamArn: string;
  shards: Record<string, { after?: string; done?: boolean }>;
}

type Wire = Record<string, unknown>;

/**
 * DynamoDB Local's stream writes an empty map as `{}` instead of `{"M":{}}` (a job's `alerts`
 * before any alert), which unmarshall refuses; the Streams API on AWS sends `{"M":{}}`. An attribute
 * value with no type can only be that empty map, so it is put back, inside maps and lists too.
 */
export function repairEmptyMaps(image: Record<string, unknown> | undefined): Wire | undefined {
  if (!image) return image;
  const value = (v: unknown): unknown => {
    const av = v as Wire;
    if (av && typeof av === 'object' && Object.keys(av).length === 0) return { M: {} };
    if (av?.M) return { M: repairEmptyMaps(av.M as Wire) };
    if (Array.isArray(av?.L)) return { L: av.L.map(value) };
    return av;
  };
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, value(v)]));
}

/** A record of the Streams API in the shape of the Lambda event's (aws-lambda DynamoDBRecord). */
export function toLambdaRecord(record: StreamRecord, eventSourceARN: string): DynamoDBRecord {
  const d = record.dynamodb;
  type Image = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN,
    dynamodb: {
      ApproximateCreationDateTime: d?.ApproximateCreationDateTime
        ? Math.floor(d.ApproximateCreationDateTime.getTime() / 1000)
        : undefined,
      // The SDK's attribute values are the wire format the Lambda event carries (binary aside).
      Keys: d?.Keys as Image,
      NewImage: repairEmptyMaps(d?.NewImage) as Image,
      OldImage: repairEmptyMaps(d?.OldImage) as Image,
      SequenceNumber: d?.SequenceNumber,
      SizeBytes: d?.SizeBytes,
      StreamViewType: d?.StreamViewType,
    },
  };
}

export class StreamPoller {
  private readonly client: DynamoDBStreamsClient;
  private readonly shards = new Map<string, Shard>();
  private streamArn = '';
  private saved: Checkpoint['shards'] = {};
  private stopping = false;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  /** Cycles begun: settle() waits for an idle one begun after it was called. */
  private begun = 0;
  private idleWaiters: Array<{ after: number; done: () => void; fail: (e: Error) => void }> = [];
  /** Records delivered since the start, and the ones given up after RETRY_ATTEMPTS. */
  readonly stats = { delivered: 0, abandoned: 0 };

  constructor(private readonly opts: StreamPollerOptions) {
    this.client = new DynamoDBStreamsClient({
      endpoint: opts.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  start(): this {
    this.loop ??= this.run();
    return this;
  }

  /** Waits until everything written before the call has been delivered and applied. */
  settle(timeoutMs = 30_000): Promise<void> {
    // A cycle that begins after this call and finds nothing new: everything written before it is done.
    const after = this.begun;
    if (this.stopping) return Promise.reject(new Error('The local stack stopped'));
    return new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w.done !== done);
        reject(new Error('The local stream did not settle'));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timeout);
        resolve();
      };
      const fail = (e: Error) => {
        clearTimeout(timeout);
        reject(e);
      };
      this.idleWaiters.push({ after, done, fail });
      this.wake?.();
    });
  }

  /** Stops reading; resolves once the cycle running now has finished and the position is saved. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.client.destroy();
    for (const w of this.idleWaiters.splice(0)) w.fail(new Error('The local stack stopped'));
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const cycle = ++this.begun;
      let outcome = { idle: false, progressed: false };
      try {
        outcome = await this.cycle();
      } catch (e) {
        // DynamoDB Local down (an outage test) or restarting: try again on the next cycle.
        this.opts.logger.warn('stream poll failed', { errorName: (e as Error)?.name ?? 'Error' });
        for (const shard of this.shards.values()) shard.iterator = undefined;
      }
      if (outcome.idle) {
        const ready = this.idleWaiters.filter((w) => w.after < cycle);
        this.idleWaiters = this.idleWaiters.filter((w) => w.after >= cycle);
        for (const w of ready) w.done();
      }
      // Straight on while records come; otherwise wait, unless settle() or stop() wakes us.
      if (!this.stopping) await this.sleep(outcome.progressed ? 0 : IDLE_MS);
    }
    this.saveCheckpoint();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      this.timer = setTimeout(done, ms);
    });
  }

  /**
   * One pass over every readable shard: idle when none had anything to deliver, progressed when
   * records were read (a record waiting for its retry is neither).
   */
  private async cycle(): Promise<{ idle: boolean; progressed: boolean }> {
    await this.discover();
    let idle = true;
    let progressed = false;
    for (const shard of this.shards.values()) {
      if (this.stopping) return { idle: false, progressed };
      if (shard.done || !this.parentDone(shard)) continue;
      if (shard.pending.length) {
        idle = false;
        if (Date.now() >= shard.retryAt) await this.deliver(shard);
        continue;
      }
      shard.iterator ??= await this.iteratorFor(shard);
      const out = await this.client.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: BATCH_SIZE }),
      );
      shard.iterator = out.NextShardIterator;
      const records = (out.Records ?? []).map((r) => toLambdaRecord(r, this.streamArn));
      if (records.length) {
        idle = false;
        progressed = true;
        shard.pending = records;
        await this.deliver(shard);
      }
      // No next iterator: the shard is closed and read to its end.
      if (!out.NextShardIterator && !shard.pending.length) this.finish(shard);
    }
    return { idle, progressed };
  }

  /** The stream's shards, new ones added; a stream made anew (the table was) starts over. */
  private async discover(): Promise<void> {
    const arn = this.opts.streamArn();
    if (arn !== this.streamArn) {
      this.streamArn = arn;
      this.shards.clear();
      this.saved = this.readCheckpoint(arn);
    }
    let start: string | undefined;
    do {
      const out = await this.client.send(
        new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }),
      );
      for (const s of out.StreamDescription?.Shards ?? []) {
        if (!s.ShardId || this.shards.has(s.ShardId)) continue;
        const saved = this.saved[s.ShardId];
        this.shards.set(s.ShardId, {
          id: s.ShardId,
          parent: s.ParentShardId,
          iterator: undefined,
          after: saved?.after,
          done: saved?.done ?? false,
          pending: [],
          attempts: 0,
          retryAt: 0,
        });
      }
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /** A parent the stream no longer lists was trimmed: it was read, or it is gone. */
  private parentDone(shard: Shard): boolean {
    const parent = shard.parent ? this.shards.get(shard.parent) : undefined;
    return !parent || parent.done;
  }

  private async iteratorFor(shard: Shard): Promise<string | undefined> {
    const base = { StreamArn: this.streamArn, ShardId: shard.id };
    if (shard.after) {
      try {
        const out = await this.client.send(
          new GetShardIteratorCommand({
            ...base,
            ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
            SequenceNumber: shard.after,
          }),
        );
        return out.ShardIterator;
      } catch (e) {
        // The position was trimmed away: from the oldest record kept; replays change nothing.
        this.opts.logger.warn('stream checkpoint not found; reading the shard from its start', {
          errorName: (e as Error)?.name ?? 'Error',
        });
      }
    }
    const out = await this.client.send(
      new GetShardIteratorCommand({ ...base, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    return out.ShardIterator;
  }

  /** Delivers the shard's pending records; what the consumer applied is done, a failed record waits for a retry. */
  private async deliver(shard: Shard): Promise<void> {
    const event: DynamoDBStreamEvent = { Records: shard.pending };
    this.opts.onBatch?.(event);
    let failed: string[];
    try {
      const answer = (await this.opts.consume(event)) as DynamoDBBatchResponse | undefined;
      failed = (answer?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    } catch (e) {
      // The function itself failed: the whole batch again, as Lambda retries it.
      this.opts.logger.warn('stream batch failed', { errorName: (e as Error)?.name ?? 'Error' });
      failed = [shard.pending[0]?.dynamodb?.SequenceNumber ?? ''];
    }
    const from = failed.length
      ? Math.max(
          0,
          shard.pending.findIndex((r) => failed.includes(r.dynamodb?.SequenceNumber ?? '')),
        )
      : shard.pending.length;
    this.applied(shard, shard.pending.slice(0, from));
    const rest = shard.pending.slice(from);
    if (!rest.length) {
      shard.pending = [];
      shard.attempts = 0;
      return;
    }
    // As Lambda's maximum retry attempts and record age: then the record is given up (on AWS, to
    // the failure queue).
    const created = rest[0]?.dynamodb?.ApproximateCreationDateTime;
    const tooOld =
      this.opts.maxRecordAgeMs !== undefined &&
      created !== undefined &&
      Date.now() - created * 1000 > this.opts.maxRecordAgeMs;
    if (++shard.attempts >= (this.opts.retryAttempts ?? RETRY_ATTEMPTS) || tooOld) {
      const [dropped, ...after] = rest;
      this.opts.logger.error('stream record given up after retries', { eventID: dropped?.eventID });
      this.stats.abandoned++;
      this.applied(shard, dropped ? [dropped] : []);
      shard.pending = after;
      shard.attempts = 0;
      return;
    }
    shard.pending = rest;
    shard.retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, IDLE_MS * 2 ** shard.attempts);
  }

  private applied(shard: Shard, records: DynamoDBRecord[]): void {
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (!last) return;
    this.stats.delivered += records.length;
    shard.after = last;
    this.saveCheckpoint();
  }

  private finish(shard: Shard): void {
    shard.done = true;
    shard.iterator = undefined;
    this.saveCheckpoint();
  }

  private readCheckpoint(arn: string): Checkpoint['shards'] {
    if (!existsSync(this.opts.checkpointPath)) return {};
    try {
      const saved = JSON.parse(readFileSync(this.opts.checkpointPath, 'utf8')) as Checkpoint;
      // Another stream's positions mean nothing here (a table made anew): from the start.
      return saved.streamArn === arn ? saved.shards : {};
    } catch {
      return {};
    }
  }

  private saveCheckpoint(): void {
    if (!this.streamArn) return;
    const shards: Checkpoint['shards'] = {};
    for (const s of this.shards.values())
      shards[s.id] = { ...(s.after && { after: s.after }), ...(s.done && { done: true }) };
    const file: Checkpoint = { streamArn: this.streamArn, shards };
    // Written aside and renamed: a crash mid-write never leaves half a checkpoint.
    const tmp = `${this.opts.checkpointPath}.tmp`;
    writeFileSync(tmp, JSON.stringify(file));
    renameSync(tmp, this.opts.checkpointPath);
  }
}

/**
 * The table's consumers, each with its own poller, as each has its own event source mapping on
 * AWS. `settle()` waits until all caught up, again while one's writes (a follower's items) give
 * the others more to read.
 */
export class StreamConsumers {
  constructor(private readonly pollers: readonly StreamPoller[]) {}

  async settle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const before = this.delivered();
      await Promise.all(this.pollers.map((p) => p.settle(Math.max(1, deadline - Date.now()))));
      if (this.delivered() === before) return;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()));
  }

  private delivered(): number {
    return this.pollers.reduce((n, p) => n + p.stats.delivered, 0);
  }
}
