import {
  blankHeic,
  detectFamily,
  exifOrientation,
  inspectPhoto,
  stripJpeg,
  stripPng,
} from '../../../functions/domain/photo-bytes';
import { heic, indexOfBytes, jpeg, png } from '../../support/images';

const MiB = 1024 * 1024;
const bytes = (s: string) => new TextEncoder().encode(s);

/** The APP1 segments of a JPEG, as [identifier, payload]. */
function app1Segments(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 2; i + 4 <= b.length && b[i + 1] !== 0xda; ) {
    const length = ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0);
    if (b[i + 1] === 0xe1) out.push(b.subarray(i + 4, i + 2 + length));
    i += 2 + length;
  }
  return out;
}

describe('what an upload really is (magic bytes)', () => {
  it('tells JPEG, PNG and HEIC from their first bytes, and nothing else', () => {
    expect(detectFamily(jpeg().bytes)).toBe('image/jpeg');
    expect(detectFamily(png().bytes)).toBe('image/png');
    expect(detectFamily(heic().bytes)).toBe('image/heic');
    expect(detectFamily(bytes('just some text, renamed to photo.jpg'))).toBeNull();
    expect(detectFamily(Uint8Array.of(0xff, 0xd8))).toBeNull();
  });

  it('takes an ftyp box as HEIC only with a heic, heix or mif1 brand', () => {
    const mp4 = Uint8Array.from([0, 0, 0, 16, ...bytes('ftypisom'), 0, 0, 0, 0]);
    expect(detectFamily(mp4)).toBeNull();
    const heix = Uint8Array.from([0, 0, 0, 20, ...bytes('ftypmsf1'), 0, 0, 0, 0, ...bytes('heix')]);
    expect(detectFamily(heix)).toBe('image/heic');
  });

  it('rejects a text file declared a JPEG, a PNG declared a JPEG, an empty or oversized file', () => {
    expect(inspectPhoto(bytes('hello, I am text'), 'image/jpeg', MiB)).toEqual({
      ok: false,
      reason: 'type_mismatch',
    });
    expect(inspectPhoto(png().bytes, 'image/jpeg', MiB)).toEqual({ ok: false, reason: 'type_mismatch' });
    expect(inspectPhoto(new Uint8Array(), 'image/png', MiB)).toEqual({ ok: false, reason: 'empty' });
    const big = jpeg().bytes;
    expect(inspectPhoto(big, 'image/jpeg', big.length - 1)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('takes image/heif as HEIC', () => {
    expect(inspectPhoto(heic().bytes, 'image/heif', MiB)).toMatchObject({ ok: true, family: 'image/heic' });
  });

  it('rejects a JPEG cut short as malformed', () => {
    const whole = jpeg({ orientation: 6 }).bytes;
    expect(inspectPhoto(whole.subarray(0, 60), 'image/jpeg', MiB)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('a JPEG without its location', () => {
  it('loses the Exif GPS block and the XMP, and keeps the picture byte for byte', () => {
    const { bytes: original, gps } = jpeg({ orientation: 1, xmp: true, jfif: true });
    expect(indexOfBytes(original, gps)).toBeGreaterThan(0);

    const { body, removed } = stripJpeg(original);

    expect(indexOfBytes(body, gps)).toBe(-1);
    expect(new TextDecoder('latin1').decode(body)).not.toContain('GPSLatitude');
    expect(app1Segments(body)).toEqual([]);
    expect(removed.sort()).toEqual(['exif', 'xmp']);
    // Everything from the quantisation table on (the image itself) is unchanged.
    const scanFrom = (b: Uint8Array) => b.subarray(indexOfBytes(b, Uint8Array.of(0xff, 0xdb)));
    expect(scanFrom(body)).toEqual(scanFrom(original));
  });

  it('keeps a rotated photo upright: a minimal Exif block with the orientation alone, after JFIF', () => {
    const { bytes: original, gps } = jpeg({ orientation: 6, jfif: true });

    const { body } = stripJpeg(original);

    const [exif, ...others] = app1Segments(body);
    expect(others).toEqual([]);
    expect(new TextDecoder('latin1').decode(exif?.subarray(0, 6))).toBe('Exif\0\0');
    expect(exifOrientation((exif as Uint8Array).subarray(6))).toBe(6);
    expect(exif?.length).toBe(32);
    expect(indexOfBytes(body, gps)).toBe(-1);
    // JFIF's APP0 stays first.
    expect([body[2], body[3]]).toEqual([0xff, 0xe0]);
  });

  it('reads the orientation from either byte order, and nothing from a broken block', () => {
    const le = Uint8Array.from([
      0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0,
    ]);
    expect(exifOrientation(le)).toBe(8);
    expect(exifOrientation(Uint8Array.from([0x4d, 0x4d, 0, 42, 0, 0, 0xff, 0xff]))).toBeNull();
    expect(exifOrientation(bytes('nonsense'))).toBeNull();
  });

  it('passes a JPEG with no metadata through unchanged', () => {
    const plain = jpeg().bytes;
    expect(stripJpeg(plain)).toEqual({ body: plain, removed: [] });
  });
});

describe('a PNG without its metadata', () => {
  it('loses eXIf and the text chunks, keeps IHDR, IDAT and IEND in order', () => {
    const { bytes: original, gps } = png();

    const { body, removed } = stripPng(original);

    expect(indexOfBytes(body, gps)).toBe(-1);
    expect(new TextDecoder('latin1').decode(body)).not.toContain('Shanghai');
    const types = (b: Uint8Array) => {
      const out: string[] = [];
      for (let i = 8; i < b.length; ) {
        const length = new DataView(b.buffer, b.byteOffset).getUint32(i);
        out.push(new TextDecoder().decode(b.subarray(i + 4, i + 8)));
        i += 12 + length;
      }
      return out;
    };
    expect(types(body)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(removed.sort()).toEqual(['exif', 'text']);
  });

  it('rejects a PNG whose chunk runs past the end', () => {
    const cut = png().bytes.subarray(0, 40);
    expect(inspectPhoto(cut, 'image/png', MiB)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('a HEIC without its location', () => {
  it('zeroes the Exif item where iloc puts it; the file keeps its length and its image item', () => {
    const { bytes: original, gps, image } = heic();

    const { body, removed } = blankHeic(original);

    expect(body.length).toBe(original.length);
    expect(indexOfBytes(body, gps)).toBe(-1);
    expect(indexOfBytes(body, image)).toBe(indexOfBytes(original, image));
    expect(removed).toEqual(['exif']);
  });

  it('rejects a HEIC whose Exif item it cannot locate for sure (construction method 2)', () => {
    expect(inspectPhoto(heic({ method: 2 }).bytes, 'image/heic', MiB)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
