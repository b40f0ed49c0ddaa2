//! A titled table as a PDF: the title and the as-of line on the first page, then the
//! document's `before` blocks (crate::document), the header row on top of every page of
//! the table, rows wrapped within their columns and broken across pages, the `after` blocks
//! below the last row (on pages of their own, without the header, when they run over), and
//! "N / M" at the foot of every page.
//!
//! The layout is in two passes over the rows (a page's footer needs the page count, known
//! only at the end): as rows come, each is wrapped into its lines, which go to a temporary
//! file, and placed on pages that are only counted; in `finish` the lines are read back and
//! placed again, the same way, and each page is drawn and written to the output as soon as
//! it is full. Only the fonts (the glyphs used), the page tree and the cross-reference table
//! wait for the end, so memory stays that of one page however long the table is. The
//! blocks are few and small: laid out once (pdf/blocks.rs) and held, they are placed in
//! both passes, the `after` ones at the start of `finish` for the count, then again at the
//! end of the drawing pass.

mod blocks;
mod file;
mod font;
mod text;

use crate::document::Frame;
use crate::format;
use crate::table::{Cell, TableHead};
use blocks::{Group, Piece};
use file::{PdfFile, deflate};
use font::UsedGlyphs;
use pdf_writer::writers::{Catalog, DocumentInfo};
use pdf_writer::{Content, Filter, Finish, Name, Rect, Ref, Str, TextStr};
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use text::{Face, Fonts};

#[derive(Debug, thiserror::Error)]
#[error("could not write the PDF: {0}")]
pub struct PdfError(String);

impl From<std::io::Error> for PdfError {
    fn from(e: std::io::Error) -> Self {
        PdfError(e.to_string())
    }
}

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
const A4_SHORT: f32 = 210.0 * MM;
const A4_LONG: f32 = 297.0 * MM;
const MARGIN: f32 = 15.0 * MM;
const TITLE_SIZE: f32 = 13.0;
const AS_OF_SIZE: f32 = 9.0;
const BODY_SIZE: f32 = 8.0;
const FOOTER_SIZE: f32 = 8.0;
/// Line height as a multiple of the font size; the baseline sits one size below the top.
const LEADING: f32 = 1.3;
/// Space between a cell's text and its column's edges.
const PAD_X: f32 = 2.5;
const PAD_Y: f32 = 2.0;
/// The footer line and the gap above it are kept free of rows.
const FOOTER_SPACE: f32 = FOOTER_SIZE * LEADING + 6.0;
/// A column missing from `widths`, or with a senseless width, gets this many characters.
const DEFAULT_WIDTH: f64 = 10.0;

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
}

#[derive(Clone, Copy, PartialEq)]
enum Weight {
    Regular,
    Bold,
}

/// Something drawn on a page, in points from its top left corner.
enum Mark {
    /// A line of text; `y` is its baseline.
    Text { x: f32, y: f32, size: f32, weight: Weight, text: String },
    /// A horizontal rule; `light` ones separate rows, the dark one ends the header.
    Rule { x0: f32, x1: f32, y: f32, light: bool },
}

struct Page {
    /// Where the header goes; None on a page of blocks only.
    header_top: Option<f32>,
    marks: Vec<Mark>,
}

/// One cell's lines and how they sit in the column.
struct Lines {
    lines: Vec<String>,
    align: Align,
}

/// Writes a table row by row: `new`, `row` for each row, then `finish`.
pub struct PdfTableWriter {
    fonts: Fonts,
    head: TableHead,
    decimal_comma: bool,
    page_width: f32,
    page_height: f32,
    /// Each column's left edge and width.
    columns: Vec<(f32, f32)>,
    /// The header's cells, wrapped once and drawn on every page; a column's header is
    /// aligned as its amounts are, known only once rows come, so it is drawn in `finish`.
    header: Vec<Lines>,
    /// The page being laid out, and how many have been started (it included).
    page: Page,
    pages: usize,
    /// Where the next row starts on the page.
    y: f32,
    /// The frame's blocks, laid out for the page's width.
    before: Vec<Group>,
    after: Vec<Group>,
    /// Each row's wrapped lines, for the second pass.
    spool: BufWriter<std::fs::File>,
    /// In the second pass: the page's marks are made (in the first only counted).
    drawing: bool,
}

