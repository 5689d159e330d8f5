import { useEffect, useState } from 'preact/hooks';
import type { JobView, Technician } from '../../client/api-client';
import { api, problemText } from '../shared/api';
import type { Session } from '../shared/session';
import { AssignPicker } from './assign-picker';
import type { W } from './words';

// The board's dispatch control (POST /jobs/{jobId}/assign) for a booked job: a manager picks from
// the roster of the job's property; an agent, who may assign but may not read the roster (403),
// types the technician's id. The server's roster rules decide; a refusal (409) is shown as it
// words it, and the offer shows in the row once the board's next poll has it.

export type Rosters = Readonly<Record<string, readonly Technician[]>>;

/** The roster of each property on the board, asked once per property (managers only). */
export function useRosters(session: Session, properties: readonly string[]): Rosters {
  const [rosters, setRosters] = useState<Record<string, readonly Technician[]>>({});
  const [asked] = useState(() => new Set<string>());
  const key = [...properties].sort().join(',');
  useEffect(() => {
    if (session.role !== 'manager') return;
    for (const property of key ? key.split(',') : []) {
      if (asked.has(property)) continue;
      asked.add(property);
      void api
        .listTechnicians(session.token, { property })
        .then((reply) => {
          if (reply.ok) setRosters((r) => ({ ...r, [property]: reply.body.items }));
          else asked.delete(property);
        })
        .catch(() => asked.delete(property));
    }
  }, [session.token, session.role, key, asked]);
  return rosters;
}

export function AssignControl(p: {
  job: JobView;
  session: Session;
  roster: readonly Technician[] | undefined;
  openJobs: Readonly<Record<string, number>>;
  onAssigned: () => void;
  w: W;
}) {
  const { job, session, w } = p;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const offered = job.offer ? { id: job.offer.technicianId } : null;
  const submit = async (technicianId: string) => {
    setBusy(true);
    const reply = await api.assignJob(session.token, job.jobId, { technicianId }).catch(() => null);
    setBusy(false);
    if (!reply?.ok) return setError(reply ? problemText(reply) : w.network);
    setError(null);
    p.onAssigned();
  };
  const picker =
    session.role === 'manager' ? (
      p.roster && (
        <AssignPicker
          job={{ ...job, technician: offered }}
          technicians={p.roster}
          openJobs={p.openJobs}
          onAssign={(id) => void submit(id)}
          w={w}
        />
      )
    ) : (
      <TechnicianIdForm jobId={job.jobId} reassign={Boolean(offered)} busy={busy} onAssign={submit} w={w} />
    );
  return (
    <div>
      {picker}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** An agent's control: the technician's id, as the roster (which agents cannot read) names them. */
function TechnicianIdForm(p: {
  jobId: string;
  reassign: boolean;
  busy: boolean;
  onAssign: (technicianId: string) => void;
  w: W;
}) {
  const { w } = p;
  const [value, setValue] = useState('');
  const id = `assign-id-${p.jobId}`;
  return (
    <form
      class="row"
      data-assign={p.jobId}
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) p.onAssign(value.trim());
      }}
    >
      <label class="sr-only" for={id}>
        {`${p.reassign ? w.reassignTo : w.assignTo} (${w.technicianId})`}
      </label>
      <input id={id} value={value} onInput={(e) => setValue(e.currentTarget.value)} required />
      <button type="submit" disabled={p.busy || !value.trim()}>
        {p.reassign ? w.reassign : w.assign}
      </button>
    </form>
  );
}
