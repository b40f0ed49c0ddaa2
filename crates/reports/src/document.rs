//! The text around a table that makes it an accounting document (an act of completed works,
//! a reconciliation statement): the heading, the parties' details and the preamble above the
//! rows, the totals and the signatures below them.
//!
//! A `Frame` is a few blocks, held whole, while the rows still stream: the PDF and XLSX
//! writers take one with the table's head (`PdfTableWriter::document`,
//! `TableWriter::document`) and lay each block out as their format can (the CSV, for a
//! program, stays a bare table).
//!
//! ```
//! use cabinet_reports::{Block, Cell, Frame, PdfTableWriter, Signature, TableHead};
//! let head = TableHead {
//!     sheet: "Акт".into(),
//!     title: "Акт № 12 от 30.11.2026".into(),
//!     as_of: "Данные на 30.11.2026 12:00".into(),
//!     header: vec!["Услуга".into(), "Сумма".into()],
//!     widths: vec![50.0, 16.0],
//! };
//! let party = |name: &str, bin: &str| Block::Fields(vec![("Сторона:".into(), name.into()), ("БИН:".into(), bin.into())]);
//! let signature = |title: &str, name: &str| Signature {
//!     title: title.into(),
//!     lines: vec!["Директор".into()],
//!     name: name.into(),
//!     seal: Some("М.П.".into()),
//! };
//! let frame = Frame {
//!     before: vec![
//!         Block::Heading("АКТ ВЫПОЛНЕННЫХ РАБОТ (ОКАЗАННЫХ УСЛУГ)".into()),
//!         party("ТОО «Оператор Связи»", "010140000123"),
//!         party("ТОО «Алматы Логистик»", "150540009876"),
//!     ],
//!     after: vec![
//!         Block::Totals(vec![("Итого".into(), Cell::Money(1_120_000)), ("в т.ч. НДС 12%".into(), Cell::Money(120_000))]),
//!         Block::Paragraph("Услуги оказаны полностью и в срок; претензий стороны не имеют.".into()),
//!         Block::Signatures(vec![signature("Исполнитель:", "Иванов И. И."), signature("Заказчик:", "Сәрсенбаева Ғ. Қ.")]),
//!     ],
//! };
//! let mut pdf = PdfTableWriter::document(head, frame, true)?;
//! pdf.row(&[Cell::Text("Услуги связи за ноябрь 2026".into()), Cell::Money(1_120_000)])?;
//! let mut out = Vec::new();
//! pdf.finish(&mut out)?;
//! assert!(out.starts_with(b"%PDF-"));
//! # Ok::<(), cabinet_reports::PdfError>(())
//! ```

use crate::table::Cell;

/// One piece of text around the table, laid out as a bookkeeper expects to find it.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A bold, centred line: "АКТ СВЕРКИ ВЗАИМОРАСЧЁТОВ".
    Heading(String),
    /// Text wrapped to the page's width; a newline starts a line.
    Paragraph(String),
    /// "Label: value" lines, the labels in one column: a party's name, BIN, address, bank.
    Fields(Vec<(String, String)>),
    /// Labels and amounts flush right, kept on one page: "Итого", "в т.ч. НДС 12%".
    Totals(Vec<(String, Cell)>),
    /// The parties' signatures side by side, kept on one page.
    Signatures(Vec<Signature>),
}

/// One party's column of a `Block::Signatures`: its title, lines of text (name, position),
/// the line to sign on with the signatory's name, and the seal's place.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// "Исполнитель" / "Орындаушы".
    pub title: String,
    /// Lines under the title: the company, the position.
    pub lines: Vec<String>,
    /// The signatory, printed as "______________ / name /".
    pub name: String,
    /// The seal's place under the signature, when the party has a seal: "М.П." (ru),
    /// "М.О." (kk).
    pub seal: Option<String>,
}

impl Signature {
    /// The line signed on.
    pub fn signature_line(&self) -> String {
        format!("______________ / {} /", self.name)
    }

    /// Every line of the column, in order: the title, the lines, the signature line and
    /// the seal's place, as each format writes them.
    pub fn text_lines(&self) -> Vec<String> {
        let mut lines = Vec::with_capacity(self.lines.len() + 3);
        lines.push(self.title.clone());
        lines.extend(self.lines.iter().cloned());
        lines.push(self.signature_line());
        lines.extend(self.seal.iter().cloned());
        lines
    }
}

/// The blocks above the table (`before`: after the title and the as-of line, before the
/// header) and below it (`after`: after the last row). Empty, it is a bare table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    pub before: Vec<Block>,
    pub after: Vec<Block>,
}
