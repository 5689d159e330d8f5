import { useEffect, useState } from 'preact/hooks';
import type { PropertyPolicy } from '../../client/api-client';
import { DISPATCH_MODES } from '../../functions/domain/policy';
import type { Locale } from '../../functions/domain/types';
import { api, problemText, useLive } from '../shared/api';
import { errorAt, errorsOf, type FieldError, unplaced } from '../shared/field-errors';
import { Field, FieldMessage, TextField } from '../shared/fields';
import { FormEnd } from '../shared/frame';
import type { Session } from '../shared/session';
import {
  bodyOf,
  formOf,
  HOLIDAY_PRESETS,
  type PropertyForm,
  SLA_FIELDS,
  toggleDay,
  withDate,
  withPreset,
} from './property-form';
import type { W } from './words';

// Property settings (`#/properties`, `#/properties/<code>`, managers): the configured
// properties, a code typed for one nobody configured yet, and one property's form — its
// calendar, dispatch mode, S1 waiver and SLA numbers — saved with PUT, the server's word on
// each field beside it. A property nobody configured shows the defaults it runs on.

type Props = { session: Session; locale: Locale; w: W };

export function Properties({ session, locale, w, propertyId }: Props & { propertyId?: string }) {
  return (
    <div class="layout">
      {propertyId ? (
        <PropertyEditor key={propertyId} session={session} locale={locale} w={w} propertyId={propertyId} />
      ) : (
        <p class="card">{w.propertyCodeHint}</p>
      )}
      <PropertyList session={session} w={w} current={propertyId} />
    </div>
  );
}

const propertyHref = (id: string) => `#/properties/${encodeURIComponent(id)}`;

/** The configured properties (company scope) or the caller's own, and a code to open another. */
function PropertyList({ session, w, current }: { session: Session; w: W; current?: string }) {
  const scope = session.properties;
  const live = useLive<{ items: PropertyPolicy[] }>(session.token, '/properties', 5000);
  const configured = (live.data?.items ?? []).filter((p) => !scope || scope.includes(p.propertyId));
  const names = new Map(configured.map((p) => [p.propertyId, p.name]));
  const codes = scope ? [...scope].sort() : configured.map((p) => p.propertyId);
  const [code, setCode] = useState('');
  const open = (e: Event) => {
    e.preventDefault();
    if (code.trim()) location.hash = propertyHref(code.trim());
  };
  return (
    <aside class="card" aria-labelledby="properties-list-title">
      <h2 id="properties-list-title">{w.configuredProperties}</h2>
      {live.error && (
        <p class="error" role="status">
          {live.error}
        </p>
      )}
      {live.data && !codes.length && <p class="muted">{w.noProperties}</p>}
      <ul class="plain">
        {codes.map((id) => (
          <li key={id} data-property={id}>
            <a href={propertyHref(id)} aria-current={id === current ? 'page' : undefined}>
              {id}
            </a>{' '}
            {names.has(id) ? (
              <span class="muted">{names.get(id)}</span>
            ) : (
              <span class="badge">{w.defaultsBadge}</span>
            )}
          </li>
        ))}
      </ul>
      {/* A scoped manager's token names their properties; only company scope types another. */}
      {!scope && (
        <form class="other-property" onSubmit={open} aria-labelledby="other-property-title">
          <h3 id="other-property-title">{w.otherProperty}</h3>
          <label for="p-code">{w.propertyCode}</label>
          <input
            id="p-code"
            maxLength={32}
            autocomplete="off"
            aria-describedby="p-code-hint"
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
          <p id="p-code-hint" class="muted">
            {w.propertyCodeHint}
          </p>
          <button type="submit">{w.openProperty}</button>
        </form>
      )}
    </aside>
  );
}

const FIELDS = [
  'name',
  'timeZone',
  'quickFixWaiver',
  'dispatch',
  'businessHours',
  'workdays',
  'holidays',
  'extraWorkdays',
  'sla',
];

