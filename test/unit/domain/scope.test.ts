import {
  callBackComplainant,
  fileComplaint,
  investigateComplaint,
  listComplaints,
} from '../../../functions/domain/complaint-cases';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../functions/domain/errors';
import type { Technician } from '../../../functions/domain/policy';
import {
  getProperty,
  getTechnician,
  listProperties,
  listTechnicians,
  putProperty,
  putTechnician,
} from '../../../functions/domain/property-cases';
import { propertySchema } from '../../../functions/domain/schemas';
import type { Caller } from '../../../functions/domain/types';
import { book, cancel, getJob, listJobs, monthlyReport } from '../../../functions/domain/use-cases';
import { type FakePorts, fakePorts } from '../support/fakes';
import { AGENT, complaintIn, jobIn, MANAGER, rejectionOf } from '../support/fixtures';

// Staff limited to some properties (Caller.properties): what lies outside their scope does not
// exist for them (404) and is left unchanged; the directory's changes need company scope.

const A1_MANAGER = { ...MANAGER, sub: 'm-a1', properties: ['A1'] };
const B2_MANAGER = { ...MANAGER, sub: 'm-b2', properties: ['B2'] };
const BOTH = { ...MANAGER, sub: 'm-both', properties: ['A1', 'B2'] };
const A1_AGENT = { ...AGENT, properties: ['A1'] };

let p: FakePorts;
beforeEach(() => {
  p = fakePorts();
  p.store.jobs.set('job-b2', jobIn('booked', { jobId: 'job-b2', unitId: 'B2-1203' }));
  p.store.jobs.set('job-a1', jobIn('booked', { jobId: 'job-a1', unitId: 'A1-0101' }));
  p.complaints.items.set('c-b2', complaintIn('received', { complaintId: 'c-b2', unitId: 'B2-1203' }));
});

