//! The PDF's two faces (Noto Sans, embedded in the binary) and the measuring and wrapping
//! of text in them. krilla draws a line of text but does not lay it out, so widths are
//! measured here with the shaper krilla draws with: a wrapped line then fits exactly.

use krilla::text::Font;

// Noto Sans has Cyrillic, the Kazakh letters and the tenge sign (U+20B8); see
// assets/fonts/OFL.txt for its licence. krilla embeds only the glyphs a document uses.
static REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// One face: for krilla to draw with and for rustybuzz to measure with.
pub(super) struct Face {
    pub font: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Face> {
        let shaper = rustybuzz::Face::from_slice(data, 0)?;
        let units_per_em = shaper.units_per_em() as f32;
        Some(Face { font: Font::new(data.into(), 0)?, shaper, units_per_em })
    }

    /// The advance of `text` set in one line at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        // As krilla's `draw_text` does, so that the measure and the drawing agree.
        buffer.guess_segment_properties();
        let glyphs = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = glyphs.glyph_positions().iter().map(|p| p.x_advance).sum();
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
                // Too wide even alone: cut between characters. Measuring each character
                // alone ignores kerning, which is negligible inside a padded cell.
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
