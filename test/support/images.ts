import { deflateSync } from 'node:zlib';

// Small real images built byte by byte, with the metadata a phone writes: a baseline JPEG (one 8×8
// grey block, decodable by any JPEG decoder) with an Exif block holding the orientation and a GPS
// position, a PNG with eXIf and tEXt chunks, a HEIC skeleton (ftyp, meta with iinf/iloc, mdat)
// whose Exif item holds a GPS block. Each builder also answers the GPS bytes it wrote, so a test
// can tell they are gone.

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const text = (s: string) => [...Buffer.from(s, 'latin1')];

/** A big-endian TIFF block: IFD0 with the orientation and a pointer to a GPS IFD (N 31°14'24", E 121°28'12"). */
export function exifTiff(orientation: number): { tiff: number[]; gps: number[] } {
  // Offsets from the TIFF header: IFD0 at 8 (2 entries: 2 + 24 + 4 = 30 bytes) → GPS IFD at 38.
  const gpsAt = 38;
  const rationalsAt = gpsAt + 2 + 4 * 12 + 4; // after a 4-entry GPS IFD
  const rational = (n: number, d: number) => [...u32(n), ...u32(d)];
  const entry = (tag: number, type: number, count: number, value: number[]) => [
    ...u16(tag),
    ...u16(type),
    ...u32(count),
    ...value,
  ];
  const ifd0 = [
    ...u16(2),
    ...entry(0x0112, 3, 1, [...u16(orientation), 0, 0]),
    ...entry(0x8825, 4, 1, u32(gpsAt)),
    ...u32(0),
  ];
  const gpsIfd = [
    ...u16(4),
    ...entry(0x0001, 2, 2, [0x4e, 0, 0, 0]), // GPSLatitudeRef "N"
    ...entry(0x0002, 5, 3, u32(rationalsAt)), // GPSLatitude
    ...entry(0x0003, 2, 2, [0x45, 0, 0, 0]), // GPSLongitudeRef "E"
    ...entry(0x0004, 5, 3, u32(rationalsAt + 24)), // GPSLongitude
    ...u32(0),
  ];
  const coordinates = [
    ...rational(31, 1),
    ...rational(14, 1),
    ...rational(2400, 100),
    ...rational(121, 1),
    ...rational(28, 1),
    ...rational(1200, 100),
  ];
  const gps = [...gpsIfd, ...coordinates];
  return { tiff: [0x4d, 0x4d, 0, 42, ...u32(8), ...ifd0, ...gps], gps };
}

const segment = (marker: number, payload: number[]) => [0xff, marker, ...u16(payload.length + 2), ...payload];

export interface JpegOptions {
  /** The Exif orientation (1 upright, 6 rotated 90° clockwise); absent: no Exif block at all. */
  orientation?: number;
  /** An XMP packet in APP1 too, naming the place. */
  xmp?: boolean;
  /** A JFIF APP0 first, as most encoders write. */
  jfif?: boolean;
}

