// CloudFront Function (cloudfront-js-2.0), viewer request, on the site's S3 behaviours
// (lib/site-distribution.ts). The pages route in the browser, so a deep link such as
// /console/jobs/J-1 must load /console/index.html; answering it here, per page, keeps the
// API's own 403 and 404 responses intact, which a distribution-wide error page would replace
// with HTML. test/cdk/site.test.ts runs this file on sample requests.

// The residents' page is where a bare visit lands.
const LANDING_PAGE = '/app/';

function redirect(location) {
  return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: location } } };
}

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls the function named handler.
function handler(event) {
  const request = event.request;
  const uri = request.uri;
  if (uri === '/') return redirect(LANDING_PAGE);
  // ['', 'console', 'jobs', 'J-1'] for /console/jobs/J-1
  const segments = uri.split('/');
  const last = segments[segments.length - 1];
  // A file has an extension; anything else under a page is one of its routes.
  if (last.indexOf('.') !== -1) return request;
  // /app and /console: relative links in the page resolve only below the trailing slash.
  if (segments.length === 2) return redirect(`${uri}/`);
  request.uri = `/${segments[1]}/index.html`;
  return request;
}
