// What an uploaded photo really is, read from its bytes, and its copy without the metadata that
// can say where it was taken (S22). Pure byte work: no image library, nothing decoded. Every
// length read from the file is bounds-checked; a file whose structure does not hold together is
// malformed, never half-copied.

/** The image families a photo may be; `image/heif` is checked and served as HEIC. */
export type ImageFamily = 'image/jpeg' | 'image/png' | 'image/heic';

/** Why an upload is not served: empty, larger than allowed, not the declared type, or broken inside. */
export type RejectReason = 'empty' | 'too_large' | 'type_mismatch' | 'malformed';

/** What a clean copy lost: Exif (all but its orientation), XMP, IPTC, PNG text chunks. */
export type Removed = 'exif' | 'xmp' | 'iptc' | 'text';

export type Inspection =
  | { ok: true; family: ImageFamily; body: Uint8Array; removed: Removed[] }
  | { ok: false; reason: RejectReason };

class MalformedImage extends Error {}
const malformed = (what: string): never => {
  throw new MalformedImage(what);
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The brands that make an ISO-BMFF file a HEIC/HEIF image (ISO/IEC 23008-12). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'mif1']);

const ascii = (b: Uint8Array, start: number, length: number) =>
  String.fromCharCode(...b.subarray(start, start + length));
const startsWith = (b: Uint8Array, prefix: readonly number[], at = 0) =>
  prefix.every((byte, i) => b[at + i] === byte);
const u16 = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u32 = (b: Uint8Array, at: number) => u16(b, at) * 0x10000 + u16(b, at + 2);

/** The family the magic bytes say, or null: JPEG FF D8 FF, the PNG signature, an ftyp box with a HEIC brand. */
export function detectFamily(b: Uint8Array): ImageFamily | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, PNG_SIGNATURE)) return 'image/png';
  if (b.length >= 16 && ascii(b, 4, 4) === 'ftyp') {
    const size = u32(b, 0);
    if (size < 16 || size > b.length) return null;
    // The major brand, then the compatible brands (skipping the minor version).
    const brands = [ascii(b, 8, 4)];
    for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(b, at, 4));
    if (brands.some((brand) => HEIC_BRANDS.has(brand))) return 'image/heic';
  }
  return null;
}

export const familyOf = (contentType: string): ImageFamily | null =>
  contentType === 'image/jpeg'
    ? 'image/jpeg'
    : contentType === 'image/png'
      ? 'image/png'
      : contentType === 'image/heic' || contentType === 'image/heif'
        ? 'image/heic'
        : null;

/**
 * The upload checked against what was declared: its size, its magic bytes, and then its structure
 * while the metadata is taken out. Only a clean copy is ever served.
 */
export function inspectPhoto(b: Uint8Array, declaredType: string, maxBytes: number): Inspection {
  if (b.length === 0) return { ok: false, reason: 'empty' };
  if (b.length > maxBytes) return { ok: false, reason: 'too_large' };
  const family = detectFamily(b);
  if (!family || family !== familyOf(declaredType)) return { ok: false, reason: 'type_mismatch' };
  try {
    const clean =
      family === 'image/jpeg' ? stripJpeg(b) : family === 'image/png' ? stripPng(b) : blankHeic(b);
    return { ok: true, family, ...clean };
  } catch (e) {
    if (e instanceof MalformedImage) return { ok: false, reason: 'malformed' };
    throw e;
  }
}

// --- JPEG: segments after SOI; APP1 (Exif, XMP) and APP13 (IPTC) are dropped ---

const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"
const XMP_IDS = ['http://ns.adobe.com/xap/1.0/\0', 'http://ns.adobe.com/xmp/extension/\0'];
const SOS = 0xda;
const EOI = 0xd9;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP13 = 0xed;
const isRestart = (m: number | undefined) => m !== undefined && m >= 0xd0 && m <= 0xd7;

/**
 * The JPEG without its APP1 and APP13 segments, and with a minimal Exif block of the orientation
 * alone when the original had one other than 1 (so a portrait photo still shows upright). The
 * entropy-coded data is copied as it is; anything after EOI is dropped.
 */
