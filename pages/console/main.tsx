import { render } from 'preact';
import type { Locale } from '../../functions/domain/types';
import { SignInPrompt, TopBar, useRoute, useSignIn } from '../shared/frame';
import { useLocale } from '../shared/i18n';
import type { Session } from '../shared/session';
import { Board } from './board';
import { Callbacks } from './callbacks';
import { Intake } from './intake';
import { JobDetail } from './job';
import { Reports } from './reports';
import { type W, WORDS } from './words';

// The operations console for agents and managers: the live board, a job's detail, the
// callback queue, phone intake and (managers) the monthly reports.

const TABS = [
  ['', 'tabBoard'],
  ['callbacks', 'tabCallbacks'],
  ['intake', 'tabIntake'],
  ['reports', 'tabReports'],
] as const;

function App() {
  const [locale, setLocale] = useLocale();
  const w = WORDS[locale];
  const state = useSignIn('console');
  const session = state && 'session' in state ? state.session : null;
  return (
    <>
      <TopBar
        title={w.title}
        locale={locale}
        setLocale={setLocale}
        languageLabel={w.language}
        session={session}
        signOutLabel={w.signOut}
      />
      {!state && <p class="muted">{w.loading}</p>}
      {state && !session && <SignInPrompt state={state} text={w.signedOut} label={w.signIn} />}
      {session && session.role === 'resident' && (
        <main>
          <p class="card">{w.notStaff}</p>
        </main>
      )}
      {session && session.role !== 'resident' && <Console session={session} locale={locale} w={w} />}
    </>
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
        {view === 'jobs' && id && <JobDetail {...props} jobId={id} />}
        {view === 'callbacks' && <Callbacks {...props} />}
        {view === 'intake' && <Intake {...props} />}
        {view === 'reports' && <Reports {...props} />}
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