/** One property's settings: read once (a form is not refreshed under the manager's hands), saved with PUT. */
function PropertyEditor({ session, locale, w, propertyId }: Props & { propertyId: string }) {
  const [policy, setPolicy] = useState<PropertyPolicy | null>(null);
  const [form, setForm] = useState<PropertyForm | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    api.getProperty(session.token, propertyId).then(
      (reply) => {
        if (!reply.ok) return setLoadError(problemText(reply));
        setPolicy(reply.body);
        setForm(formOf(reply.body));
      },
      () => setLoadError(w.network),
    );
  }, [session.token, propertyId]);
  if (!form || !policy) return <p class="card">{loadError ?? w.loading}</p>;
  const set = (change: Partial<PropertyForm>) => {
    setSaved(false);
    setForm((f) => (f ? { ...f, ...change } : f));
  };
  const at = (field: string) => errorAt(errors, field);
  const submit = async (e: Event) => {
    e.preventDefault();
    const reply = await api.putProperty(session.token, propertyId, bodyOf(form)).catch(() => null);
    if (!reply) return setError(w.network);
    if (!reply.ok) {
      const fields = errorsOf(reply);
      setErrors(fields);
      return setError(fields.length ? unplaced(fields, FIELDS) || null : problemText(reply));
    }
    setErrors([]);
    setError(null);
    setPolicy(reply.body);
    setForm(formOf(reply.body));
    setSaved(true);
  };
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  return (
    <form
      class="card"
      onSubmit={submit}
      aria-labelledby="property-title"
      data-property={propertyId}
      data-configured={String(policy.configured)}
    >
      <h2 id="property-title">
        {w.propertiesTitle}: {propertyId}{' '}
        <span class="badge">{policy.configured ? w.configuredBadge : w.defaultsBadge}</span>
      </h2>
      {!policy.configured && (
        <p class="notice" data-testid="unconfigured">
          {w.unconfigured}
        </p>
      )}
      {saved && (
        <p class="notice" role="status">
          {w.propertySaved.replace('{id}', propertyId)}
        </p>
      )}
      <TextField
        id="p-name"
        label={w.propertyName}
        error={at('name')}
        value={form.name}
        onValue={(v) => set({ name: v })}
        required
        maxLength={100}
      />
      <Field id="p-zone" label={w.timeZone} error={at('timeZone')}>
        {(aria) => (
          <>
            <input
              id="p-zone"
              list="p-zones"
              autocomplete="off"
              value={form.timeZone}
              onInput={(e) => set({ timeZone: e.currentTarget.value })}
              {...aria}
            />
            <datalist id="p-zones">
              {Intl.supportedValuesOf('timeZone').map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <label class="inline">
        <input
          type="checkbox"
          checked={form.quickFixWaiver}
          onChange={() => set({ quickFixWaiver: !form.quickFixWaiver })}
        />
        {w.quickFixWaiver}
      </label>
      <fieldset>
        <legend>{w.dispatchMode}</legend>
        <div class="choices">
          {DISPATCH_MODES.map((m) => (
            <label key={m}>
              <input
                type="radio"
                name="p-dispatch"
                value={m}
                checked={form.dispatch === m}
                onChange={() => set({ dispatch: m })}
              />
              {m === 'grab' ? w.dispatchGrab : w.dispatchAssign}
            </label>
          ))}
        </div>
        <FieldMessage id="p-dispatch-error" message={at('dispatch')} />
      </fieldset>
      <fieldset>
        <legend>{w.businessHours}</legend>
        <div class="row">
          <TextField
            id="p-opens"
            label={w.opens}
            error={at('businessHours.start')}
            value={form.start}
            onValue={(v) => set({ start: v })}
            type="time"
          />
          <TextField
            id="p-closes"
            label={w.closes}
            error={at('businessHours.end')}
            value={form.end}
            onValue={(v) => set({ end: v })}
            type="time"
          />
        </div>
      </fieldset>
      <fieldset aria-describedby={at('workdays') ? 'p-workdays-error' : undefined}>
        <legend>{w.workdays}</legend>
        <div class="choices">
          {[1, 2, 3, 4, 5, 6, 7].map((d) => (
            <label key={d}>
              <input
                type="checkbox"
                name="p-workdays"
                value={d}
                checked={form.workdays.includes(d)}
                onChange={() => set({ workdays: toggleDay(form.workdays, d) })}
              />
              {/* 2024-01-01 was a Monday: day d of that week is ISO weekday d. */}
              {weekday.format(new Date(Date.UTC(2024, 0, d)))}
            </label>
          ))}
        </div>
        <FieldMessage id="p-workdays-error" message={at('workdays')} />
      </fieldset>
      {HOLIDAY_PRESETS.length > 0 && <PresetPicker w={w} onLoad={(p) => set(withPreset(form, p))} />}
      <DateList
        id="p-holidays"
        legend={w.holidays}
        dates={form.holidays}
        onChange={(holidays) => set({ holidays })}
        error={at('holidays')}
        weekday={weekday}
        w={w}
      />
      <DateList
        id="p-extra"
        legend={w.extraWorkdays}
        dates={form.extraWorkdays}
        onChange={(extraWorkdays) => set({ extraWorkdays })}
        error={at('extraWorkdays')}
        weekday={weekday}
        w={w}
      />
      <fieldset>
        <legend>{w.slaTitle}</legend>
        {SLA_FIELDS.map((k) => (
          <Field key={k} id={`p-${k}`} label={w[k]} error={at(`sla.${k}`)}>
            {(aria) => (
              <input
                id={`p-${k}`}
                type="number"
                inputMode="numeric"
                value={form[k]}
                onInput={(e) => set({ [k]: e.currentTarget.value })}
                {...aria}
              />
            )}
          </Field>
        ))}
      </fieldset>
      <FormEnd error={error} label={w.saveProperty} />
    </form>
  );
}

/** A list of local dates: each with its weekday and a remove button, and a date to add. */
function DateList(p: {
  id: string;
  legend: string;
  dates: string[];
  onChange: (dates: string[]) => void;
  error: string | undefined;
  weekday: Intl.DateTimeFormat;
  w: W;
}) {
  const { w } = p;
  const [date, setDate] = useState('');
  const add = () => {
    if (!date) return;
    p.onChange(withDate(p.dates, date));
    setDate('');
  };
  const errorId = `${p.id}-error`;
  return (
    <fieldset data-dates={p.id} aria-describedby={p.error ? errorId : undefined}>
      <legend>
        {p.legend} <span class="muted">{w.datesCount.replace('{n}', String(p.dates.length))}</span>
      </legend>
      {!p.dates.length && <p class="muted">{w.noDates}</p>}
      <ul class="plain dates">
        {p.dates.map((d) => (
          <li key={d} data-date={d}>
            <span>
              {d} <span class="muted">{p.weekday.format(new Date(`${d}T00:00:00Z`))}</span>
            </span>{' '}
            <button
              type="button"
              class="secondary"
              aria-label={w.removeDate.replace('{date}', d)}
              onClick={() => p.onChange(p.dates.filter((x) => x !== d))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <FieldMessage id={errorId} message={p.error} />
      <div class="row">
        <label class="sr-only" for={`${p.id}-new`}>
          {p.legend}
        </label>
        <input
          id={`${p.id}-new`}
          type="date"
          class="date"
          value={date}
          onInput={(e) => setDate(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter adds the date instead of saving the whole form.
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" class="secondary" onClick={add}>
          {w.addDate}
          <span class="sr-only"> {p.legend}</span>
        </button>
      </div>
    </fieldset>
  );
}

/** Shown once HOLIDAY_PRESETS has presets (see property-form.ts): adds a year's dates to the lists. */
function PresetPicker({ w, onLoad }: { w: W; onLoad: (p: (typeof HOLIDAY_PRESETS)[number]) => void }) {
  const [id, setId] = useState(HOLIDAY_PRESETS[0]?.id ?? '');
  const preset = HOLIDAY_PRESETS.find((p) => p.id === id);
  return (
    <div class="row">
      <div>
        <label for="p-preset">{w.loadPreset}</label>
        <select id="p-preset" value={id} onChange={(e) => setId(e.currentTarget.value)}>
          {HOLIDAY_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <button type="button" class="secondary" disabled={!preset} onClick={() => preset && onLoad(preset)}>
        {w.loadPresetButton}
      </button>
    </div>
  );
}
