import { contentSecurityPolicy, pageSecurityHeaders } from '../../../functions/http/security-headers';

const directives = (csp: string): Record<string, string[]> =>
  Object.fromEntries(
    csp.split('; ').map((directive) => {
      const [name = '', ...sources] = directive.split(' ');
      return [name, sources];
    }),
  );

describe('pageSecurityHeaders', () => {
  it('sends the five security headers, the same on AWS and locally', () => {
    expect(pageSecurityHeaders()).toEqual({
      'content-security-policy':
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
      'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
  });

  it('lets the pages talk to and post to the sign-in origins, and nowhere else but the site', () => {
    const csp = directives(
      pageSecurityHeaders({ authOrigin: 'https://home-repair-dev.auth.eu-west-1.amazoncognito.com' })[
        'content-security-policy'
      ] as string,
    );
    expect(csp['connect-src']).toEqual([
      "'self'",
      'https://home-repair-dev.auth.eu-west-1.amazoncognito.com',
    ]);
    expect(csp['form-action']).toEqual([
      "'self'",
      'https://home-repair-dev.auth.eu-west-1.amazoncognito.com',
    ]);
    expect(csp['script-src']).toEqual(["'self'"]);
    const both = directives(
      contentSecurityPolicy({
        authOrigin: ['https://a.example.com', 'https://cognito-idp.eu-west-1.amazonaws.com'],
      }),
    );
    expect(both['connect-src']).toEqual([
      "'self'",
      'https://a.example.com',
      'https://cognito-idp.eu-west-1.amazonaws.com',
    ]);
  });

  it('never allows inline or evaluated script or style, plugins, or framing', () => {
    const csp = pageSecurityHeaders({ authOrigin: 'https://auth.example.com' })[
      'content-security-policy'
    ] as string;
    expect(csp).not.toMatch(/unsafe-|\*/);
    const parsed = directives(csp);
    expect(parsed['style-src']).toEqual(["'self'"]);
    expect(parsed['object-src']).toEqual(["'none'"]);
    expect(parsed['frame-ancestors']).toEqual(["'none'"]);
    expect(parsed['base-uri']).toEqual(["'none'"]);
  });
});
