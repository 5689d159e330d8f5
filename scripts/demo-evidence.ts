import { expectStatus } from '../client/api-client';
import type { Ctx } from './demo-cast';

// The first job's evidence, read back as an owners' association would: its signed form archived
// as a PDF (GET /jobs/{id}/form redirects to it) and its history checked against its hash chain.

export async function verifyEvidence(ctx: Ctx, jobId: string): Promise<void> {
  const { api, tl, checks } = ctx;
  tl.heading('Evidence (GET /jobs/{id}/form, GET /jobs/{id}/history/verify)');
  const form = await api.getJobForm(ctx.agent, jobId);
  const location = form.headers.get('location');
  const pdf = location ? await fetch(location) : undefined;
  const bytes = pdf?.ok ? Buffer.from(await pdf.arrayBuffer()) : Buffer.alloc(0);
  tl.note(
    `Job 1's form: ${form.status} → ${pdf?.headers.get('content-type') ?? 'nothing'}, ${bytes.length} bytes`,
  );
  checks.equal('job 1: its signed form is archived (302 to the PDF)', form.status, 302);
  checks.check(
    'job 1: the archived form is a PDF',
    pdf?.headers.get('content-type') === 'application/pdf' && bytes.subarray(0, 5).toString() === '%PDF-',
  );

  const chain = expectStatus(
    await api.verifyJobHistory(ctx.agent, jobId),
    200,
    `GET /jobs/${jobId}/history/verify`,
  );
  const history = await api.history(jobId, ctx.agent);
  const said = chain.valid
    ? `verified, head ${chain.head}`
    : `broken at item ${chain.brokenAt}: ${chain.reason}`;
  tl.note(`Job 1's history: ${chain.items} items, ${said}`);
  checks.check(
    'job 1: its history verifies against its hash chain, every item',
    chain.valid && chain.items === history.length,
  );
}
