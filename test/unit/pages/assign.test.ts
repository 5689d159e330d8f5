import type { Technician } from '../../../client/api-client';
import { candidatesFor, openJobsByTechnician } from '../../../pages/console/assign';

// The assign picker (phase 2) offers the technicians who could accept the job first: on duty,
// skilled in its category, working at its property, below their max open jobs.

const tech = (id: string, name: string, t: Partial<Technician> = {}): Technician => ({
  technicianId: id,
  name,
  skills: ['plumbing'],
  properties: ['B2'],
  onDuty: true,
  maxOpenJobs: 3,
  ...t,
});
const JOB = { category: 'plumbing' as const, property: 'B2' };

test('on-duty skilled technicians of the property come first, then on duty, then skilled', () => {
  const roster = [
    tech('t-off', 'Ai', { onDuty: false }),
    tech('t-elec', 'Bo', { skills: ['electrical'] }),
    tech('t-fit', 'Zhou'),
    tech('t-off-elec', 'Chen', { onDuty: false, skills: ['electrical'] }),
  ];

  const order = candidatesFor(roster, JOB).map((c) => c.technician.technicianId);

  expect(order).toEqual(['t-fit', 't-elec', 't-off', 't-off-elec']);
});

test('a technician at their max open jobs is not a fit and follows those who are', () => {
  const roster = [tech('t-full', 'Ai', { maxOpenJobs: 1 }), tech('t-free', 'Bo')];

  const candidates = candidatesFor(roster, JOB, { 't-full': 1 });

  expect(candidates.map((c) => [c.technician.technicianId, c.fit, c.full])).toEqual([
    ['t-free', true, false],
    ['t-full', false, true],
  ]);
});

test('fit technicians are in name order', () => {
  const order = candidatesFor([tech('t-2', 'Zhou'), tech('t-1', 'Li')], JOB).map((c) => c.technician.name);

  expect(order).toEqual(['Li', 'Zhou']);
});

test("open jobs are counted per technician from the board's jobs", () => {
  const jobs = [{ technician: { id: 't-1' } }, { technician: null }, { technician: { id: 't-1' } }];

  expect(openJobsByTechnician(jobs)).toEqual({ 't-1': 2 });
});
