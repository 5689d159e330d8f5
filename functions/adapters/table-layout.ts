// The single table's key attributes, item keys and indexes, once: the job store reads and
// writes by them, lib/job-table.ts and local/table.ts create the table from them, and the
// state machine's one direct DynamoDB write ("Mark the alert sent") gets them as substitutions.

export const KEY = { partition: 'pk', sort: 'sk' } as const;

/** The attribute DynamoDB expires items by; only receipts, quota counters, stream markers and delivered outbox entries carry it. */
export const TTL_ATTRIBUTE = 'ttl';

/**
 * A job item: partition `JOB#<jobId>`, sort `JOB`; its history shares the partition. In the
 * listing indexes a job sits in its property's partitions (docs/architecture.md "Indexes"):
 * `STATUS#<property>#<status>`, `JOB#<property>`, `STEP#<property>`.
 */
export const JOB_ITEM = { partitionPrefix: 'JOB#', sort: 'JOB', historyPrefix: 'EVT#' } as const;

/**
 * A complaint item: partition `COMPLAINT#<complaintId>`, sort `COMPLAINT`; its history shares the
 * partition, as a job's does. In the listing indexes its keys carry a `C` so that no listing of
 * jobs ever meets a complaint: `CRES#<residentId>`, `CSTATUS#<property>#<status>`,
 * `COMPLAINT#<property>`, and `CSTEP#<property>` (ordered by the next deadline: the agents'
 * queue) in withNextStep.
 */
export const COMPLAINT_ITEM = {
  partitionPrefix: 'COMPLAINT#',
  sort: 'COMPLAINT',
  historyPrefix: 'EVT#',
} as const;

/**
 * The directory (functions/adapters/dynamo-directory.ts): a property's settings under partition
 * `PROPERTY#<propertyId>`, a technician under `TECHNICIAN#<technicianId>`, each with sort `ITEM`.
 * Each kind is listed from one partition of the allJobs index (`DIRECTORY#PROPERTY`,
 * `DIRECTORY#TECHNICIAN`), by id: managers write them rarely, so one partition each is no hot spot.
 */
export const DIRECTORY_ITEM = {
  propertyPrefix: 'PROPERTY#',
  technicianPrefix: 'TECHNICIAN#',
  sort: 'ITEM',
  propertyListing: 'DIRECTORY#PROPERTY',
  technicianListing: 'DIRECTORY#TECHNICIAN',
} as const;

/**
 * Every property that ever had a job or a complaint, under `SEENPROPERTY#<propertyId>` / `ITEM`,
 * listed from one partition of the allJobs index (`SEENPROPERTY`) by id: a listing of the whole
 * company merges these properties' partitions. Written once per property (never per job), so
 * that partition is no hot spot.
 */
export const SEEN_PROPERTY = {
  partitionPrefix: 'SEENPROPERTY#',
  sort: 'ITEM',
  listing: 'SEENPROPERTY',
} as const;

/**
 * The one-off re-keying of items written before the listing indexes were keyed by property
 * (functions/adapters/listing-upgrade.ts): their allJobs partitions were these, and this item
 * records that a table has been re-keyed.
 */
export const LEGACY_LISTING = {
  jobs: 'JOB',
  complaints: 'COMPLAINT',
  marker: { pk: 'UPGRADE#property-listings', sk: 'UPGRADE' },
} as const;

/**
 * The monthly figures the report stream keeps (functions/domain/reports.ts): one partition per
 * month and scope, `REPORT#<yyyy-mm>#<property>` or, for the whole company, `REPORT#<yyyy-mm>#*`
 * (`*` is never a property code: those are letters and digits). Sort `TOTAL` holds the scope's
 * counters, `TECH#<technicianId>` one technician's; a report is one Query of the partition.
 */
export const REPORT_ITEM = {
  partitionPrefix: 'REPORT#',
  companyScope: '*',
  total: 'TOTAL',
  technicianPrefix: 'TECH#',
} as const;

export const reportPartition = (month: string, property: string | null) =>
  `${REPORT_ITEM.partitionPrefix}${month}#${property ?? REPORT_ITEM.companyScope}`;

/**
 * One per stream record the report consumer applied, written in the same transaction as its
 * counters, so a redelivered record changes nothing. It expires after STREAM_MARKER.ttlSeconds:
 * longer than a stream keeps a record (24 hours), so no redelivery can outlive its marker.
 */
export const STREAM_MARKER = {
  partitionPrefix: 'APPLIED#',
  sort: 'APPLIED',
  ttlSeconds: 2 * 24 * 3600,
} as const;

/**
 * Outbound webhooks (functions/adapters/dynamo-webhook-store.ts): one partition per endpoint,
 * `WEBHOOK#<endpointId>`. Sort `ENDPOINT` holds the endpoint (listed from the allJobs partition
 * `DIRECTORY#WEBHOOK`, by id: few, written by managers); `Q#<job|complaint>#<id>#<position>` one
 * delivery, so one Query of `Q#<kind>#<id>#` reads a queue in order and one of `Q#` the endpoint's
 * deliveries; `LEASE#<kind>#<id>` the queue's lease. A pending delivery also sits in the allJobs
 * partition `WEBHOOK#PENDING` (sparse: taken off once delivered or parked), which a start reads to
 * re-arm the queues. Deliveries and leases expire (ttl) a while after their last write.
 */
