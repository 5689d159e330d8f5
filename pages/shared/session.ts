import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { Role } from '../../functions/domain/types';
import type { PagesConfig } from './config';
import { setTimeZone } from './i18n';
import { type Scope, scopeOfClaims } from './scope';

// Who is signed in, and their token, held in memory only (never localStorage). Locally the
// token comes from `/_local/session`, which reads the HttpOnly cookie `/_local/login` set; on
// AWS from Cognito's managed login (authorization code + PKCE) through oidc-client-ts.

export interface Session {
  token: string;
  sub: string;
  role: Role;
  name: string;
  phone: string;
  /** The properties the token limits the caller to (`custom:properties`), or null for company scope. */
  properties: Scope;
  signOut(): Promise<void>;
}

export type SignIn = { session: Session } | { signInUrl: string | null; start?: () => Promise<void> };

const claimsOf = (claims: Record<string, unknown>) => ({
  sub: String(claims.sub ?? ''),
  role: String(
    claims['custom:role'] ?? (claims['cognito:groups'] as string[] | undefined)?.[0] ?? '',
  ) as Role,
  name: String(claims.name ?? claims.sub ?? ''),
  phone: String(claims.phone_number ?? ''),
  properties: scopeOfClaims(claims),
});

export async function signIn(page: 'app' | 'console'): Promise<SignIn> {
  const config = (await (await fetch('/config.json')).json()) as PagesConfig;
  if (config.timeZone) setTimeZone(config.timeZone);
  if (config.auth.kind === 'local') return localSession(page);
  const auth = config.auth;
  const users = new UserManager({
    authority: auth.authority,
    client_id: auth.clientId,
    redirect_uri: `${location.origin}/${page}/`,
    post_logout_redirect_uri: `${location.origin}/${page}/`,
    response_type: 'code',
    scope: 'openid email phone profile',
    // Tokens in memory: a reload signs in again (silently while the Cognito session lasts).
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    metadataSeed: { end_session_endpoint: `${auth.domain}/logout` },
  });
  const params = new URLSearchParams(location.search);
  let user = params.has('code') ? await users.signinCallback() : await users.getUser();
  if (params.has('code')) history.replaceState(null, '', `/${page}/${location.hash}`);
  if (!user || user.expired) return { signInUrl: null, start: () => users.signinRedirect() };
  user = user as NonNullable<typeof user>;
  const token = user.id_token ?? '';
  return {
    session: {
      token,
      ...claimsOf(user.profile as Record<string, unknown>),
      signOut: () => users.signoutRedirect({ extraQueryParams: { client_id: auth.clientId } }),
    },
  };
}

async function localSession(page: 'app' | 'console'): Promise<SignIn> {
  const res = await fetch('/_local/session', { credentials: 'same-origin' });
  const role = page === 'app' ? 'resident' : 'agent';
  const signInUrl = `/_local/login?sub=${role === 'resident' ? 'r-1' : 'a-1'}&role=${role}&next=/${page}/`;
  if (!res.ok) return { signInUrl };
  const { token, claims } = (await res.json()) as { token: string; claims: Record<string, unknown> };
  return {
    session: {
      token,
      ...claimsOf(claims),
      signOut: async () => {
        await fetch('/_local/logout', { method: 'POST' });
        location.reload();
      },
    },
  };
}
