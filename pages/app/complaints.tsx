import { useState } from 'preact/hooks';
import type { ComplaintList, ComplaintView } from '../../client/api-client';
import { COMPLAINT_CATEGORIES, type ComplaintCategory, type Locale } from '../../functions/domain/types';
import { api, problemText, useLive } from '../shared/api';
import { COMPLAINT_CATEGORY_WORDS, COMPLAINT_STATUS_WORDS, formatTime } from '../shared/i18n';
import type { Session } from '../shared/session';
import type { WORDS } from './words';

// A resident's complaints (S16, S17): one about a repair from that repair's page, one about
// anything else from here; each with where it stands and the times we promised — investigated
// the same day, called back within 3 days — and the result once it is investigated.

type W = (typeof WORDS)['en'];
type Props = { session: Session; locale: Locale; w: W };

/** `#/complaints`: mine, newest first, kept live, and a complaint about something other than a repair. */
export function MyComplaints({ session, locale, w }: Props) {
  const live = useLive<ComplaintList>(session.token, '/complaints?limit=50');
  const items = live.data?.items ?? [];
  return (
    <>
      {!live.data && <p class="muted">{live.error ? w.network : w.loading}</p>}
      {live.data && !items.length && <p class="card">{w.noComplaints}</p>}
      {items.length > 0 && (
        <ul class="layout" aria-label={w.tabComplaints}>
          {items.map((c) => (
            <ComplaintItem key={c.complaintId} complaint={c} locale={locale} w={w} />
          ))}
        </ul>
      )}
      <section class="card" aria-labelledby="new-complaint">
        <h2 id="new-complaint">{w.newComplaint}</h2>
        <p class="muted">{w.newComplaintHint}</p>
        <ComplaintForm session={session} locale={locale} w={w} onSent={live.refresh} />
      </section>
    </>
  );
}

function ComplaintItem({ complaint: c, locale, w }: { complaint: ComplaintView; locale: Locale; w: W }) {
  const at = (template: string, iso: string) => template.replace('{at}', formatTime(iso, locale));
  return (
    <li class="card" data-complaint={c.complaintId}>
      <strong>{COMPLAINT_CATEGORY_WORDS[locale][c.category]}</strong> · {c.unitId}
      <p class="description">{c.description}</p>
      <p>
        <span class="badge" data-status={c.status}>
          {COMPLAINT_STATUS_WORDS[locale][c.status]}
        </span>
      </p>
      {c.status === 'received' && <p class="muted">{at(w.investigateBy, c.sla.investigationDueAt)}</p>}
      {c.status !== 'closed' && <p class="muted">{at(w.callBackBy, c.sla.callbackDueAt)}</p>}
      {c.investigation && (
        <p class="notice description" data-testid="complaint-result">
          {w.investigationResult}: {c.investigation.result}
        </p>
      )}
      {c.answerBy && c.status !== 'closed' && <p>{at(w.answerBy, c.answerBy)}</p>}
      {c.jobId && (
        <p>
          <a href={`#/jobs/${encodeURIComponent(c.jobId)}`}>{w.aboutRepair}</a>
        </p>
      )}
    </li>
  );
}

/**
 * A complaint: about one of my repairs (`jobId`: the unit, phone and language are the job's), or
 * about my unit otherwise.
 */
export function ComplaintForm(p: Props & { jobId?: string; onSent: () => void }) {
  const { session, locale, w, jobId } = p;
  const [unitId, setUnitId] = useState('');
  const [phone, setPhone] = useState(session.phone);
  const [category, setCategory] = useState<ComplaintCategory>('quality');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  // One key per complaint: a retry after a lost answer files it once.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const id = (name: string) => `complaint-${name}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const body = {
      category,
      description,
      locale,
      ...(jobId ? { jobId } : { unitId: unitId.trim(), contactPhone: phone.trim() }),
    };
    const reply = await api.fileComplaint(session.token, body, { idempotencyKey: key }).catch(() => null);
    setBusy(false);
    if (!reply) return setError(w.network);
    if (!reply.ok) return setError(problemText(reply));
    setError(null);
    setSent(true);
    setDescription('');
    setKey(crypto.randomUUID());
    p.onSent();
  };
  return (
    <form onSubmit={submit}>
      {sent && (
        <p class="notice" role="status">
          {w.complaintSent}
        </p>
      )}
      {!jobId && (
        <>
          <label for={id('unit')}>{w.unit}</label>
          <input
            id={id('unit')}
            required
            maxLength={32}
            value={unitId}
            placeholder={w.unitHint}
            onInput={(e) => setUnitId(e.currentTarget.value)}
          />
          <label for={id('phone')}>{w.phone}</label>
          <input
            id={id('phone')}
            type="tel"
            required
            value={phone}
            placeholder="+8613800138000"
            onInput={(e) => setPhone(e.currentTarget.value)}
          />
        </>
      )}
      <label for={id('category')}>{w.complaintAbout}</label>
      <select
        id={id('category')}
        value={category}
        onChange={(e) => setCategory(e.currentTarget.value as ComplaintCategory)}
      >
        {COMPLAINT_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {COMPLAINT_CATEGORY_WORDS[locale][c]}
          </option>
        ))}
      </select>
      <label for={id('description')}>{w.complaintText}</label>
      <textarea
        id={id('description')}
        required
        maxLength={1000}
        value={description}
        placeholder={w.complaintHint}
        onInput={(e) => setDescription(e.currentTarget.value)}
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? w.sending : w.sendComplaint}
      </button>
    </form>
  );
}
