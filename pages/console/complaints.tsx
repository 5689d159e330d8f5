import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { ComplaintList, ComplaintView, HistoryItem } from '../../client/api-client';
import { COMPLAINT_CATEGORIES, type ComplaintCategory, type Locale } from '../../functions/domain/types';
import { api, problemText, useLive } from '../shared/api';
import { FormEnd } from '../shared/frame';
import {
  COMPLAINT_CATEGORY_WORDS,
  COMPLAINT_STATUS_WORDS,
  companyTimeZone,
  formatTime,
} from '../shared/i18n';
import { shownUnder } from '../shared/scope';
import type { Session } from '../shared/session';
import { byComplaintDeadline, complaintDeadline, complaintMisses, countdown } from '../shared/sla';
import { localInputInstant } from '../shared/slots';
import { useNow } from './board';
import { HistoryList } from './job';
import { PropertyFilter } from './property-filter';
import { ALERT_WORDS, SOURCE_WORDS, type W } from './words';

// Complaints (S16, S17): the agents' queue of open complaints, the nearest deadline first,
// with the time left to it; a complaint taken by phone; and one complaint's detail with the
// step it waits for — the same-day investigation, then the callback within 3 days.

type Props = { session: Session; locale: Locale; w: W };

/** The queue (`#/complaints`), with the phone intake beside it. */
export function Complaints({ session, locale, w }: Props) {
  const [property, setProperty] = useState('');
  // One property is asked of the server; "all my properties" is the token's scope, which it applies.
  const live = useLive<ComplaintList>(
    session.token,
    `/complaints?open=true&limit=100${property ? `&property=${encodeURIComponent(property)}` : ''}`,
  );
  const now = useNow();
  const open = live.data?.items ?? [];
  const shown = open
    .filter((c) => shownUnder(session.properties, property, c.property))
    .sort(byComplaintDeadline(now));
  return (
    <div class="layout">
      <section class="card" aria-labelledby="complaints-title">
        <h2 id="complaints-title">
          {w.openComplaints} ({shown.length})
        </h2>
        <div class="row">
          <PropertyFilter
            id="q-property"
            session={session}
            value={property}
            onChange={setProperty}
            seen={[...new Set(open.map((c) => c.property))]}
            w={w}
          />
        </div>
        {live.error && (
          <p class="error" role="status">
            {w.network}
          </p>
        )}
        {!live.data && !live.error && <p class="muted">{w.loading}</p>}
        {live.data && !shown.length && <p>{w.noComplaints}</p>}
        {shown.length > 0 && (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{w.deadline}</th>
                  <th scope="col">{w.complaint}</th>
                  <th scope="col">{w.status}</th>
                  <th scope="col">{w.source}</th>
                  <th scope="col">{w.description}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => (
                  <ComplaintRow key={c.complaintId} complaint={c} now={now} locale={locale} w={w} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ComplaintIntake session={session} locale={locale} w={w} onFiled={live.refresh} />
    </div>
  );
}

function ComplaintRow({
  complaint: c,
  now,
  locale,
  w,
}: {
  complaint: ComplaintView;
  now: Date;
  locale: Locale;
  w: W;
}) {
  const d = complaintDeadline(c, now);
  const misses = complaintMisses(c, now);
  return (
    <tr data-complaint={c.complaintId} data-risk={d?.risk ?? 'none'} data-status={c.status}>
      <td class={`countdown risk-${d?.risk ?? 'ok'}`}>
        {d && (
          <>
            {d.kind === 'investigation' ? w.investigateBy : w.callBackBy}{' '}
            {d.risk === 'missed' ? w.missed : countdown(d.leftMs)}
          </>
        )}
      </td>
      <td>
        <a href={`#/complaints/${encodeURIComponent(c.complaintId)}`}>{c.unitId}</a>
        <div class="muted">
          {COMPLAINT_CATEGORY_WORDS[locale][c.category]} · {w.resident} {c.residentId}
        </div>
      </td>
      <td>
        {COMPLAINT_STATUS_WORDS[locale][c.status]}
        <MissBadges misses={misses} w={w} />
      </td>
      <td>{SOURCE_WORDS[locale][c.source]}</td>
      <td class="description">{c.description}</td>
    </tr>
  );
}

/** A badge for each deadline the complaint missed (inline: it sits in a cell or a line of text). */
function MissBadges({ misses, w }: { misses: Array<'investigation' | 'callback'>; w: W }) {
  return (
    <>
      {misses.map((m) => (
        <Fragment key={m}>
          {' '}
          <span class="badge risk-missed" data-missed={m}>
            {m === 'investigation' ? w.investigationMissed : w.complaintCallbackMissed}
          </span>
        </Fragment>
      ))}
    </>
  );
}

/** A complaint taken by phone for a resident: about one of their jobs, or their unit. */
function ComplaintIntake({ session, locale, w, onFiled }: Props & { onFiled: () => void }) {
  const empty = {
    residentId: '',
    jobId: '',
    unitId: '',
    contactPhone: '',
    category: 'quality' as ComplaintCategory,
    description: '',
    language: '' as '' | Locale,
  };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<string | null>(null);
  const [filed, setFiled] = useState<ComplaintView | null>(null);
  // One key per complaint: a retry after a lost answer records it once.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const set = (change: Partial<typeof form>) => setForm((f) => ({ ...f, ...change }));
  const submit = async (e: Event) => {
    e.preventDefault();
    const jobId = form.jobId.trim();
    const unitId = form.unitId.trim();
    const contactPhone = form.contactPhone.trim();
    if (!jobId && !unitId) return setError(w.jobOrUnit);
    const reply = await api
      .fileComplaint(
        session.token,
        {
          residentId: form.residentId.trim(),
          category: form.category,
          description: form.description,
          ...(jobId && { jobId }),
          ...(unitId && { unitId }),
          ...(contactPhone && { contactPhone }),
          ...(form.language && { locale: form.language }),
        },
        { idempotencyKey: key },
      )
      .catch(() => null);
    if (!reply) return setError(w.network);
    if (!reply.ok) return setError(problemText(reply));
    setError(null);
    setFiled(reply.body);
    setForm(empty);
    setKey(crypto.randomUUID());
    onFiled();
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="take-complaint">
      <h2 id="take-complaint">{w.takeComplaint}</h2>
      {filed && (
        <p class="notice" role="status">
          <a
            href={`#/complaints/${encodeURIComponent(filed.complaintId)}`}
            data-complaint={filed.complaintId}
          >
            {w.complaintFiled.replace('{id}', filed.complaintId)}
          </a>
        </p>
      )}
      <label for="c-resident">{w.residentId}</label>
      <input
        id="c-resident"
        required
        maxLength={128}
        value={form.residentId}
        onInput={(e) => set({ residentId: e.currentTarget.value })}
      />
      <label for="c-job">{w.complaintJob}</label>
      <input
        id="c-job"
        maxLength={64}
        value={form.jobId}
        onInput={(e) => set({ jobId: e.currentTarget.value })}
      />
      <label for="c-unit">{w.complaintUnit}</label>
      <input
        id="c-unit"
        maxLength={32}
        value={form.unitId}
        placeholder={w.unitHint}
        onInput={(e) => set({ unitId: e.currentTarget.value })}
      />
      <label for="c-phone">{w.contactPhone}</label>
      <input
        id="c-phone"
        type="tel"
        required={!form.jobId.trim()}
        value={form.contactPhone}
        placeholder="+8613800138000"
        onInput={(e) => set({ contactPhone: e.currentTarget.value })}
      />
      <label for="c-category">{w.category}</label>
      <select
        id="c-category"
        value={form.category}
        onChange={(e) => set({ category: e.currentTarget.value as ComplaintCategory })}
      >
        {COMPLAINT_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {COMPLAINT_CATEGORY_WORDS[locale][c]}
          </option>
        ))}
      </select>
      <label for="c-description">{w.description}</label>
      <textarea
        id="c-description"
        required
        maxLength={1000}
        value={form.description}
        onInput={(e) => set({ description: e.currentTarget.value })}
      />
      <label for="c-language">{w.residentLanguage}</label>
      <select
        id="c-language"
        value={form.language}
        onChange={(e) => set({ language: e.currentTarget.value as '' | Locale })}
      >
        <option value="">{w.languageDefault}</option>
        <option value="zh-CN" lang="zh-CN">
          中文
        </option>
        <option value="en" lang="en">
          English
        </option>
      </select>
      <FormEnd error={error} label={w.fileComplaint} />
    </form>
  );
}

/** One complaint (`#/complaints/<id>`): what it is, its deadlines, the step it waits for, its history. */
export function ComplaintDetail(p: Props & { complaintId: string }) {
  const { session, complaintId, locale, w } = p;
  const path = `/complaints/${encodeURIComponent(complaintId)}`;
  const live = useLive<ComplaintView>(session.token, path);
  const history = useLive<{ items: HistoryItem[] }>(session.token, `${path}/history`);
  const now = useNow();
  const c = live.data;
  if (!c) return <p class="card">{live.error ?? w.loading}</p>;
  const refresh = () => {
    live.refresh();
    history.refresh();
  };
  const inv = c.investigation && 'findings' in c.investigation ? c.investigation : null;
  const when = (iso: string | null) => (iso ? formatTime(iso, locale) : w.notYet);
  const kept = (met: boolean | null) =>
    met === null ? null : (
      <span class={`badge ${met ? 'risk-ok' : 'risk-missed'}`}>{met ? w.onTimeBadge : w.missed}</span>
    );
  return (
    <div class="layout">
      <article class="card" data-complaint={c.complaintId}>
        <p>
          <a href="#/complaints">{w.back}</a>
        </p>
        <h2>
          {c.unitId} · {COMPLAINT_CATEGORY_WORDS[locale][c.category]}
        </h2>
        <p class="description">{c.description}</p>
        <p>
          <span class="badge" data-status={c.status}>
            {COMPLAINT_STATUS_WORDS[locale][c.status]}
          </span>
          <MissBadges misses={complaintMisses(c, now)} w={w} /> <span class="muted">{c.complaintId}</span>
        </p>
        <dl>
          <dt>{w.resident}</dt>
          <dd>
            {c.residentId}
            {c.contactPhone && (
              <>
                {' '}
                · <a href={`tel:${c.contactPhone}`}>{c.contactPhone}</a>
              </>
            )}
          </dd>
          {c.jobId && (
            <>
              <dt>{w.job}</dt>
              <dd>
                <a href={`#/jobs/${encodeURIComponent(c.jobId)}`}>{c.jobId}</a>
              </dd>
            </>
          )}
          <dt>{w.source}</dt>
          <dd>{SOURCE_WORDS[locale][c.source]}</dd>
          <dt>{w.received}</dt>
          <dd>{formatTime(c.createdAt, locale)}</dd>
          <dt>{w.investigateBy}</dt>
          <dd>
            {formatTime(c.sla.investigationDueAt, locale)} · {w.investigatedAt}: {when(c.sla.investigatedAt)}{' '}
            {kept(c.sla.investigationMet)}
          </dd>
          <dt>{w.callBackBy}</dt>
          <dd>
            {formatTime(c.sla.callbackDueAt, locale)} · {w.calledBackAt}: {when(c.sla.calledBackAt)}{' '}
            {kept(c.sla.callbackMet)}
          </dd>
          <dt>{w.attempts}</dt>
          <dd>{c.callbackAttempts}</dd>
          {c.answerBy && (
            <>
              <dt>{w.answerByShown}</dt>
              <dd data-testid="answer-by">{formatTime(c.answerBy, locale)}</dd>
            </>
          )}
          {c.satisfied !== null && (
            <>
              <dt>{w.satisfied}</dt>
              <dd>{c.satisfied ? w.yes : w.no}</dd>
            </>
          )}
        </dl>
        {inv && (
          <section aria-labelledby="investigation-title">
            <h3 id="investigation-title">{w.investigation}</h3>
            <dl class="description">
              <dt>{w.findings}</dt>
              <dd>{inv.findings}</dd>
              <dt>{w.cause}</dt>
              <dd>{inv.cause}</dd>
              <dt>{w.handler}</dt>
              <dd>{inv.handler}</dd>
              <dt>{w.result}</dt>
              <dd>{inv.result}</dd>
            </dl>
            <p class="muted">
              {w.investigatedBy.replace('{by}', inv.by).replace('{at}', formatTime(inv.at, locale))}
            </p>
          </section>
        )}
        {(c.alerts ?? []).map((a) => (
          <p key={a.type}>
            <span class={`badge sev-${a.severity}`}>{ALERT_WORDS[locale][a.type]}</span>{' '}
            <span class="muted">{a.sent ? w.sent : w.pending}</span>
          </p>
        ))}
        {c.status === 'received' && (
          <InvestigationForm session={session} complaint={c} w={w} onDone={refresh} />
        )}
        {c.status === 'investigated' && (
          <ComplaintCallbackForm session={session} complaint={c} w={w} onDone={refresh} />
        )}
      </article>
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">{w.history}</h2>
        <HistoryList items={history.data?.items ?? []} locale={locale} />
      </section>
    </div>
  );
}

interface FormProps {
  session: Session;
  complaint: ComplaintView;
  w: W;
  onDone: () => void;
}

/** S16: what was found, its cause, who handled it and the result — filed the same day. */
function InvestigationForm({ session, complaint, w, onDone }: FormProps) {
  const [form, setForm] = useState({ findings: '', cause: '', handler: '', result: '' });
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const reply = await api
      .investigateComplaint(session.token, complaint.complaintId, form)
      .catch(() => null);
    if (!reply) return setError(w.network);
    if (!reply.ok) return setError(problemText(reply));
    setError(null);
    onDone();
  };
  const field = (name: keyof typeof form, multiline: boolean) => {
    const props = {
      id: `inv-${name}`,
      required: true,
      maxLength: name === 'handler' ? 100 : 1000,
      value: form[name],
      onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
        setForm((f) => ({ ...f, [name]: e.currentTarget.value })),
    };
    return (
      <>
        <label for={props.id}>{w[name]}</label>
        {multiline ? <textarea {...props} /> : <input {...props} />}
      </>
    );
  };
  return (
    <form onSubmit={submit} aria-labelledby="investigate-title">
      <h3 id="investigate-title">{w.investigation}</h3>
      {field('findings', true)}
      {field('cause', true)}
      {field('handler', false)}
      {field('result', true)}
      <FormEnd error={error} label={w.fileInvestigation} />
    </form>
  );
}