/// The objects' numbers: the fixed ones, then each font's, then two for each page.
const CATALOG: Ref = Ref::new(1);
const PAGE_TREE: Ref = Ref::new(2);
const INFO: Ref = Ref::new(3);
const REGULAR_FONT: Ref = Ref::new(4);
const BOLD_FONT: Ref = Ref::new(4 + font::OBJECTS);
const FIRST_PAGE: i32 = 4 + 2 * font::OBJECTS;

/// The page numbered `n` (from 1), whose content stream is the object after it.
fn page_ref(n: usize) -> Ref {
    Ref::new(FIRST_PAGE + 2 * (n as i32 - 1))
}

/// Where full pages go in the second pass: the file, the page count the first pass found,
/// and the glyphs drawn so far in each face.
struct Sink<'a> {
    file: PdfFile<'a>,
    count: usize,
    regular: UsedGlyphs,
    bold: UsedGlyphs,
}

impl PdfTableWriter {
    /// `locale_decimal_comma`: amounts as `1 234,50 ₸` (ru, kk) rather than `1,234.50 ₸` (en).
    pub fn new(head: TableHead, locale_decimal_comma: bool) -> Result<Self, PdfError> {
        Self::document(head, Frame::default(), locale_decimal_comma)
    }

    /// A table with blocks of text above and below it (an act, a reconciliation statement).
    pub fn document(head: TableHead, frame: Frame, locale_decimal_comma: bool) -> Result<Self, PdfError> {
        if head.header.is_empty() {
            return Err(PdfError("a table needs at least one column".into()));
        }
        let fonts = Fonts::load().ok_or_else(|| PdfError("the embedded fonts do not load".into()))?;

        // `widths` are in characters, as a spreadsheet's are: a character is taken to be a
        // digit's advance, which is what a spreadsheet's unit is.
        let chars: Vec<f64> = (0..head.header.len())
            .map(|c| head.widths.get(c).copied().filter(|w| w.is_finite() && *w > 0.0).unwrap_or(DEFAULT_WIDTH))
            .collect();
        let total_chars: f64 = chars.iter().sum();
        let digit = fonts.regular.width("0", BODY_SIZE);
        let natural = total_chars as f32 * digit + chars.len() as f32 * 2.0 * PAD_X;
        // A table that would be squeezed on a portrait page turns the page.
        let (page_width, page_height) =
            if natural > A4_SHORT - 2.0 * MARGIN { (A4_LONG, A4_SHORT) } else { (A4_SHORT, A4_LONG) };
        // Then the columns share the whole width in proportion to their widths.
        let usable = page_width - 2.0 * MARGIN;
        let mut x = MARGIN;
        let columns = chars
            .iter()
            .map(|w| {
                let width = (*w / total_chars) as f32 * usable;
                x += width;
                (x - width, width)
            })
            .collect::<Vec<_>>();

        let header = head
            .header
            .iter()
            .zip(&columns)
            .map(|(h, (_, w))| Lines { lines: fonts.bold.wrap(h, BODY_SIZE, w - 2.0 * PAD_X), align: Align::Left })
            .collect();

        let before = blocks::lay_out(&frame.before, &fonts, MARGIN, usable, locale_decimal_comma);
        let after = blocks::lay_out(&frame.after, &fonts, MARGIN, usable, locale_decimal_comma);

        let mut writer = PdfTableWriter {
            fonts,
            head,
            decimal_comma: locale_decimal_comma,
            page_width,
            page_height,
            columns,
            header,
            page: Page { header_top: None, marks: Vec::new() },
            pages: 0,
            y: MARGIN,
            before,
            after,
            spool: BufWriter::new(tempfile::tempfile()?),
            drawing: false,
        };
        // A piece taller than a page would never find one to go on.
        let page_room = writer.bottom() - MARGIN;
        if writer.before.iter().chain(&writer.after).flatten().any(|p| p.height > page_room) {
            return Err(PdfError("a block does not fit on a page".into()));
        }
        writer.open(&mut None)?;
        // A header taller than a page would leave no room for a line of a row.
        if writer.fresh_room() == 0 {
            return Err(PdfError("the header does not leave room for rows".into()));
        }
        Ok(writer)
    }

