import { render } from 'preact';
import { useState } from 'preact/hooks';
import type { HistoryItem, JobList, JobView } from '../../client/api-client';
import type { Locale } from '../../functions/domain/types';
import { api, problemText, useLive } from '../shared/api';
import { BookingFields, bookingOf, useDraft, windowText } from '../shared/booking';
import { PageFrame, useRoute } from '../shared/frame';
import { categoryLabel, formatTime, STATUS_WORDS } from '../shared/i18n';
import type { Session } from '../shared/session';
import { ComplaintForm, MyComplaints } from './complaints';
import { WORDS } from './words';

// The resident's phone page: book a repair, follow each of mine live, cancel before the
// technician arrives, rate the visit once the form is signed, complain about it and follow
// my complaints.

type W = (typeof WORDS)['en'];
// As the lifecycle's RESIDENT_CANCELLABLE: before arrival, or waiting for a new time after nobody answered.
const CANCELLABLE = ['booked', 'accepted', 'en_route', 'awaiting_reschedule'];
const RATEABLE = ['signed', 'closed'];

function App() {
  return (
    <PageFrame page="app" words={WORDS}>
      {(session, locale, w) => <Resident session={session} locale={locale} w={w} />}
    </PageFrame>
  );
}

function Resident({ session, locale, w }: { session: Session; locale: Locale; w: W }) {
  const route = useRoute();
  const [view, jobId] = route;
  return (
    <>
      <nav class="tabs" aria-label={w.title}>
        <a href="#/new" aria-current={view === 'new' ? 'page' : undefined}>
          {w.tabBook}
        </a>
        <a href="#/" aria-current={view !== 'new' && view !== 'complaints' ? 'page' : undefined}>
          {w.tabMine}
        </a>
        <a href="#/complaints" aria-current={view === 'complaints' ? 'page' : undefined}>
          {w.tabComplaints}
        </a>
      </nav>
      <main>
        {view === 'new' && <BookForm session={session} locale={locale} w={w} />}
        {view === 'jobs' && jobId && (
          <JobDetail key={jobId} session={session} jobId={jobId} locale={locale} w={w} />
        )}
        {view === 'complaints' && <MyComplaints session={session} locale={locale} w={w} />}
        {view !== 'new' && view !== 'complaints' && !(view === 'jobs' && jobId) && (
          <MyJobs session={session} locale={locale} w={w} />
        )}
      </main>
    </>
  );
}

function BookForm({ session, locale, w }: { session: Session; locale: Locale; w: W }) {
  const { draft, set, slots } = useDraft(session.phone);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per booking attempt: a retry after a lost answer books once.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = bookingOf(draft, slots, locale);
    const reply = await api.bookJob(session.token, body, { idempotencyKey: key }).catch(() => null);
    setBusy(false);
    if (!reply) return setError(w.network);
    if (!reply.ok) return setError(problemText(reply));
    setKey(crypto.randomUUID());
    location.hash = `#/jobs/${encodeURIComponent(reply.body.jobId)}`;
  };
  return (
    <form class="card" onSubmit={submit}>
      <h2>{w.tabBook}</h2>
      <BookingFields draft={draft} set={set} slots={slots} locale={locale} l={w} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? w.booking : w.book}
      </button>
    </form>
  );
}