describe('jobs', () => {
  it("answers another property's job with 404 to a limited manager, and cancels nothing", async () => {
    expect(await rejectionOf(getJob(p, A1_MANAGER, 'job-b2'))).toEqual(new NotFoundError('No such job'));
    expect(await rejectionOf(cancel(p, A1_MANAGER, 'job-b2', 'no'))).toBeInstanceOf(NotFoundError);
    expect(p.store.jobs.get('job-b2')?.status).toBe('booked');
  });

  it("lets a limited manager act on their own property's job", async () => {
    expect((await cancel(p, B2_MANAGER, 'job-b2', 'duplicate')).status).toBe('cancelled');
  });

  it("lists only the caller's properties, or the one asked for among them", async () => {
    const ids = async (caller: Caller, property?: string) =>
      (await listJobs(p, caller, { limit: 20, property })).items.map((j) => j.jobId).sort();

    expect(await ids(A1_MANAGER)).toEqual(['job-a1']);
    expect(await ids(BOTH)).toEqual(['job-a1', 'job-b2']);
    expect(await ids(BOTH, 'B2')).toEqual(['job-b2']);
    expect(await ids(MANAGER, 'A1')).toEqual(['job-a1']);
    expect(p.store.lastFilter?.properties).toEqual(['A1']);
  });

  it('answers a listing of a property outside the scope with 404', async () => {
    expect(await rejectionOf(listJobs(p, A1_MANAGER, { limit: 20, property: 'B2' }))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it("refuses an agent's booking for a unit of another property with 404, booking nothing", async () => {
    const e = await rejectionOf(
      book(p, A1_AGENT, {
        unitId: 'B2-0901',
        category: 'plumbing',
        description: 'Leak',
        priority: 'urgent',
        contactPhone: '+8613800138000',
        locale: 'en',
        residentId: 'r-9',
      }),
    );

    expect(e).toEqual(new NotFoundError('No such unit'));
    expect(p.store.jobs.size).toBe(2);
  });
});

describe('complaints', () => {
  const investigation = { findings: 'f', cause: 'c', handler: 'h', result: 'r' };

  it("answers another property's complaint with 404 to each handling action, and changes nothing", async () => {
    expect(await rejectionOf(investigateComplaint(p, A1_AGENT, 'c-b2', investigation))).toEqual(
      new NotFoundError('No such complaint'),
    );
    expect(await rejectionOf(callBackComplainant(p, A1_AGENT, 'c-b2', { reached: false }))).toBeInstanceOf(
      NotFoundError,
    );
    expect(p.complaints.items.get('c-b2')?.status).toBe('received');
  });

  it("refuses a limited agent's complaint about another property's unit or job with 404", async () => {
    const about = { category: 'quality' as const, description: 'Bad', residentId: 'r-9' };

    expect(await rejectionOf(fileComplaint(p, A1_AGENT, { ...about, unitId: 'B2-1203' }))).toEqual(
      new NotFoundError('No such unit'),
    );
    expect(await rejectionOf(fileComplaint(p, A1_AGENT, { ...about, jobId: 'job-b2' }))).toBeInstanceOf(
      NotFoundError,
    );
    expect(p.complaints.items.size).toBe(1);
  });

  it("lists only the caller's properties' complaints", async () => {
    expect((await listComplaints(p, A1_AGENT, { limit: 20 })).items).toEqual([]);
    expect((await listComplaints(p, B2_MANAGER, { limit: 20 })).items.map((c) => c.complaintId)).toEqual([
      'c-b2',
    ]);
  });
});

describe('reports', () => {
  it('reports the one property of a manager limited to it when none is named', async () => {
    expect((await monthlyReport(p, B2_MANAGER, { month: '2026-11' })).property).toBe('B2');
    expect((await monthlyReport(p, MANAGER, { month: '2026-11' })).property).toBeNull();
  });

  it('answers a property outside the scope with 404', async () => {
    expect(await rejectionOf(monthlyReport(p, A1_MANAGER, { month: '2026-11', property: 'B2' }))).toEqual(
      new NotFoundError('No such property'),
    );
  });

  it('asks a manager limited to several properties to name one (400 on property)', async () => {
    const e = await rejectionOf(monthlyReport(p, BOTH, { month: '2026-11' }));

    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).errors).toEqual([{ path: 'property', message: 'required: one of A1, B2' }]);
    expect((await monthlyReport(p, BOTH, { month: '2026-11', property: 'A1' })).property).toBe('A1');
  });
});

describe('the directory', () => {
  const settings = propertySchema.parse({ name: 'Harbour View' });
  const tech = (technicianId: string, properties: string[]): Technician => ({
    technicianId,
    name: technicianId,
    skills: ['plumbing'],
    properties,
    onDuty: true,
    maxOpenJobs: 3,
  });

  beforeEach(async () => {
    await p.directory.saveProperty('A1', settings);
    await p.directory.saveProperty('B2', settings);
    await p.directory.saveTechnician(tech('t-a1', ['A1']));
    await p.directory.saveTechnician(tech('t-both', ['A1', 'B2']));
  });

  it('lets only company scope change a property (403), and a limited manager read their own only', async () => {
    expect(await rejectionOf(putProperty(p, B2_MANAGER, 'B2', settings))).toBeInstanceOf(ForbiddenError);
    expect((await getProperty(p, B2_MANAGER, 'B2')).propertyId).toBe('B2');
    expect(await rejectionOf(getProperty(p, B2_MANAGER, 'A1'))).toBeInstanceOf(NotFoundError);
    expect((await listProperties(p, B2_MANAGER)).items.map((x) => x.propertyId)).toEqual(['B2']);
  });

  it('shows a limited manager the technicians who work at one of their properties', async () => {
    expect((await listTechnicians(p, B2_MANAGER)).items.map((t) => t.technicianId)).toEqual(['t-both']);
    expect((await getTechnician(p, B2_MANAGER, 't-both')).technicianId).toBe('t-both');
    expect(await rejectionOf(getTechnician(p, B2_MANAGER, 't-a1'))).toBeInstanceOf(NotFoundError);
    expect(await rejectionOf(listTechnicians(p, B2_MANAGER, 'A1'))).toBeInstanceOf(NotFoundError);
  });

  it('lets a limited manager change only technicians who work at their properties alone, before and after', async () => {
    expect(await rejectionOf(putTechnician(p, B2_MANAGER, tech('t-both', ['B2'])))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(await rejectionOf(putTechnician(p, B2_MANAGER, tech('t-new', ['A1', 'B2'])))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(p.directory.technicianItems.get('t-both')?.properties).toEqual(['A1', 'B2']);
    expect(p.directory.technicianItems.has('t-new')).toBe(false);

    await putTechnician(p, B2_MANAGER, tech('t-b2', ['B2']));
    await putTechnician(p, BOTH, tech('t-both', ['B2']));

    expect(p.directory.technicianItems.get('t-b2')?.properties).toEqual(['B2']);
    expect(p.directory.technicianItems.get('t-both')?.properties).toEqual(['B2']);
  });
});
