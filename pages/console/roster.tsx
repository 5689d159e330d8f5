import { useEffect, useState } from 'preact/hooks';
import type { Technician } from '../../client/api-client';
import { DEFAULT_MAX_OPEN_JOBS } from '../../functions/domain/policy';
import { CATEGORIES, type Locale } from '../../functions/domain/types';
import { api, problemText, useLive } from '../shared/api';
import { errorAt, errorsOf, type FieldError, unplaced } from '../shared/field-errors';
import { FieldMessage, TextField } from '../shared/fields';
import { FormEnd } from '../shared/frame';
import { categoryLabel } from '../shared/i18n';
import type { Session } from '../shared/session';
import { PropertyFilter } from './property-filter';
import {
  flippedDuty,
  formOfTechnician,
  newTechnician,
  type TechnicianForm,
  technicianBodyOf,
} from './roster-form';
import type { W } from './words';

// The managers' roster (`#/roster`): the technicians of a property or of every property, each
// one's on-duty switch (a dispatcher flips it at shift change: one tap, saved at once), and the
// form that adds a technician or changes one, with the server's word on each field.

type Props = { session: Session; locale: Locale; w: W };

export function Roster({ session, locale, w }: Props) {
  const [property, setProperty] = useState('');
  const path = property ? `/technicians?${new URLSearchParams({ property })}` : '/technicians';
  const live = useLive<{ items: Technician[] }>(session.token, path, 5000);
  const scope = session.properties;
  const shown = (live.data?.items ?? []).filter((t) => !scope || t.properties.some((p) => scope.includes(p)));
  const [editing, setEditing] = useState<Technician | null>(null);
  const [saved, setSaved] = useState<Technician | null>(null);
  return (
    <div class="layout">
      <section class="card" aria-labelledby="roster-title">
        <h2 id="roster-title">
          {w.roster} ({shown.length})
        </h2>
        <div class="row">
          <PropertyFilter id="t-property" session={session} value={property} onChange={setProperty} w={w} />
        </div>
        {live.error && (
          <p class="error" role="status">
            {live.error}
          </p>
        )}
        {!live.data && !live.error && <p class="muted">{w.loading}</p>}
        {live.data && !shown.length && <p>{w.noTechnicians}</p>}
        {shown.length > 0 && (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{w.technician}</th>
                  <th scope="col">{w.skills}</th>
                  <th scope="col">{w.workProperties}</th>
                  <th scope="col">{w.onDuty}</th>
                  <th scope="col">{w.maxOpenJobs}</th>
                  <th scope="col">{w.actions}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((t) => (
                  <tr key={t.technicianId} data-technician={t.technicianId}>
                    <td>
                      {t.name} <span class="muted">{t.technicianId}</span>
                    </td>
                    <td>{t.skills.map((s) => categoryLabel(locale, s)).join(', ')}</td>
                    <td>{t.properties.join(', ')}</td>
                    <td>
                      <DutySwitch session={session} technician={t} w={w} onSaved={live.refresh} />
                    </td>
                    <td>{t.maxOpenJobs}</td>
                    <td>
                      <button type="button" class="secondary" onClick={() => setEditing(t)}>
                        {w.editAction}
                        <span class="sr-only"> {t.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <TechnicianEditor
        // Not keyed by the filter: typing in it must not wipe a form half filled in.
        key={editing?.technicianId ?? 'new'}
        session={session}
        locale={locale}
        w={w}
        technician={editing}
        property={property || (scope?.length === 1 ? (scope[0] ?? '') : '')}
        saved={saved}
        onNew={() => setEditing(null)}
        onSaved={(t) => {
          setSaved(t);
          setEditing(t);
          live.refresh();
        }}
      />
    </div>
  );
}

/** On duty, saved as soon as it is flipped; it shows the new state while the save is on its way. */
function DutySwitch(p: { session: Session; technician: Technician; w: W; onSaved: () => void }) {
  const { technician: t, w } = p;
  const [pending, setPending] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The listing caught up (or someone else flipped it): show what the server has.
  useEffect(() => setPending(null), [t.onDuty]);
  const flip = async () => {
    setPending(!t.onDuty);
    const reply = await api.putTechnician(p.session.token, t.technicianId, flippedDuty(t)).catch(() => null);
    if (!reply?.ok) {
      setPending(null);
      return setError(reply ? problemText(reply) : w.network);
    }
    setError(null);
    p.onSaved();
  };
  const on = pending ?? t.onDuty;
  const id = `duty-${t.technicianId}`;
  return (
    <>
      <label class="switch" for={id}>
        <input
          id={id}
          type="checkbox"
          role="switch"
          aria-checked={on}
          checked={on}
          disabled={pending !== null}
          aria-label={w.dutyOf.replace('{name}', t.name)}
          onChange={flip}
        />
        <span aria-hidden="true">{on ? w.onDuty : w.offDuty}</span>
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

const FIELDS = ['technicianId', 'name', 'skills', 'properties', 'onDuty', 'maxOpenJobs'];

/** Adds a technician (a new id) or changes the one being edited. */
function TechnicianEditor(p: {
  session: Session;
  locale: Locale;
  w: W;
  technician: Technician | null;
  property: string;
  saved: Technician | null;
  onNew: () => void;
  onSaved: (t: Technician) => void;
}) {
  const { w, locale, technician } = p;
  const isNew = technician === null;
  const [form, setForm] = useState<TechnicianForm>(() =>
    technician ? formOfTechnician(technician) : newTechnician(p.property, DEFAULT_MAX_OPEN_JOBS),
  );
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const set = (change: Partial<TechnicianForm>) => setForm((f) => ({ ...f, ...change }));
  const at = (field: string) => errorAt(errors, field);
  const submit = async (e: Event) => {
    e.preventDefault();
    const id = form.technicianId.trim();
    // PUT would replace a technician already on the roster: adding one asks first.
    if (isNew && id) {
      const existing = await api.getTechnician(p.session.token, id).catch(() => null);
      if (existing?.ok) return setError(w.alreadyOnRoster.replace('{id}', id));
    }
    const reply = await api.putTechnician(p.session.token, id, technicianBodyOf(form)).catch(() => null);
    if (!reply) return setError(w.network);
    if (!reply.ok) {
      const fields = errorsOf(reply);
      setErrors(fields);
      return setError(fields.length ? unplaced(fields, FIELDS) || null : problemText(reply));
    }
    setErrors([]);
    setError(null);
    p.onSaved(reply.body);
  };
  const title = isNew ? w.addTechnician : w.editTechnician.replace('{name}', technician.name);
  return (
    <form class="card" onSubmit={submit} aria-labelledby="technician-title" data-testid="technician-form">
      <h2 id="technician-title">{title}</h2>
      {p.saved && p.saved.technicianId === technician?.technicianId && (
        <p class="notice" role="status">
          {w.technicianSaved.replace('{name}', p.saved.name)}
        </p>
      )}
      {!isNew && (
        <p>
          <button type="button" class="secondary" onClick={p.onNew}>
            {w.newTechnician}
          </button>
        </p>
      )}
      <TextField
        id="t-id"
        label={w.technicianId}
        error={at('technicianId')}
        value={form.technicianId}
        onValue={(v) => set({ technicianId: v })}
        required
        maxLength={64}
        readOnly={!isNew}
      />
      <TextField
        id="t-name"
        label={w.name}
        error={at('name')}
        value={form.name}
        onValue={(v) => set({ name: v })}
        required
        maxLength={100}
      />
      <fieldset aria-describedby={at('skills') ? 't-skills-error' : undefined}>
        <legend>{w.skills}</legend>
        <div class="choices">
          {CATEGORIES.map((c) => (
            <label key={c}>
              <input
                type="checkbox"
                name="t-skills"
                value={c}
                checked={form.skills.includes(c)}
                onChange={() =>
                  set({
                    skills: form.skills.includes(c)
                      ? form.skills.filter((s) => s !== c)
                      : [...form.skills, c],
                  })
                }
              />
              {categoryLabel(locale, c)}
            </label>
          ))}
        </div>
        <FieldMessage id="t-skills-error" message={at('skills')} />
      </fieldset>
      <TextField
        id="t-properties"
        label={w.workProperties}
        error={at('properties')}
        value={form.properties}
        onValue={(v) => set({ properties: v })}
        placeholder={w.workPropertiesHint}
      />
      <label class="inline">
        <input type="checkbox" checked={form.onDuty} onChange={() => set({ onDuty: !form.onDuty })} />
        {w.onDuty}
      </label>
      <TextField
        id="t-max"
        label={w.maxOpenJobs}
        error={at('maxOpenJobs')}
        value={form.maxOpenJobs}
        onValue={(v) => set({ maxOpenJobs: v })}
        type="number"
        inputMode="numeric"
      />
      <FormEnd error={error} label={w.saveTechnician} />
    </form>
  );
}
