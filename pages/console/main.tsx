import { render } from 'preact';
import type { Locale } from '../../functions/domain/types';
import { PageFrame, useRoute } from '../shared/frame';
import type { Session } from '../shared/session';
import { Board } from './board';
import { Callbacks } from './callbacks';
import { ComplaintDetail, Complaints } from './complaints';
import { Intake } from './intake';
import { JobDetail } from './job';
import { Properties } from './properties';
import { Reports } from './reports';
import { Roster } from './roster';
import { type W, WORDS } from './words';

// The operations console for agents and managers: the live board, a job's detail, the
// callback queue, the complaints queue and a complaint's detail, phone intake and
// (managers) the monthly reports, the technician roster and the property settings.

const TABS = [
  ['', 'tabBoard'],
  ['callbacks', 'tabCallbacks'],
  ['complaints', 'tabComplaints'],
  ['intake', 'tabIntake'],
  ['reports', 'tabReports'],
  ['roster', 'tabRoster'],
  ['properties', 'tabProperties'],
] as const;

/** The tabs whose API answers agents 403 (reports, GET /technicians, GET /properties): managers only. */
const MANAGERS_ONLY: ReadonlySet<string> = new Set(['reports', 'roster', 'properties']);

function App() {
  return (
    <PageFrame page="console" words={WORDS}>
      {(session, locale, w) =>
        session.role === 'resident' ? (
          <main>
            <p class="card">{w.notStaff}</p>
          </main>
        ) : (
          <Console session={session} locale={locale} w={w} />
        )
      }
    </PageFrame>
  );
}

function Console({ session, locale, w }: { session: Session; locale: Locale; w: W }) {
  const [view = '', id] = useRoute();
  const manager = session.role === 'manager';
  const tabs = TABS.filter(([path]) => manager || !MANAGERS_ONLY.has(path));
  const props = { session, locale, w };
  return (
    <>
      <nav class="tabs" aria-label={w.title}>
        {tabs.map(([path, label]) => (
          <a key={path} href={`#/${path}`} aria-current={view === path ? 'page' : undefined}>
            {w[label]}
          </a>
        ))}
      </nav>
      <main>
        {view === '' && <Board {...props} />}
        {view === 'jobs' && id && <JobDetail key={id} {...props} jobId={id} />}
        {view === 'callbacks' && <Callbacks {...props} />}
        {view === 'complaints' && !id && <Complaints {...props} />}
        {view === 'complaints' && id && <ComplaintDetail key={id} {...props} complaintId={id} />}
        {view === 'intake' && <Intake {...props} />}
        {view === 'reports' && <Reports {...props} />}
        {view === 'roster' && manager && <Roster {...props} />}
        {view === 'properties' && manager && <Properties {...props} propertyId={id} />}
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