    fn line_height() -> f32 {
        BODY_SIZE * LEADING
    }

    fn bottom(&self) -> f32 {
        self.page_height - MARGIN - FOOTER_SPACE
    }

    /// How many lines of a row fit below `self.y` on this page.
    fn room(&self) -> usize {
        let free = self.bottom() - self.y - 2.0 * PAD_Y;
        if free < Self::line_height() { 0 } else { (free / Self::line_height()) as usize }
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.fonts.regular,
            Weight::Bold => &self.fonts.bold,
        }
    }

    /// Starts the document: the first page with the title, the as-of line and the `before`
    /// blocks, then the table's header, below them or (when no line of a row would fit
    /// under it) on top of the next page.
    fn open(&mut self, sink: &mut Option<Sink>) -> std::io::Result<()> {
        self.start_page(sink, false)?;
        let width = self.page_width - 2.0 * MARGIN;
        for (text, size, weight) in [
            (self.head.title.clone(), TITLE_SIZE, Weight::Bold),
            (self.head.as_of.clone(), AS_OF_SIZE, Weight::Regular),
        ] {
            for line in self.face(weight).wrap(&text, size, width) {
                self.mark(Mark::Text { x: MARGIN, y: self.y + size, size, weight, text: line });
                self.y += size * LEADING;
            }
        }
        let before = std::mem::take(&mut self.before);
        let placed = self.place_groups(&before, sink);
        self.before = before;
        placed?;
        self.y += 8.0;
        if self.y + self.header_height() + Self::band_height(1) > self.bottom() {
            self.start_page(sink, true)
        } else {
            self.header();
            Ok(())
        }
    }

    /// Opens a page, with the table's header on top or (for blocks only) without. The page
    /// before it, if any, is done: drawn in the second pass, dropped in the first.
    fn start_page(&mut self, sink: &mut Option<Sink>, with_header: bool) -> std::io::Result<()> {
        self.end_page(sink)?;
        self.pages += 1;
        self.y = MARGIN;
        if with_header {
            self.header();
        }
        Ok(())
    }

    /// Puts the header at `self.y` on this page.
    fn header(&mut self) {
        self.page.header_top = Some(self.y);
        self.y += self.header_height();
        let (x0, x1) = (MARGIN, self.page_width - MARGIN);
        self.mark(Mark::Rule { x0, x1, y: self.y, light: false });
    }

    /// Places blocks' groups below `self.y`: a group that does not fit in the rest of the
    /// page goes whole onto a new one (a page without the header), unless even a fresh page
    /// is too short for it; then its pieces go one by one.
    fn place_groups(&mut self, groups: &[Group], sink: &mut Option<Sink>) -> std::io::Result<()> {
        let page_room = self.bottom() - MARGIN;
        for group in groups {
            let height: f32 = group.iter().map(|p| p.height).sum();
            if self.y + height > self.bottom() && height <= page_room {
                self.start_page(sink, false)?;
            }
            for piece in group {
                if self.y + piece.height > self.bottom() {
                    self.start_page(sink, false)?;
                }
                self.put(piece);
            }
        }
        Ok(())
    }

    /// Puts a block's piece at `self.y` and moves `self.y` below it.
    fn put(&mut self, piece: &Piece) {
        if self.drawing {
            let top = self.y;
            self.page.marks.extend(piece.marks.iter().map(|m| match m {
                Mark::Text { x, y, size, weight, text } => {
                    Mark::Text { x: *x, y: top + y, size: *size, weight: *weight, text: text.clone() }
                }
                Mark::Rule { x0, x1, y, light } => Mark::Rule { x0: *x0, x1: *x1, y: top + y, light: *light },
            }));
        }
        self.y += piece.height;
    }

    fn mark(&mut self, mark: Mark) {
        if self.drawing {
            self.page.marks.push(mark);
        }
    }

    /// Takes the open page: drawn and written out in the second pass.
    fn end_page(&mut self, sink: &mut Option<Sink>) -> std::io::Result<()> {
        let page = std::mem::replace(&mut self.page, Page { header_top: None, marks: Vec::new() });
        match sink {
            Some(sink) if self.pages > 0 => self.draw(page, sink),
            _ => Ok(()),
        }
    }

    /// Places the lines `range` of each cell as one band across the columns at `self.y`,
    /// and moves `self.y` below it.
    fn place(&mut self, cells: &[Lines], range: std::ops::Range<usize>) {
        if self.drawing {
            let marks = self.band(cells, range.clone(), Weight::Regular, self.y);
            self.page.marks.extend(marks);
        }
        self.y += Self::band_height(range.len());
    }

    fn band_height(lines: usize) -> f32 {
        2.0 * PAD_Y + lines as f32 * Self::line_height()
    }

    fn header_height(&self) -> f32 {
        Self::band_height(self.header.iter().map(|c| c.lines.len()).max().unwrap_or(1))
    }

    /// The text of the lines `range` of each cell, in a band across the columns from `top`.
    fn band(&self, cells: &[Lines], range: std::ops::Range<usize>, weight: Weight, top: f32) -> Vec<Mark> {
        let top = top + PAD_Y;
        let mut marks = Vec::new();
        for (cell, &(x, width)) in cells.iter().zip(&self.columns) {
            let lines = cell.lines.get(range.start..range.end.min(cell.lines.len())).unwrap_or_default();
            for (i, line) in lines.iter().enumerate() {
                let x = match cell.align {
                    Align::Left => x + PAD_X,
                    Align::Right => x + width - PAD_X - self.face(weight).width(line, BODY_SIZE),
                };
                let y = top + i as f32 * Self::line_height() + BODY_SIZE;
                marks.push(Mark::Text { x, y, size: BODY_SIZE, weight, text: line.clone() });
            }
        }
        marks
    }

    /// Appends a row: cells beyond the last are an error, missing ones are left blank.
    pub fn row(&mut self, cells: &[Cell]) -> Result<(), PdfError> {
        if cells.len() > self.columns.len() {
            return Err(PdfError(format!(
                "a row of {} cells in a table of {} columns",
                cells.len(),
                self.columns.len()
            )));
        }
        let lines: Vec<Lines> = cells
            .iter()
            .zip(&self.columns)
            .map(|(cell, (_, width))| {
                let width = width - 2.0 * PAD_X;
                match cell {
                    // An amount stays on one line (its spaces are no-break), flush right.
                    Cell::Money(tiyn) => {
                        Lines { lines: vec![format::money(*tiyn, self.decimal_comma)], align: Align::Right }
                    }
                    Cell::Text(s) => Lines { lines: self.fonts.regular.wrap(s, BODY_SIZE, width), align: Align::Left },
                    Cell::DateTime(t) => Lines {
                        lines: self.fonts.regular.wrap(&format::date_time(t), BODY_SIZE, width),
                        align: Align::Left,
                    },
                }
            })
            .collect();
        for (c, cell) in cells.iter().enumerate() {
            if matches!(cell, Cell::Money(_)) {
                self.header[c].align = Align::Right;
            }
        }
        spool_row(&mut self.spool, &lines)?;
        self.flow(&lines, &mut None)?;
        Ok(())
    }

    /// Places a row's lines below the last: on this page, moved whole to the next, or split.
    fn flow(&mut self, lines: &[Lines], sink: &mut Option<Sink>) -> std::io::Result<()> {
        // At least one line: a cell has one, and a row of no cells still takes a line.
        let height = lines.iter().map(|c| c.lines.len()).max().unwrap_or(1);

        let mut done = 0;
        while done < height {
            let (room, rest) = (self.room(), height - done);
            if rest <= room {
                self.place(lines, done..height);
                break;
            }
            // A row that would fit on the next page is moved there whole; only a row longer
            // than a page (or the rest of one) is split, filling this page first.
            if room > 0 && !(done == 0 && rest <= self.fresh_room() && room < self.fresh_room()) {
                self.place(lines, done..done + room);
                done += room;
            }
            self.start_page(sink, true)?;
        }
        let (x0, x1) = (MARGIN, self.page_width - MARGIN);
        self.mark(Mark::Rule { x0, x1, y: self.y, light: true });
        Ok(())
    }

    /// How many lines of a row fit on a page that has only the header.
    fn fresh_room(&self) -> usize {
        let top = MARGIN + self.header_height();
        let free = self.bottom() - top - 2.0 * PAD_Y;
        (free / Self::line_height()).max(0.0) as usize
    }

    /// "N / M", centred under the table. Drawn as three runs with wide gaps rather than as
    /// one string: poppler (so pdftotext and the readers built on it) reads single digits
    /// set with ordinary spaces as "1/8", taking those spaces for letter spacing.
    fn footer(&self, n: usize, count: usize) -> Vec<Mark> {
        let parts = [n.to_string(), "/".to_string(), count.to_string()];
        let gap = FOOTER_SIZE * 0.6;
        let widths: Vec<f32> = parts.iter().map(|p| self.fonts.regular.width(p, FOOTER_SIZE)).collect();
        let total: f32 = widths.iter().sum::<f32>() + 2.0 * gap;
        let mut x = (self.page_width - total) / 2.0;
        parts
            .into_iter()
            .zip(widths)
            .map(|(text, width)| {
                let mark =
                    Mark::Text { x, y: self.page_height - MARGIN, size: FOOTER_SIZE, weight: Weight::Regular, text };
                x += width + gap;
                mark
            })
            .collect()
    }

    /// Places the `after` blocks below the last row, then lays the rows out again from the
    /// spool, and the blocks after them, writing each page with "N / M" at its foot to `out`
    /// as it fills, then the fonts, the page tree and the cross-reference table.
    pub fn finish<W: Write>(mut self, mut out: W) -> Result<(), PdfError> {
        let after = std::mem::take(&mut self.after);
        self.place_groups(&after, &mut None)?;
        let file = PdfFile::new(&mut out)?;
        let mut sink = Some(Sink { file, count: self.pages, regular: UsedGlyphs::new(), bold: UsedGlyphs::new() });

        let spool = std::mem::replace(&mut self.spool, BufWriter::new(tempfile::tempfile()?));
        let mut spool = spool.into_inner().map_err(|e| PdfError(e.error().to_string()))?;
        spool.rewind()?;
        let mut spool = BufReader::with_capacity(64 * 1024, spool);
        self.pages = 0;
        self.drawing = true;
        self.page = Page { header_top: None, marks: Vec::new() };
        self.open(&mut sink)?;
        while let Some(lines) = unspool_row(&mut spool)? {
            self.flow(&lines, &mut sink)?;
        }
        self.place_groups(&after, &mut sink)?;
        self.end_page(&mut sink)?;
        let Sink { mut file, count, regular, bold } = sink.expect("the second pass draws");
        if self.pages != count {
            return Err(PdfError(format!("laid out {count} pages, then {}", self.pages)));
        }

        regular.write(&self.fonts.regular, REGULAR_FONT, &mut file)?;
        bold.write(&self.fonts.bold, BOLD_FONT, &mut file)?;
        file.object(PAGE_TREE, |c| {
            c.pages(PAGE_TREE).kids((1..=count).map(page_ref)).count(count as i32);
        })?;
        file.object(INFO, |c| {
            c.indirect(INFO).start::<DocumentInfo>().title(TextStr(&self.head.title)).creator(TextStr("Cabinet"));
        })?;
        file.object(CATALOG, |c| {
            c.indirect(CATALOG).start::<Catalog>().pages(PAGE_TREE);
        })?;
        file.finish(CATALOG, INFO)?;
        Ok(())
    }

    /// Writes the page numbered `self.pages`, with its header and footer, and its content.
    fn draw(&self, page: Page, sink: &mut Sink) -> std::io::Result<()> {
        let header_lines = 0..self.header.iter().map(|c| c.lines.len()).max().unwrap_or(1);
        let header = match page.header_top {
            Some(top) => self.band(&self.header, header_lines, Weight::Bold, top),
            None => Vec::new(),
        };
        let footer = self.footer(self.pages, sink.count);
        let height = self.page_height;
        let mut content = Content::new();

        // The rules first: lines cannot be drawn among text.
        for mark in &page.marks {
            if let Mark::Rule { x0, x1, y, light } = *mark {
                let (gray, width) = if light { (190.0 / 255.0, 0.3) } else { (0.0, 0.8) };
                content.set_stroke_gray(gray).set_line_width(width);
                content.move_to(x0, height - y).line_to(x1, height - y).stroke();
            }
        }
        // Then the text, in reading order: the header, the rows, the footer.
        content.begin_text();
        let mut font = None;
        let mut glyphs = Vec::new();
        for mark in header.iter().chain(&page.marks).chain(&footer) {
            let Mark::Text { x, y, size, weight, text } = mark else { continue };
            if font != Some((*weight, *size)) {
                font = Some((*weight, *size));
                let name = match weight {
                    Weight::Regular => Name(b"R"),
                    Weight::Bold => Name(b"B"),
                };
                content.set_font(name, *size);
            }
            glyphs.clear();
            match weight {
                Weight::Regular => sink.regular.encode(&self.fonts.regular, text, &mut glyphs),
                Weight::Bold => sink.bold.encode(&self.fonts.bold, text, &mut glyphs),
            }
            content.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, height - y]).show(Str(&glyphs));
        }
        content.end_text();
        let content = deflate(&content.finish());

        let (page_id, content_id) = (page_ref(self.pages), page_ref(self.pages).next());
        sink.file.object(page_id, |c| {
            let mut pdf_page = c.page(page_id);
            pdf_page.parent(PAGE_TREE).media_box(Rect::new(0.0, 0.0, self.page_width, height)).contents(content_id);
            pdf_page.resources().fonts().pair(Name(b"R"), REGULAR_FONT).pair(Name(b"B"), BOLD_FONT);
            pdf_page.finish();
        })?;
        sink.file.object(content_id, |c| {
            c.stream(content_id, &content).filter(Filter::FlateDecode);
        })
    }
}

