// The pages' security headers, once: CloudFront's response headers policy (lib/) and the local
// front door (local/pages.ts) both send these.

export function pageSecurityHeaders(opts: { authOrigin?: string } = {}): Record<string, string> {
  const auth = opts.authOrigin ? ` ${opts.authOrigin}` : '';
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      `connect-src 'self'${auth}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
      `form-action 'self'${auth}`,
      "object-src 'none'",
    ].join('; '),
    'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}
