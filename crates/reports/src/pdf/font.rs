//! A face as the PDF embeds it: a CID-keyed Type 0 font (Identity-H) whose CIDs are the
//! glyphs of a subset holding only those the document drew, numbered in the order they
//! were first drawn. Pages are written before the last glyph is known, so a glyph gets its
//! CID when first drawn and keeps it; the subset, its widths and the ToUnicode map (which
//! gives copy-paste and `pdftotext` the characters back) are written at the end.

use super::file::{PdfFile, deflate};
use super::text::Face;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Rect, Ref, Str};
use subsetter::GlyphRemapper;

const SYSTEM_INFO: SystemInfo = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
/// How many objects a font takes: `FontRefs`'s fields.
pub(super) const OBJECTS: i32 = 5;

/// The glyphs of one face drawn so far.
pub(super) struct UsedGlyphs {
    /// Each drawn glyph's CID: its number in the subset.
    cids: GlyphRemapper,
    /// The character each CID was first drawn for, by CID (the first is .notdef's).
    chars: Vec<char>,
}

impl UsedGlyphs {
    pub fn new() -> Self {
        // The remapper keeps .notdef as CID 0, as a font must.
        UsedGlyphs { cids: GlyphRemapper::new(), chars: vec!['\0'] }
    }

    /// Appends `text` to `out` as the two-byte CIDs that draw it in `face`.
    pub fn encode(&mut self, face: &Face, text: &str, out: &mut Vec<u8>) {
        for c in text.chars() {
            let cid = self.cids.remap(face.glyph(c));
            if usize::from(cid) == self.chars.len() {
                self.chars.push(c);
            }
            out.extend_from_slice(&cid.to_be_bytes());
        }
    }

    /// Writes the font `refs.font` with the subset of `face` the drawn glyphs make.
    pub fn write(&self, face: &Face, refs: Ref, file: &mut PdfFile) -> std::io::Result<()> {
        let [font, cid_font, descriptor, to_unicode, program] = [0, 1, 2, 3, 4].map(|i| Ref::new(refs.get() + i));
        let subset = subsetter::subset(face.data, 0, &self.cids)
            .map_err(|e| std::io::Error::other(format!("subsetting {}: {e}", face.postscript_name)))?;
        // A subset's name is tagged with six capitals, from the glyphs it holds.
        let mut hash: u32 = 2_166_136_261;
        for g in self.cids.remapped_gids() {
            hash = (hash ^ u32::from(g)).wrapping_mul(16_777_619);
        }
        let tag: String = (0..6).map(|i| char::from(b'A' + (hash >> (i * 5) & 31) as u8 % 26)).collect();
        let name = format!("{tag}+{}", face.postscript_name);
        let to_pdf = |units: f32| units / face.units_per_em * 1000.0;

        file.object(font, |c| {
            c.type0_font(font)
                .base_font(Name(name.as_bytes()))
                .encoding_predefined(Name(b"Identity-H"))
                .descendant_font(cid_font)
                .to_unicode(to_unicode);
        })?;
        file.object(cid_font, |c| {
            let mut cid = c.cid_font(cid_font);
            cid.subtype(CidFontType::Type2)
                .base_font(Name(name.as_bytes()))
                .system_info(SYSTEM_INFO)
                .font_descriptor(descriptor)
                .cid_to_gid_map_predefined(Name(b"Identity"));
            let widths = self.cids.remapped_gids().map(|g| to_pdf(f32::from(face.advance(g))));
            cid.widths().consecutive(0, widths);
            cid.finish();
        })?;
        let metrics = face.metrics();
        file.object(descriptor, |c| {
            let bbox = metrics.global_bounding_box();
            let ascent = to_pdf(f32::from(metrics.ascender()));
            let weight = f32::from(metrics.weight().to_number());
            c.font_descriptor(descriptor)
                .name(Name(name.as_bytes()))
                // Symbolic: its glyphs are outside the standard Latin set.
                .flags(FontFlags::SYMBOLIC)
                .bbox(Rect::new(
                    to_pdf(f32::from(bbox.x_min)),
                    to_pdf(f32::from(bbox.y_min)),
                    to_pdf(f32::from(bbox.x_max)),
                    to_pdf(f32::from(bbox.y_max)),
                ))
                .italic_angle(metrics.italic_angle())
                .ascent(ascent)
                .descent(to_pdf(f32::from(metrics.descender())))
                .cap_height(metrics.capital_height().map_or(ascent, |h| to_pdf(f32::from(h))))
                // The usual guess from the weight class: fonts do not record their stems.
                .stem_v(10.0 + 0.244 * (weight - 50.0))
                .font_file2(program);
        })?;
        let mut cmap = UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
        for (cid, &c) in self.chars.iter().enumerate().skip(1) {
            cmap.pair(cid as u16, c);
        }
        let cmap = deflate(&cmap.finish());
        file.object(to_unicode, |c| {
            c.cmap(to_unicode, &cmap).filter(Filter::FlateDecode);
        })?;
        let compressed = deflate(&subset);
        file.object(program, |c| {
            c.stream(program, &compressed).filter(Filter::FlateDecode).pair(Name(b"Length1"), subset.len() as i32);
        })
    }
}