/// A row's lines in the spool: the cell count, then for each cell its alignment, its line
/// count and each line as a length and UTF-8 bytes (all counts u32, little-endian).
fn spool_row(spool: &mut impl Write, cells: &[Lines]) -> std::io::Result<()> {
    spool.write_all(&(cells.len() as u32).to_le_bytes())?;
    for cell in cells {
        spool.write_all(&[u8::from(cell.align == Align::Right)])?;
        spool.write_all(&(cell.lines.len() as u32).to_le_bytes())?;
        for line in &cell.lines {
            spool.write_all(&(line.len() as u32).to_le_bytes())?;
            spool.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

/// The next row from the spool; None at its end.
fn unspool_row(spool: &mut impl Read) -> std::io::Result<Option<Vec<Lines>>> {
    fn u32_le(spool: &mut impl Read) -> std::io::Result<u32> {
        let mut b = [0; 4];
        spool.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    let cells = match u32_le(spool) {
        Ok(n) => n,
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut row = Vec::with_capacity(cells as usize);
    for _ in 0..cells {
        let mut align = [0];
        spool.read_exact(&mut align)?;
        let count = u32_le(spool)?;
        let mut lines = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let mut bytes = vec![0; u32_le(spool)? as usize];
            spool.read_exact(&mut bytes)?;
            lines.push(String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?);
        }
        row.push(Lines { lines, align: if align[0] == 1 { Align::Right } else { Align::Left } });
    }
    Ok(Some(row))
}
