import { createHmac } from 'node:crypto';
import { UnauthorizedError } from '../../../functions/http/errors';
import { PROBLEMS } from '../../../functions/http/problem';
import {
  sign,
  signedHeaders,
  TOLERANCE_SECONDS,
  verifySignature,
} from '../../../functions/http/webhook-signature';
import { thrownBy } from '../support/fixtures';

const SECRET = `whsec_${Buffer.from('current-secret-0123456789abcdef').toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.from('previous-secret-0123456789abcd').toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.from('somebody-elses-secret-01234567').toString('base64')}`;
const NOW_S = 1_795_420_800;
const ID = 'msg_2pQh4Z';
const BODY = '{"type":"job.accepted","jobId":"job-1"}';

const headersFor = (secret: string, timestamp = NOW_S, body = BODY, id = ID) => ({
  id,
  timestamp: String(timestamp),
  signature: sign(secret, id, timestamp, body),
});

const rejection = (fn: () => unknown) => {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(UnauthorizedError);
  expect(PROBLEMS[(error as UnauthorizedError).code].status).toBe(401);
  return (error as Error).message;
};

describe('sign', () => {
  it('is v1, then base64 HMAC-SHA256 over "{id}.{timestamp}.{body}" keyed by the decoded secret', () => {
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${ID}.${NOW_S}.${BODY}`).digest('base64');

    expect(sign(SECRET, ID, NOW_S, BODY)).toBe(`v1,${expected}`);
  });
});

describe('signedHeaders', () => {
  it('names the three Standard Webhooks headers, and the receiver accepts them', () => {
    const h = signedHeaders(SECRET, ID, NOW_S, BODY);

    expect(h).toEqual({
      'webhook-id': ID,
      'webhook-timestamp': String(NOW_S),
      'webhook-signature': sign(SECRET, ID, NOW_S, BODY),
    });
    const received = {
      id: h['webhook-id'],
      timestamp: h['webhook-timestamp'],
      signature: h['webhook-signature'],
    };
    expect(verifySignature(received, BODY, [SECRET], NOW_S)).toBe(ID);
  });
});

describe('verifySignature', () => {
  it('accepts a valid signature and returns the webhook id', () => {
    expect(verifySignature(headersFor(SECRET), BODY, [SECRET], NOW_S)).toBe(ID);
  });

  it('rejects a tampered body', () => {
    const message = rejection(() =>
      verifySignature(headersFor(SECRET), BODY.replace('job-1', 'job-2'), [SECRET], NOW_S),
    );

    expect(message).toBe('The webhook signature does not match');
  });

  it('rejects a body that differs only in whitespace (the raw bytes are signed)', () => {
    rejection(() => verifySignature(headersFor(SECRET), `${BODY} `, [SECRET], NOW_S));
  });

  it('rejects a signature made with another secret', () => {
    rejection(() => verifySignature(headersFor(OTHER_SECRET), BODY, [SECRET], NOW_S));
  });

  it('rejects a signature made for another webhook id', () => {
    const headers = { ...headersFor(SECRET), id: 'msg_other' };

    rejection(() => verifySignature(headers, BODY, [SECRET], NOW_S));
  });

  it('rejects a signature whose timestamp header was changed', () => {
    const headers = { ...headersFor(SECRET), timestamp: String(NOW_S - 1) };

    rejection(() => verifySignature(headers, BODY, [SECRET], NOW_S));
  });

  it('rejects a timestamp more than 5 minutes old', () => {
    const message = rejection(() =>
      verifySignature(headersFor(SECRET, NOW_S - TOLERANCE_SECONDS - 1), BODY, [SECRET], NOW_S),
    );

    expect(message).toBe('webhook-timestamp is outside the 5-minute window');
  });

  it('rejects a timestamp more than 5 minutes in the future', () => {
    const message = rejection(() =>
      verifySignature(headersFor(SECRET, NOW_S + TOLERANCE_SECONDS + 1), BODY, [SECRET], NOW_S),
    );

    expect(message).toBe('webhook-timestamp is outside the 5-minute window');
  });

  it('accepts a timestamp exactly 300 s old', () => {
    expect(verifySignature(headersFor(SECRET, NOW_S - 300), BODY, [SECRET], NOW_S)).toBe(ID);
  });

  it('accepts a timestamp exactly 300 s ahead', () => {
    expect(verifySignature(headersFor(SECRET, NOW_S + 300), BODY, [SECRET], NOW_S)).toBe(ID);
  });

  describe('secret rotation', () => {
    it('accepts a signature made with the previous secret while both are configured', () => {
      expect(verifySignature(headersFor(OLD_SECRET), BODY, [SECRET, OLD_SECRET], NOW_S)).toBe(ID);
    });

    it('accepts a signature made with the new secret while both are configured', () => {
      expect(verifySignature(headersFor(SECRET), BODY, [SECRET, OLD_SECRET], NOW_S)).toBe(ID);
    });

    it('accepts several space-separated signatures when only one of them is valid', () => {
      const signature = [
        sign(OTHER_SECRET, ID, NOW_S, BODY),
        sign(SECRET, ID, NOW_S, BODY),
        'v1,bm90LWEtc2lnbmF0dXJl',
      ].join(' ');

      expect(verifySignature({ id: ID, timestamp: String(NOW_S), signature }, BODY, [SECRET], NOW_S)).toBe(
        ID,
      );
    });

    it('rejects several signatures when none is valid', () => {
      const signature = [sign(OTHER_SECRET, ID, NOW_S, BODY), 'v1,bm90LWEtc2lnbmF0dXJl'].join(' ');

      rejection(() =>
        verifySignature({ id: ID, timestamp: String(NOW_S), signature }, BODY, [SECRET], NOW_S),
      );
    });

    it('ignores signatures of other versions', () => {
      const mac = sign(SECRET, ID, NOW_S, BODY).slice('v1,'.length);

      rejection(() =>
        verifySignature({ id: ID, timestamp: String(NOW_S), signature: `v1a,${mac}` }, BODY, [SECRET], NOW_S),
      );
    });
  });

  it.each([
    ['webhook-id', { id: undefined }],
    ['webhook-timestamp', { timestamp: undefined }],
    ['webhook-signature', { signature: undefined }],
    ['an empty webhook-signature', { signature: '' }],
  ])('rejects a request without %s', (_, missing) => {
    const message = rejection(() =>
      verifySignature({ ...headersFor(SECRET), ...missing }, BODY, [SECRET], NOW_S),
    );

    expect(message).toBe('Missing webhook-id, webhook-timestamp or webhook-signature');
  });

  it.each(['abc', '1.5e9', '-1795420800', '1795420800.5', ' 1795420800'])(
    'rejects the non-numeric timestamp %j',
    (timestamp) => {
      const message = rejection(() =>
        verifySignature({ ...headersFor(SECRET), timestamp }, BODY, [SECRET], NOW_S),
      );

      expect(message).toBe('webhook-timestamp is not a Unix time in seconds');
    },
  );

  it('rejects a timestamp in milliseconds', () => {
    rejection(() =>
      verifySignature({ ...headersFor(SECRET), timestamp: `${NOW_S}000` }, BODY, [SECRET], NOW_S),
    );
  });

  it('rejects everything when no secret is configured', () => {
    rejection(() => verifySignature(headersFor(SECRET), BODY, [], NOW_S));
  });
});
