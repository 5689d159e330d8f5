#!/usr/bin/python3
"""Cuts the repair form's font: Noto Sans SC (OFL 1.1) reduced to GB2312's 6,763 hanzi and
its symbols, Latin-1 and the punctuation a form prints, converted from CFF to TrueType outlines.

Why TrueType: pdf-lib subsets each PDF's font again with fontkit, and fontkit's subsetting of
Noto's CID-keyed CFF writes a font file PDF readers refuse ("Embedded font file may be
invalid"); its glyf subsetting is sound. Why GB2312: it covers the simplified Chinese a
resident or a technician types in practice, at a fraction of the full font's 19 MB.

Run once, from the repository root, on a machine with Debian's fonts-noto-cjk and
python3-fonttools (the font and its license are committed; rerun only to change the cut):
  /usr/bin/python3 scripts/build-form-font.py
"""
import os
import shutil
import sys

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SOURCE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
SC_INDEX = 2  # the collection's Simplified Chinese face
LICENSE = '/usr/share/doc/fonts-noto-cjk/copyright'
OUT_DIR = 'functions/adapters/fonts'
OUT = os.path.join(OUT_DIR, 'NotoSansSC-GB2312.ttf')

# ASCII, Latin-1, general punctuation, currency, letterlike, arrows, enclosed numbers,
# shapes, ✓ (the kit's checks; × is Latin-1), CJK punctuation, full- and half-width forms.
UNICODES = [
    *range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2000, 0x2070), 0x20AC,
    *range(0x2100, 0x2150), *range(0x2190, 0x2200), *range(0x2460, 0x2500),
    *range(0x25A0, 0x2600), 0x2713,
    *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0),
]


def gb2312() -> set[int]:
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes([hi, lo]).decode('gb2312')))
            except UnicodeDecodeError:
                pass
    return out


def to_truetype(font: TTFont) -> None:
    """CFF outlines to quadratic glyf ones (fontTools' otf2ttf recipe), within 1 unit of 1000."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    font['loca'] = newTable('loca')
    font['glyf'] = glyf = newTable('glyf')
    glyf.glyphOrder = order
    glyf.glyphs = {}
    # Even lengths: fontkit's subset writes short loca offsets (halved) for a small PDF font,
    # which points into the middle of any glyph after an odd-length one.
    glyf.padding = 2
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font['CFF ']
    for table in ('VORG', 'vhea', 'vmtx'):
        if table in font:
            del font[table]
    maxp = font['maxp'] = newTable('maxp')
    maxp.tableVersion = 0x00010000
    for field in (
        'maxZones', 'maxTwilightPoints', 'maxStorage', 'maxFunctionDefs', 'maxInstructionDefs',
        'maxStackElements', 'maxSizeOfInstructions', 'maxComponentElements',
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font['head'].indexToLocFormat = 1
    font['head'].glyphDataFormat = 0
    post = font['post']
    post.formatType = 3.0  # no glyph names: nothing reads them, and they cost space
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font.sfntVersion = '\x00\x01\x00\x00'


def main() -> int:
    os.makedirs(OUT_DIR, exist_ok=True)
    options = subset.Options()
    options.font_number = SC_INDEX
    options.layout_features = []  # a form lays out left to right, glyph by glyph
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ['*']
    options.name_languages = ['*']
    options.drop_tables += ['vhea', 'vmtx', 'VORG', 'DSIG']
    font = subset.load_font(SOURCE, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(gb2312() | set(UNICODES)))
    subsetter.subset(font)
    to_truetype(font)
    font.recalcBBoxes = True  # the new glyf outlines have no bounds yet
    font.save(OUT)
    shutil.copyfile(LICENSE, os.path.join(OUT_DIR, 'LICENSE-noto-cjk.txt'))
    print(f'{OUT}: {os.path.getsize(OUT)} bytes, {len(font.getGlyphOrder())} glyphs')
    return 0


if __name__ == '__main__':
    sys.exit(main())