function MyJobs({ session, locale, w }: { session: Session; locale: Locale; w: W }) {
  const jobs = useLive<JobList>(session.token, '/jobs?limit=50');
  if (!jobs.data) return <p class="muted">{jobs.error ? w.network : w.loading}</p>;
  if (!jobs.data.items.length) return <p class="card">{w.none}</p>;
  return (
    <ul class="layout" aria-label={w.tabMine}>
      {jobs.data.items.map((job) => (
        <li key={job.jobId} class="card" data-job={job.jobId}>
          <a href={`#/jobs/${encodeURIComponent(job.jobId)}`}>
            <strong>{categoryLabel(locale, job.category)}</strong> · {job.unitId}
          </a>
          <p class="description">{job.description}</p>
          <p>
            <span class="badge">{STATUS_WORDS[locale][job.status]}</span>{' '}
            {job.sla.arrivedAt === null && !['cancelled'].includes(job.status) && (
              <span class="muted">
                {w.arriveBy} {formatTime(job.sla.arrivalDueAt, locale)}
              </span>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}

function JobDetail(p: { session: Session; jobId: string; locale: Locale; w: W }) {
  const { session, jobId, locale, w } = p;
  const path = `/jobs/${encodeURIComponent(jobId)}`;
  const job = useLive<JobView>(session.token, path);
  const history = useLive<{ items: HistoryItem[] }>(session.token, `${path}/history`);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [complaining, setComplaining] = useState(false);
  const j = job.data;
  if (!j) return <p class="muted">{job.error ?? w.loading}</p>;
  const cancel = async () => {
    setConfirming(false);
    const reply = await api.cancelJob(session.token, j.jobId, {});
    if (!reply.ok) setError(problemText(reply));
    job.refresh();
    history.refresh();
  };
  return (
    <article class="card" data-job={j.jobId}>
      <p>
        <a href="#/">{w.back}</a>
      </p>
      <h2>
        {categoryLabel(locale, j.category)} · {j.unitId}
      </h2>
      <p class="description">{j.description}</p>
      <p>
        <span class="badge" data-status={j.status}>
          {STATUS_WORDS[locale][j.status]}
        </span>
      </p>
      {j.appointment && (
        <p>
          {w.appointment}: {windowText(j.appointment, locale)}
        </p>
      )}
      {j.sla.arrivedAt === null && j.status !== 'cancelled' && (
        <p data-testid="arrive-by">
          {w.arriveBy}: <strong>{formatTime(j.sla.arrivalDueAt, locale)}</strong>
        </p>
      )}
      {j.technician && (
        <p>
          {w.technician}: {j.technician.name}
        </p>
      )}
      {j.quote && (
        <section class="notice">
          <h3>{w.quote}</h3>
          <p class="description">
            {w.fault}: {j.quote.fault}
          </p>
          <p>
            {w.labor} ¥{j.quote.labor} · {w.parts} ¥{j.quote.parts}
            {j.quote.covered && ` · ${w.covered}`}
          </p>
        </section>
      )}
      <h3>{w.progress}</h3>
      <Timeline job={j} items={history.data?.items ?? []} locale={locale} w={w} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {CANCELLABLE.includes(j.status) && !confirming && (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          {w.cancel}
        </button>
      )}
      {CANCELLABLE.includes(j.status) && confirming && (
        <div class="notice" role="alertdialog" aria-labelledby="cancel-question">
          <p id="cancel-question">{w.cancelConfirm}</p>
          <div class="row">
            <button type="button" class="danger" onClick={cancel}>
              {w.cancelYes}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              {w.cancelNo}
            </button>
          </div>
        </div>
      )}
      {RATEABLE.includes(j.status) && <Rating session={session} job={j} w={w} onDone={() => job.refresh()} />}
      {!complaining && (
        <p>
          <button type="button" class="secondary" onClick={() => setComplaining(true)}>
            {w.complain}
          </button>
        </p>
      )}
      {complaining && (
        <section class="card" aria-labelledby="complain-title">
          <h3 id="complain-title">{w.complain}</h3>
          <ComplaintForm
            session={session}
            locale={locale}
            w={w}
            jobId={j.jobId}
            onSent={() => {
              location.hash = '#/complaints';
            }}
          />
          <p>
            <button type="button" class="secondary" onClick={() => setComplaining(false)}>
              {w.close}
            </button>
          </p>
        </section>
      )}
    </article>
  );
}

/** The steps a resident cares about, each with when it happened (from the history). */
const STEPS = [
  ['booked', 'job.booked'],
  ['accepted', 'job.accepted'],
  ['en_route', 'job.en_route'],
  ['arrived', 'job.arrived'],
  ['diagnosed', 'job.diagnosed'],
  ['completed', 'job.completed'],
  ['signed', 'job.form_signed'],
  ['closed', 'callback.completed'],
] as const;
const ENDINGS = {
  cancelled: 'job.cancelled',
  declined: 'job.quote_declined',
  needs_follow_up: 'job.unable_to_fix',
};

function Timeline({ job, items, locale, w }: { job: JobView; items: HistoryItem[]; locale: Locale; w: W }) {
  const at = (type: string) => items.find((i) => i.type === type);
  const ending = ENDINGS[job.status as keyof typeof ENDINGS];
  const steps = STEPS.filter(([, type]) => !ending || at(type));
  return (
    <ol class="timeline">
      {steps.map(([status, type]) => {
        const item = at(type);
        const eta = status === 'en_route' ? (item?.data.etaMinutes as number | undefined) : undefined;
        return (
          <li key={status} class={item ? 'done' : ''}>
            {STATUS_WORDS[locale][status]}
            {item && <div class="when">{formatTime(item.at, locale)}</div>}
            {eta !== undefined && job.status === 'en_route' && <div>{w.eta.replace('{n}', String(eta))}</div>}
          </li>
        );
      })}
      {ending && (
        <li class="done">
          {STATUS_WORDS[locale][job.status]}
          {at(ending) && <div class="when">{formatTime((at(ending) as HistoryItem).at, locale)}</div>}
        </li>
      )}
    </ol>
  );
}

function Rating({ session, job, w, onDone }: { session: Session; job: JobView; w: W; onDone: () => void }) {
  const [score, setScore] = useState(5);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (job.rating)
    return (
      <p class="notice">
        {w.rated}: {'★'.repeat(job.rating.score)}
        {'☆'.repeat(5 - job.rating.score)} <span class="description">{job.rating.comment}</span>
      </p>
    );
  const send = async (e: Event) => {
    e.preventDefault();
    const reply = await api.rateJob(session.token, job.jobId, { score, ...(comment && { comment }) });
    if (!reply.ok) return setError(problemText(reply));
    onDone();
  };
  return (
    <form class="card" onSubmit={send}>
      <h3>{w.rate}</h3>
      <p class="muted">{w.rateHint}</p>
      <fieldset>
        <legend>{w.score}</legend>
        <div class="stars">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n}>
              <input type="radio" name="score" checked={score === n} onChange={() => setScore(n)} />
              {n}★
            </label>
          ))}
        </div>
      </fieldset>
      <label for="comment">{w.comment}</label>
      <textarea
        id="comment"
        maxLength={500}
        value={comment}
        onInput={(e) => setComment(e.currentTarget.value)}
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit">{w.sendRating}</button>
    </form>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