/** S17: the callback. Reached closes the complaint; a question left open gets a time for the answer. */
function ComplaintCallbackForm({ session, complaint, w, onDone }: FormProps) {
  const [reached, setReached] = useState(true);
  const [satisfied, setSatisfied] = useState(true);
  const [comment, setComment] = useState('');
  const [answerBy, setAnswerBy] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const answerAt = answerBy ? localInputInstant(answerBy, companyTimeZone()) : null;
    const body = {
      reached,
      ...(reached && { satisfied }),
      ...(comment.trim() && { comment: comment.trim() }),
      ...(answerAt && { answerBy: answerAt }),
    };
    const reply = await api.callBackComplainant(session.token, complaint.complaintId, body).catch(() => null);
    if (!reply) return setError(w.network);
    if (!reply.ok) return setError(problemText(reply));
    setError(null);
    setComment('');
    setAnswerBy('');
    onDone();
  };
  return (
    <form onSubmit={submit} aria-labelledby="complaint-callback-title">
      <h3 id="complaint-callback-title">{w.complaintCallback}</h3>
      {complaint.contactPhone && (
        <p>
          {w.phone}: <a href={`tel:${complaint.contactPhone}`}>{complaint.contactPhone}</a>
        </p>
      )}
      <fieldset>
        <legend>{w.outcome}</legend>
        <div class="choices">
          <label>
            <input type="radio" name="c-reached" checked={reached} onChange={() => setReached(true)} />
            {w.reached}
          </label>
          <label>
            <input type="radio" name="c-reached" checked={!reached} onChange={() => setReached(false)} />
            {w.notReached}
          </label>
        </div>
      </fieldset>
      {reached && (
        <>
          <label for="c-satisfied">{w.satisfied}</label>
          <select
            id="c-satisfied"
            value={satisfied ? 'yes' : 'no'}
            onChange={(e) => setSatisfied(e.currentTarget.value === 'yes')}
          >
            <option value="yes">{w.yes}</option>
            <option value="no">{w.no}</option>
          </select>
        </>
      )}
      <label for="c-comment">{w.comment}</label>
      <input
        id="c-comment"
        maxLength={1000}
        value={comment}
        onInput={(e) => setComment(e.currentTarget.value)}
      />
      <label for="c-answer-by">{w.answerBy}</label>
      <input
        id="c-answer-by"
        type="datetime-local"
        aria-describedby="c-answer-by-zone"
        value={answerBy}
        onInput={(e) => setAnswerBy(e.currentTarget.value)}
      />
      <p id="c-answer-by-zone" class="muted">
        {w.timeZoneHint.replace('{zone}', companyTimeZone())}
      </p>
      <FormEnd error={error} label={w.record} />
    </form>
  );
}