/** A decodable 8×8 grey baseline JPEG, with an Exif GPS block when given an orientation. */
export function jpeg(opts: JpegOptions = {}): { bytes: Uint8Array; gps: Uint8Array } {
  const parts: number[] = [0xff, 0xd8];
  let gps: number[] = [];
  if (opts.jfif) parts.push(...segment(0xe0, [...text('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  if (opts.orientation !== undefined) {
    const exif = exifTiff(opts.orientation);
    gps = exif.gps;
    parts.push(...segment(0xe1, [...text('Exif\0\0'), ...exif.tiff]));
  }
  if (opts.xmp)
    parts.push(
      ...segment(0xe1, [
        ...text('http://ns.adobe.com/xap/1.0/\0'),
        ...text('<x:xmpmeta><rdf:Description exif:GPSLatitude="31,14.4N"/></x:xmpmeta>'),
      ]),
    );
  parts.push(
    ...segment(0xdb, [0x00, ...new Array(64).fill(1)]), // DQT: table 0, all ones
    ...segment(0xc0, [8, ...u16(8), ...u16(8), 1, 1, 0x11, 0]), // SOF0: 8×8, one component
    // DHT: a DC table (class 0) and an AC table (class 1), each one code of length 1 for symbol 0.
    ...segment(0xc4, [0x00, 1, ...new Array(15).fill(0), 0]),
    ...segment(0xc4, [0x10, 1, ...new Array(15).fill(0), 0]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS
    // DC difference 0 (code "0"), then end of block (code "0"), padded with ones.
    0x3f,
    0xff,
    0xd9,
  );
  return { bytes: Uint8Array.from(parts), gps: Uint8Array.from(gps) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: number[]): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const chunk = (type: string, data: number[]) => {
  const body = [...text(type), ...data];
  return [...u32(data.length), ...body, ...u32(crc32(body))];
};

/** A 1×1 grey PNG with an eXIf chunk (the same GPS block) and a tEXt chunk naming the place. */
export function png(): { bytes: Uint8Array; gps: Uint8Array } {
  const exif = exifTiff(1);
  const bytes = [
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...chunk('IHDR', [...u32(1), ...u32(1), 8, 0, 0, 0, 0]),
    ...chunk('eXIf', exif.tiff),
    ...chunk('tEXt', text('Location\0Shanghai, Building 2')),
    ...chunk('IDAT', [...deflateSync(Buffer.from([0, 0x80]))]),
    ...chunk('IEND', []),
  ];
  return { bytes: Uint8Array.from(bytes), gps: Uint8Array.from(exif.gps) };
}

const box = (type: string, content: number[]) => [...u32(content.length + 8), ...text(type), ...content];
const fullBox = (type: string, version: number, content: number[]) =>
  box(type, [version, 0, 0, 0, ...content]);

/**
 * A HEIC's structure: ftyp (heic, mif1), meta with iinf (an hvc1 image item 1, an Exif item 2)
 * and iloc (both in mdat, by file offset), then mdat. The image item's bytes are a stand-in (not
 * decodable HEVC): what matters is that they are left alone. `method` sets the Exif item's
 * construction method (iloc version 1).
 */
export function heic(opts: { method?: number } = {}): {
  bytes: Uint8Array;
  gps: Uint8Array;
  image: Uint8Array;
} {
  const exif = exifTiff(1);
  const exifItem = [...u32(0), ...exif.tiff]; // the Exif item: the TIFF header's offset, then TIFF
  const image = Array.from({ length: 64 }, (_, i) => (i * 7 + 3) & 0xff);
  const ftyp = box('ftyp', [...text('heic'), ...u32(0), ...text('mif1'), ...text('heic')]);
  const infe = (id: number, type: string) => fullBox('infe', 2, [...u16(id), ...u16(0), ...text(type), 0]);
  const iinf = fullBox('iinf', 0, [...u16(2), ...infe(1, 'hvc1'), ...infe(2, 'Exif')]);
  const ilocOf = (imageAt: number, exifAt: number) => {
    const item = (id: number, at: number, length: number, method: number) => [
      ...u16(id),
      ...u16(method), // reserved + construction_method (iloc version 1)
      ...u16(0), // data_reference_index
      ...u16(1), // one extent
      ...u32(at),
      ...u32(length),
    ];
    return fullBox('iloc', 1, [
      0x44, // offset_size 4, length_size 4
      0x00, // base_offset_size 0, index_size 0
      ...u16(2),
      ...item(1, imageAt, image.length, 0),
      ...item(2, exifAt, exifItem.length, opts.method ?? 0),
    ]);
  };
  // The offsets depend on the header's length, which does not depend on them: measure first.
  const headerLength = ftyp.length + fullBox('meta', 0, [...iinf, ...ilocOf(0, 0)]).length + 8;
  const imageAt = headerLength;
  const exifAt = imageAt + image.length;
  const meta = fullBox('meta', 0, [...iinf, ...ilocOf(imageAt, exifAt)]);
  const bytes = [...ftyp, ...meta, ...box('mdat', [...image, ...exifItem])];
  return { bytes: Uint8Array.from(bytes), gps: Uint8Array.from(exif.gps), image: Uint8Array.from(image) };
}

/** Where `needle` occurs in `hay`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
