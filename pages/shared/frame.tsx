import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Locale } from '../../functions/domain/types';
import { useLocale } from './i18n';
import { type Session, type SignIn, signIn } from './session';

// What both pages share around their content: sign-in, the header with the language switch,
// and the hash route (`#/jobs/…`), so a reload or a link lands on the same view.

export function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function useSignIn(page: 'app' | 'console'): SignIn | null {
  const [state, setState] = useState<SignIn | null>(null);
  useEffect(() => {
    signIn(page).then(setState, () => setState({ signInUrl: null }));
  }, [page]);
  return state;
}

interface TopProps {
  title: string;
  locale: Locale;
  setLocale: (l: Locale) => void;
  languageLabel: string;
  session: Session | null;
  signOutLabel: string;
  children?: ComponentChildren;
}

function TopBar(p: TopProps) {
  return (
    <header class="top">
      <h1>{p.title}</h1>
      <div class="row">
        {p.session && <span class="who">{p.session.name}</span>}
        <button
          type="button"
          lang={p.locale === 'en' ? 'zh-CN' : 'en'}
          onClick={() => p.setLocale(p.locale === 'en' ? 'zh-CN' : 'en')}
        >
          {p.languageLabel}
        </button>
        {p.session && (
          <button type="button" onClick={() => p.session?.signOut()}>
            {p.signOutLabel}
          </button>
        )}
      </div>
    </header>
  );
}

/** Signed out: the way in (locally a link to /_local/login, on AWS the managed login). */
function SignInPrompt(p: { state: SignIn; text: string; label: string }) {
  if ('session' in p.state) return null;
  const { signInUrl, start } = p.state;
  return (
    <main>
      <div class="card">
        <p>{p.text}</p>
        {signInUrl ? (
          <a href={signInUrl}>{p.label}</a>
        ) : (
          <button type="button" onClick={() => start?.()}>
            {p.label}
          </button>
        )}
      </div>
    </main>
  );
}

/** The words a page's frame shows around its content. */
interface FrameWords {
  title: string;
  language: string;
  signOut: string;
  signIn: string;
  signedOut: string;
  loading: string;
}

/**
 * A page: the header, the language, sign-in (loading, the way in when signed out), and the
 * page's content once someone is signed in.
 */
export function PageFrame<W extends FrameWords>(p: {
  page: 'app' | 'console';
  words: Record<Locale, W>;
  children: (session: Session, locale: Locale, w: W) => ComponentChildren;
}) {
  const [locale, setLocale] = useLocale();
  const w = p.words[locale];
  const state = useSignIn(p.page);
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
      {session && p.children(session, locale, w)}
    </>
  );
}

/** A form's last lines: the refusal, read out when it appears (role alert), then its submit button. */
export function FormEnd(p: { error: string | null; label: string }) {
  return (
    <>
      {p.error && (
        <p class="error" role="alert">
          {p.error}
        </p>
      )}
      <p>
        <button type="submit">{p.label}</button>
      </p>
    </>
  );
}
