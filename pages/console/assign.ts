import type { Technician } from '../../client/api-client';
import type { Category } from '../../functions/domain/types';

// Who to offer a job to (assign dispatch, phase 2): the technicians of the job's property, the
// ones who could accept it first. The server's acceptance rules decide (off duty, lacking the
// category, working elsewhere, at maxOpenJobs: 403); the picker only orders and labels.

export interface Candidate {
  technician: Technician;
  onDuty: boolean;
  skilled: boolean;
  worksHere: boolean;
  /** At maxOpenJobs open jobs (of those the caller can see). */
  full: boolean;
  /** All four rules allow it to accept. */
  fit: boolean;
}

export function candidatesFor(
  technicians: readonly Technician[],
  job: { category: Category; property: string },
  openJobs: Readonly<Record<string, number>> = {},
): Candidate[] {
  const candidates = technicians.map((t) => {
    const onDuty = t.onDuty;
    const skilled = t.skills.includes(job.category);
    const worksHere = t.properties.includes(job.property);
    const full = (openJobs[t.technicianId] ?? 0) >= t.maxOpenJobs;
    return { technician: t, onDuty, skilled, worksHere, full, fit: onDuty && skilled && worksHere && !full };
  });
  // Fit first; then on duty and skilled before either alone; then by name.
  const score = (c: Candidate) =>
    (c.fit ? 8 : 0) + (c.onDuty ? 4 : 0) + (c.skilled ? 2 : 0) + (c.full ? 0 : 1);
  return candidates.sort((a, b) => score(b) - score(a) || a.technician.name.localeCompare(b.technician.name));
}

/** Open jobs per technician, from the jobs the board holds. */
export function openJobsByTechnician(jobs: ReadonlyArray<{ technician?: { id: string } | null }>) {
  const counts: Record<string, number> = {};
  for (const j of jobs) if (j.technician) counts[j.technician.id] = (counts[j.technician.id] ?? 0) + 1;
  return counts;
}
