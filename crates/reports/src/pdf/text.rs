//! The PDF's two faces (Noto Sans, embedded in the binary) and the measuring and wrapping
//! of text in them. Each character is one glyph, found in the font's `cmap` and as wide as
//! its `hmtx` advance, and is drawn exactly so (pdf/font.rs): Cyrillic, Latin, digits and
//! ₸ need no shaping, and a wrapped line then fits its column exactly.

// Noto Sans has Cyrillic, the Kazakh letters and the tenge sign (U+20B8); see
// assets/fonts/OFL.txt for its licence. Only the glyphs a document uses are embedded.
static REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// Characters below this are looked up once, when the face loads: Latin and Cyrillic, what
/// nearly every cell is made of.
const CACHED_CHARS: usize = 0x0530;

/// One face: its glyphs and advances, and what the PDF says about it.
pub(super) struct Face {
    /// The font file, which the PDF embeds a subset of.
    pub data: &'static [u8],
    parsed: ttf_parser::Face<'static>,
    /// The PostScript name ("NotoSans-Regular"), which the PDF calls the font by.
    pub postscript_name: String,
    pub units_per_em: f32,
    /// Each glyph's advance, in font units.
    advances: Vec<u16>,
    /// The glyph of each character below `CACHED_CHARS` (0: the font has none).
    cached: Vec<u16>,
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Face> {
        let parsed = ttf_parser::Face::parse(data, 0).ok()?;
        let postscript_name = parsed
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())?;
        let advances = (0..parsed.number_of_glyphs())
            .map(|g| parsed.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();
        let cached = (0..CACHED_CHARS as u32)
            .map(|c| char::from_u32(c).and_then(|c| parsed.glyph_index(c)).map_or(0, |g| g.0))
            .collect();
        let units_per_em = f32::from(parsed.units_per_em());
        Some(Face { data, parsed, postscript_name, units_per_em, advances, cached })
    }

    /// The glyph that draws `c`; 0 (the font's "missing" box) if it has none.
    pub fn glyph(&self, c: char) -> u16 {
        match self.cached.get(c as usize) {
            Some(&g) => g,
            None => self.parsed.glyph_index(c).map_or(0, |g| g.0),
        }
    }

    /// A glyph's advance in font units.
    pub fn advance(&self, glyph: u16) -> u16 {
        self.advances.get(usize::from(glyph)).copied().unwrap_or(0)
    }

    /// The parsed font, for the metrics the PDF's font descriptor repeats.
    pub fn metrics(&self) -> &ttf_parser::Face<'static> {
        &self.parsed
    }

    /// The advance of `text` set in one line at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.advance(self.glyph(c)))).sum();
        units as f32 / self.units_per_em * size
    }

    /// `text` broken into lines no wider than `width`: at spaces, and inside a word only
    /// when the word alone is wider (a long reference or address). A newline starts a line.
    /// Runs of spaces become one; there is always at least one line.
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let space = self.width(" ", size);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_width = 0.0;
            for word in paragraph.split_whitespace() {
                let w = self.width(word, size);
                if !line.is_empty() {
                    if line_width + space + w <= width {
                        line.push(' ');
                        line.push_str(word);
                        line_width += space + w;
                        continue;
                    }
                    lines.push(std::mem::take(&mut line));
                }
                if w <= width {
                    line.push_str(word);
                    line_width = w;
                    continue;
                }
                // Too wide even alone: cut between characters.
                line_width = 0.0;
                for c in word.chars() {
                    let cw = self.width(c.encode_utf8(&mut [0; 4]), size);
                    if !line.is_empty() && line_width + cw > width {
                        lines.push(std::mem::take(&mut line));
                        line_width = 0.0;
                    }
                    line.push(c);
                    line_width += cw;
                }
            }
            lines.push(line);
        }
        lines
    }
}

pub(super) struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    /// None only if the embedded files are not fonts, which the tests would show.
    pub fn load() -> Option<Fonts> {
        Some(Fonts { regular: Face::new(REGULAR)?, bold: Face::new(BOLD)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face() -> Face {
        Fonts::load().unwrap().regular
    }

    #[test]
    fn every_letter_of_the_documents_has_a_glyph() {
        let fonts = Fonts::load().unwrap();
        for f in [&fonts.regular, &fonts.bold] {
            for c in "АаЯяЁёӘәҒғҚқҢңӨөҰұҮүҺһІі AZaz09₸–—«»№\u{a0}".chars() {
                assert_ne!(f.glyph(c), 0, "{c:?} in {}", f.postscript_name);
                assert!(c == ' ' || c == '\u{a0}' || f.advance(f.glyph(c)) > 0, "{c:?}");
            }
        }
        assert_eq!(fonts.regular.postscript_name, "NotoSans-Regular");
        assert_eq!(fonts.bold.postscript_name, "NotoSans-Bold");
        assert!(fonts.bold.width("Қазақстан", 10.0) > fonts.regular.width("Қазақстан", 10.0));
    }

    #[test]
    fn width_grows_with_text_and_size() {
        let f = face();
        let one = f.width("Қазақстан", 10.0);
        assert!(one > 20.0 && one < 80.0, "{one}");
        assert!((f.width("Қазақстан", 20.0) - 2.0 * one).abs() < 0.01);
        assert!(f.width("Қазақстан Қазақстан", 10.0) > 2.0 * one);
        assert_eq!(f.width("", 10.0), 0.0);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_every_line_fits() {
        let f = face();
        let text = "Блокировка номера по заявлению клиента — Қазақстан ӘҒҚҢӨҰҮҺІ ₸";
        let width = 60.0;
        let lines = f.wrap(text, 8.0, width);
        assert!(lines.len() > 2, "{lines:?}");
        for l in &lines {
            assert!(f.width(l, 8.0) <= width, "{l:?} is too wide");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn wrap_cuts_a_word_wider_than_the_column_and_keeps_newlines() {
        let f = face();
        let word = "77010542001770105420017701054200177010542001";
        let lines = f.wrap(word, 8.0, 40.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.concat(), word);
        assert!(lines.iter().all(|l| f.width(l, 8.0) <= 40.0));
        assert_eq!(f.wrap("a\nb", 8.0, 100.0), ["a", "b"]);
        assert_eq!(f.wrap("", 8.0, 100.0), [""]);
        assert_eq!(f.wrap("  a   b ", 8.0, 100.0), ["a b"]);
    }
}
