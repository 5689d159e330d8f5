import { render } from 'preact';
import type { Locale } from '../../functions/domain/types';
import { PageFrame, useRoute } from '../shared/frame';
import type { Session } from '../shared/session';
import { Board } from './board';
import { Callbacks } from './callbacks';
import { ComplaintDetail, Complaints } from './complaints';
import { Intake } from './intake';
import { JobDetail } from './job';
import { Reports } from './reports';
import { type W, WORDS } from './words';

// The operations console for agents and managers: the live board, a job's detail, the
// callback queue, the complaints queue and a complaint's detail, phone intake and
// (managers) the monthly reports.

const TABS = [
  ['', 'tabBoard'],
  ['callbacks', 'tabCallbacks'],
  ['complaints', 'tabComplaints'],
  ['intake', 'tabIntake'],
  ['reports', 'tabReports'],
] as const;

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
  // Reports are the managers' (the API answers 403 to agents): agents do not see the tab.
  const tabs = TABS.filter(([path]) => path !== 'reports' || session.role === 'manager');
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
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