export function stripJpeg(b: Uint8Array): { body: Uint8Array; removed: Removed[] } {
  if (!startsWith(b, [0xff, 0xd8])) malformed('no SOI');
  const kept: Uint8Array[] = [];
  const removed = new Set<Removed>();
  let orientation: number | null = null;
  let afterApp0 = 0;
  let sawScan = false;
  let i = 2;
  for (;;) {
    if (i >= b.length) malformed('no EOI');
    if (b[i] !== 0xff) malformed('not a marker');
    while (b[i + 1] === 0xff) i++; // fill bytes before a marker
    const marker = b[i + 1];
    if (marker === undefined) malformed('truncated marker');
    if (marker === EOI) break;
    if (isRestart(marker) || marker === 0x01) {
      kept.push(b.subarray(i, i + 2));
      i += 2;
      continue;
    }
    const length = u16(b, i + 2);
    if (length < 2 || i + 2 + length > b.length) malformed('segment past the end');
    const segment = b.subarray(i, i + 2 + length);
    const payload = segment.subarray(4);
    i += 2 + length;
    if (marker === APP1) {
      if (startsWith(payload, EXIF_ID)) {
        orientation ??= exifOrientation(payload.subarray(EXIF_ID.length));
        removed.add('exif');
      } else if (XMP_IDS.some((id) => ascii(payload, 0, id.length) === id)) removed.add('xmp');
      else removed.add('exif');
      continue;
    }
    if (marker === APP13) {
      removed.add('iptc');
      continue;
    }
    kept.push(segment);
    if (marker === APP0 && kept.length === 1) afterApp0 = 1;
    if (marker === SOS) {
      sawScan = true;
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      const start = i;
      while (i < b.length && !(b[i] === 0xff && b[i + 1] !== 0 && !isRestart(b[i + 1]))) i++;
      kept.push(b.subarray(start, i));
    }
  }
  if (!sawScan) malformed('no image data');
  // JFIF wants its APP0 first; Exif goes right after it (or right after SOI).
  if (orientation !== null && orientation !== 1) kept.splice(afterApp0, 0, orientationExif(orientation));
  return { body: concat([b.subarray(0, 2), ...kept, Uint8Array.of(0xff, EOI)]), removed: [...removed] };
}

/** Tag 0x0112 of IFD0 in an Exif TIFF block, or null when absent or unreadable (the block goes anyway). */
export function exifOrientation(tiff: Uint8Array): number | null {
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const read16 = (at: number) => (at + 2 <= tiff.length ? view.getUint16(at, little) : null);
  const read32 = (at: number) => (at + 4 <= tiff.length ? view.getUint32(at, little) : null);
  if (read16(2) !== 42) return null;
  const ifd = read32(4);
  if (ifd === null) return null;
  const count = read16(ifd) ?? 0;
  for (let n = 0; n < count; n++) {
    const at = ifd + 2 + n * 12;
    if (read16(at) !== 0x0112) continue;
    if (read16(at + 2) !== 3) return null; // SHORT
    const value = read16(at + 8);
    return value !== null && value >= 1 && value <= 8 ? value : null;
  }
  return null;
}

/** An APP1 Exif segment holding one IFD0 entry, the orientation (big-endian TIFF). */
export function orientationExif(orientation: number): Uint8Array {
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0];
  const payload = [...EXIF_ID, ...tiff, 0, 0, 0, 0];
  const length = payload.length + 2;
  return Uint8Array.from([0xff, APP1, length >> 8, length & 0xff, ...payload]);
}

// --- PNG: chunks after the signature; eXIf and the text chunks (where XMP lives) are dropped ---

const PNG_DROPPED: Record<string, Removed> = { eXIf: 'exif', tEXt: 'text', zTXt: 'text', iTXt: 'text' };

export function stripPng(b: Uint8Array): { body: Uint8Array; removed: Removed[] } {
  if (!startsWith(b, PNG_SIGNATURE)) malformed('no PNG signature');
  const kept: Uint8Array[] = [b.subarray(0, 8)];
  const removed = new Set<Removed>();
  let i = 8;
  for (let first = true; ; first = false) {
    if (i + 12 > b.length) malformed('no IEND');
    const length = u32(b, i);
    const type = ascii(b, i + 4, 4);
    const end = i + 12 + length;
    if (end > b.length) malformed('chunk past the end');
    if (first && type !== 'IHDR') malformed('IHDR is not first');
    const dropped = PNG_DROPPED[type];
    if (dropped) removed.add(dropped);
    else kept.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') break;
  }
  return { body: concat(kept), removed: [...removed] };
}

// --- HEIC: the Exif and XMP items are overwritten with zeros where they lie ---

interface Box {
  type: string;
  /** Where its content starts (after the header) and where the box ends. */
  start: number;
  end: number;
}

