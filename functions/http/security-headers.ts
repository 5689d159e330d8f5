// The security headers of the two pages, once: lib/site-distribution.ts turns them into the
// CloudFront response headers policy, and the local front door (local/server.ts) sends the
// same with the files it serves, so a page that breaks the policy breaks locally first.

/** HSTS: two years (what the preload list asks for), subdomains included. */
export const HSTS = {
  maxAgeSeconds: 2 * 365 * 24 * 60 * 60,
  includeSubDomains: true,
  preload: true,
} as const;
export const FRAME_OPTIONS = 'DENY';
export const REFERRER_POLICY = 'strict-origin-when-cross-origin';

export interface PageSecurityOptions {
  /**
   * The sign-in service's origins (`https://host`), which the pages' OIDC library reads and
   * posts to: on AWS the managed-login domain (authorize, token) and the issuer (discovery
   * document). None locally, where the front door signs the tokens itself.
   */
  readonly authOrigin?: string | readonly string[];
}

/**
 * The Content-Security-Policy: scripts and styles only from the site itself, never inline,
 * so an injected `<script>` or `style=` does not run; nothing may frame the pages.
 */
export function contentSecurityPolicy(opts: PageSecurityOptions = {}): string {
  const auth = [opts.authOrigin ?? []].flat();
  const directives: Record<string, readonly string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    // data: and blob: for images a page makes in the browser (a chart drawn to an image).
    'img-src': ["'self'", 'data:', 'blob:'],
    'connect-src': ["'self'", ...auth],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'", ...auth],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Every security header a page response carries, by lower-case name. */
export function pageSecurityHeaders(opts: PageSecurityOptions = {}): Record<string, string> {
  const hsts = [
    `max-age=${HSTS.maxAgeSeconds}`,
    ...(HSTS.includeSubDomains ? ['includeSubDomains'] : []),
    ...(HSTS.preload ? ['preload'] : []),
  ];
  return {
    'content-security-policy': contentSecurityPolicy(opts),
    'strict-transport-security': hsts.join('; '),
    'x-frame-options': FRAME_OPTIONS,
    'x-content-type-options': 'nosniff',
    'referrer-policy': REFERRER_POLICY,
  };
}
