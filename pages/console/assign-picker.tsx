import { useState } from 'preact/hooks';
import type { Technician } from '../../client/api-client';
import type { Category } from '../../functions/domain/types';
import { candidatesFor } from './assign';
import type { W } from './words';

// Phase 2 (assign dispatch, POST /jobs/{jobId}/assign {technicianId}): the technician picker of
// a board row. It takes the roster of the job's property in (GET /technicians?property=…) and
// hands the choice out (onAssign); it calls nothing itself, so the board wires it once the
// endpoint exists (board.tsx wires it through assign-control.tsx).

export function AssignPicker(p: {
  job: { jobId: string; category: Category; property: string; technician?: { id: string } | null };
  technicians: readonly Technician[];
  openJobs?: Readonly<Record<string, number>>;
  onAssign: (technicianId: string) => void;
  w: W;
}) {
  const { w, job } = p;
  const candidates = candidatesFor(p.technicians, job, p.openJobs).filter(
    (c) => c.technician.technicianId !== job.technician?.id,
  );
  const [chosen, setChosen] = useState(candidates[0]?.technician.technicianId ?? '');
  const reassign = Boolean(job.technician);
  const id = `assign-${job.jobId}`;
  const notes = (c: (typeof candidates)[number]) =>
    [
      !c.onDuty && w.notOnDuty,
      !c.skilled && w.lacksSkill,
      !c.worksHere && w.worksElsewhere,
      c.full && w.atCapacity,
    ].filter(Boolean);
  return (
    <form
      class="row"
      data-assign={job.jobId}
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) p.onAssign(chosen);
      }}
    >
      <label class="sr-only" for={id}>
        {reassign ? w.reassignTo : w.assignTo}
      </label>
      <select id={id} value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
        {candidates.map((c) => (
          <option key={c.technician.technicianId} value={c.technician.technicianId} data-fit={String(c.fit)}>
            {c.technician.name}
            {notes(c).length ? ` (${notes(c).join(', ')})` : ''}
          </option>
        ))}
      </select>
      <button type="submit" disabled={!chosen}>
        {reassign ? w.reassign : w.assign}
      </button>
    </form>
  );
}