export const WEBHOOK_ITEM = {
  partitionPrefix: 'WEBHOOK#',
  endpoint: 'ENDPOINT',
  deliveryPrefix: 'Q#',
  leasePrefix: 'LEASE#',
  listing: 'DIRECTORY#WEBHOOK',
  pending: 'WEBHOOK#PENDING',
  deliveryTtlSeconds: 30 * 24 * 3600,
} as const;

/**
 * An aggregate write's outbox entry (functions/domain/outbox.ts): in the job's or complaint's
 * partition, sort `OUTBOX#<version>` (the version the write committed, six digits), written in
 * the write's transaction. The outbox consumer marks the messages it sent (`delivered`, a string
 * set of message ids); once all went out the entry expires after `ttlSeconds` (longer than a
 * stream keeps a record, so no redelivery outlives it). An entry never delivered stays.
 */
export const OUTBOX_ITEM = {
  sortPrefix: 'OUTBOX#',
  delivered: 'delivered',
  ttlSeconds: 2 * 24 * 3600,
} as const;

export const outboxSort = (version: number) => `${OUTBOX_ITEM.sortPrefix}${String(version).padStart(6, '0')}`;

/**
 * How the table's stream is read: by the event source mapping on AWS (lib/stateless-stack.ts) and
 * by its local twin (local/stream.ts). Up to 100 records a batch; a failing record is retried this
 * often before it is given up.
 */
export const STREAM_READING = { batchSize: 100, retryAttempts: 10 } as const;

/**
 * How the outbox consumer reads it (docs/architecture.md "Outbox"): a message must outlast an SNS
 * or Step Functions outage, so a failing record is retried for as long as the stream keeps it
 * (retryAttempts -1: no count, only maxRecordAgeSeconds), each retry after a pause growing with
 * the record's age up to pauseCapMs (table-stream.ts retryPauseMs; Lambda itself retries at once),
 * then given to the failure queue; its entry stays in the table, undelivered, to be replayed.
 */
export const OUTBOX_READING = {
  retryAttempts: -1,
  maxRecordAgeSeconds: 24 * 3600,
  pauseCapMs: 20_000,
} as const;

/** GSI name → its key attributes; every listing queries one of these, nothing scans. */
export const INDEXES = {
  byResident: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byStatus: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  allJobs: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  /**
   * Sparse: only a job the workflow still has a step for (open, or ended with an alert not yet
   * sent) carries its keys. The board lists it (`GET /jobs?open=true`), the local stack's restart
   * reads it; on AWS it is also the operators' list of executions to start again after an incident.
   */
  withNextStep: { partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
  /**
   * Sparse: a job whose form was signed, under `SIGNED#<unitId>#<category>`, newest last: a booking
   * reads the unit's last signed job of its category in one Query (Limit 1) to tell a recall.
   */
  lastSigned: { partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
  /**
   * Sparse: a job while its technician holds it (functions/domain/dispatch.ts holderOf), under
   * `TECH#<technicianId>`: the roster's maxOpenJobs rule counts a technician's open jobs in one Query.
   * Jobs accepted before the index existed carry its keys from their next write on.
   */
  byTechnician: { partitionKey: 'gsi6pk', sortKey: 'gsi6sk' },
} as const;
export type IndexName = keyof typeof INDEXES;

/** The job and complaint attributes the state machines write themselves ("Mark the alert sent"). */
export const JOB_ATTRIBUTES = { alerts: 'alerts', sent: 'sent', version: 'version' } as const;

export const jobKey = (jobId: string) => ({
  [KEY.partition]: `${JOB_ITEM.partitionPrefix}${jobId}`,
  [KEY.sort]: JOB_ITEM.sort,
});

export const complaintKey = (complaintId: string) => ({
  [KEY.partition]: `${COMPLAINT_ITEM.partitionPrefix}${complaintId}`,
  [KEY.sort]: COMPLAINT_ITEM.sort,
});

/** The ASL's `${…}` names for the table layout, for lib/ and the local stack alike. */
export const tableSubstitutions = (tableName: string): Record<string, string> => ({
  TableName: tableName,
  PartitionKey: KEY.partition,
  SortKey: KEY.sort,
  JobPartitionFormat: `${JOB_ITEM.partitionPrefix}{}`,
  JobSortKey: JOB_ITEM.sort,
  ComplaintPartitionFormat: `${COMPLAINT_ITEM.partitionPrefix}{}`,
  ComplaintSortKey: COMPLAINT_ITEM.sort,
  AlertsAttribute: JOB_ATTRIBUTES.alerts,
  SentAttribute: JOB_ATTRIBUTES.sent,
  VersionAttribute: JOB_ATTRIBUTES.version,
});