function boxes(b: Uint8Array, from: number, to: number): Box[] {
  const out: Box[] = [];
  for (let at = from; at < to; ) {
    if (at + 8 > to) malformed('box header past the end');
    let size = u32(b, at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) malformed('large box header past the end');
      size = u32(b, at + 8) * 2 ** 32 + u32(b, at + 12);
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) malformed('box past the end');
    out.push({ type: ascii(b, at + 4, 4), start: at + header, end: at + size });
    at += size;
  }
  return out;
}

/** An unsigned big-endian integer of 0, 4 or 8 bytes (iloc's field sizes). */
function uint(b: Uint8Array, at: number, size: number): number {
  if (size === 0) return 0;
  if (size === 4) return u32(b, at);
  if (size === 8) return u32(b, at) * 2 ** 32 + u32(b, at + 4);
  return malformed('field size');
}

/**
 * The HEIC with its `Exif` and `mime` (XMP) items zeroed in place: the item stays where iloc says,
 * so no offset moves and the image data is untouched. The orientation is not in Exif here but in
 * the `irot`/`imir` properties, so it survives. An item stored in a way this does not read
 * (construction method 2, a length of "to the end") makes the file malformed: rejected, not served
 * with its location.
 */
export function blankHeic(b: Uint8Array): { body: Uint8Array; removed: Removed[] } {
  const top = boxes(b, 0, b.length);
  const meta = top.find((x) => x.type === 'meta');
  if (!meta) malformed('no meta box');
  const metaBox = meta as Box;
  const inner = boxes(b, metaBox.start + 4, metaBox.end);
  const iinf = inner.find((x) => x.type === 'iinf');
  const iloc = inner.find((x) => x.type === 'iloc');
  const idat = inner.find((x) => x.type === 'idat');
  const targets = new Map<number, Removed>();
  if (iinf) {
    const version = b[iinf.start] ?? 0;
    const entries = boxes(b, iinf.start + 4 + (version === 0 ? 2 : 4), iinf.end);
    for (const infe of entries.filter((x) => x.type === 'infe')) {
      const v = b[infe.start] ?? 0;
      if (v < 2) continue; // versions 0 and 1 carry no item type
      const id = v === 2 ? u16(b, infe.start + 4) : u32(b, infe.start + 4);
      const typeAt = infe.start + 4 + (v === 2 ? 2 : 4) + 2;
      if (typeAt + 4 > infe.end) malformed('infe past its box');
      const type = ascii(b, typeAt, 4);
      if (type === 'Exif') targets.set(id, 'exif');
      if (type === 'mime') targets.set(id, 'xmp');
    }
  }
  const out = Uint8Array.from(b);
  if (!targets.size) return { body: out, removed: [] };
  if (!iloc) malformed('metadata items without iloc');
  const loc = iloc as Box;
  const version = b[loc.start] ?? 0;
  let at = loc.start + 4;
  const sizes = b[at] ?? 0;
  const more = b[at + 1] ?? 0;
  const [offsetSize, lengthSize, baseSize] = [sizes >> 4, sizes & 15, more >> 4];
  const indexSize = version === 1 || version === 2 ? more & 15 : 0;
  at += 2;
  const wide = version === 2;
  const count = wide ? u32(b, at) : u16(b, at);
  at += wide ? 4 : 2;
  const removed = new Set<Removed>();
  for (let n = 0; n < count; n++) {
    if (at > loc.end) malformed('iloc past its box');
    const id = wide ? u32(b, at) : u16(b, at);
    at += wide ? 4 : 2;
    let method = 0;
    if (version === 1 || version === 2) {
      method = u16(b, at) & 15;
      at += 2;
    }
    at += 2; // data_reference_index
    const base = uint(b, at, baseSize);
    at += baseSize;
    const extents = u16(b, at);
    at += 2;
    for (let e = 0; e < extents; e++) {
      at += indexSize;
      const offset = uint(b, at, offsetSize);
      at += offsetSize;
      const length = uint(b, at, lengthSize);
      at += lengthSize;
      const what = targets.get(id);
      if (!what) continue;
      if (method > 1 || length === 0) malformed('metadata item stored in a way not read here');
      const origin = method === 1 ? (idat ? idat.start : malformed('no idat')) : 0;
      const start = origin + base + offset;
      if (start + length > (method === 1 && idat ? idat.end : b.length)) malformed('item past the end');
      out.fill(0, start, start + length);
      removed.add(what);
    }
  }
  if (at > loc.end) malformed('iloc past its box');
  return { body: out, removed: [...removed] };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
