import { ValidationError } from '../../../functions/domain/errors';
import { checkTarget, checkUrl, refusedAddress } from '../../../functions/domain/webhook-target';
import { thrownBy } from '../support/fixtures';

// The SSRF rule "as on AWS" (public) and as the local stack runs it (loopback allowed).

const resolveTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).errors[0]?.path).toBe('url');
  return (error as ValidationError).errors[0]?.message ?? '';
};

describe('addresses (public)', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    'ff02::1',
  ])('%s is refused', (address) => {
    expect(refusedAddress(address, 'public')).not.toBeNull();
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is allowed',
    (address) => {
      expect(refusedAddress(address, 'public')).toBeNull();
    },
  );

  it('locally the loopback addresses are allowed, the private ones still are not', () => {
    expect(refusedAddress('127.0.0.1', 'loopback')).toBeNull();
    expect(refusedAddress('::1', 'loopback')).toBeNull();
    expect(refusedAddress('10.0.0.1', 'loopback')).not.toBeNull();
    expect(refusedAddress('169.254.169.254', 'loopback')).not.toBeNull();
  });
});

describe('URLs', () => {
  it('on AWS only https', () => {
    const error = thrownBy(() => checkUrl('http://erp.example.com/hooks', 'public'));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ path: 'url', message: 'must be https' }]);
    expect(checkUrl('http://127.0.0.1:8080/x', 'loopback').port).toBe('8080');
  });

  it.each([
    'not a url',
    'ftp://erp.example.com/',
    'https://user:pw@erp.example.com/',
    'https://erp.example.com/#x',
  ])('%s is refused', (url) => {
    expect(thrownBy(() => checkUrl(url, 'public'))).toBeInstanceOf(ValidationError);
  });
});

describe('checkTarget', () => {
  it('a host with one private address among public ones is refused (every address is checked)', async () => {
    const message = await refusal(
      checkTarget('https://erp.example.com/', 'public', resolveTo('93.184.216.34', '10.0.0.7')),
    );
    expect(message).toContain('resolves to');
  });

  it('a host that resolves to nothing is refused', async () => {
    await refusal(checkTarget('https://nowhere.invalid/', 'public', resolveTo()));
    await refusal(
      checkTarget('https://nowhere.invalid/', 'public', async () => {
        throw new Error('ENOTFOUND');
      }),
    );
  });

  it('a public host: the first checked address is where the request connects', async () => {
    const target = await checkTarget(
      'https://erp.example.com/hooks',
      'public',
      resolveTo('2606:4700::1', '93.184.216.34'),
    );

    expect(target).toMatchObject({ address: '2606:4700::1', family: 6 });
    expect(target.url.hostname).toBe('erp.example.com');
  });

  it('an IP literal is checked without a lookup', async () => {
    const never = async () => {
      throw new Error('no lookup expected');
    };
    await refusal(checkTarget('https://169.254.169.254/latest/meta-data', 'public', never));
    await refusal(checkTarget('https://[::1]/', 'public', never));
  });
});
