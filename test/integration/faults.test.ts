import type { LocalStack } from '../../local/stack';
import { type Client, EVENT_DATA, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// DynamoDB Local going away: every request answers 503 problem+json with Retry-After,
// never a 500 and never an SDK message.

let stack: LocalStack;
let client: Client;

beforeAll(async () => {
  ({ stack, client } = await testStack());
});
afterAll(() => stack?.stop());

test('with the job store down, requests get 503 with Retry-After and no internals', async () => {
  const resident = await client.token('r-fault', 'resident');
  const jobId = (await client.book(resident, urgentBooking())).body.jobId;
  await stack.workflow.settle();

  await stack.dynamo.stop();

  const replies = [
    await client.book(resident, urgentBooking()),
    await client.request('GET', `/jobs/${jobId}`, { token: resident }),
    await client.hook({ type: 'job.accepted', jobId, data: EVENT_DATA['job.accepted'] }),
  ];
  for (const r of replies) {
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(JSON.stringify(r.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at .*\.ts|Exception/);
  }
});
