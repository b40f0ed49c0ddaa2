//! A titled table as an XLSX workbook: a title row, the moment the data is valid for, the
//! document's `before` blocks (crate::document), a header row (frozen, so that it stays in
//! sight), the rows, then the `after` blocks (table/blocks.rs). The rows are written one at
//! a time into constant-memory worksheets (each goes to a temporary file as it comes), so
//! that an export of any length keeps a few rows in memory, not the table; the blocks are
//! few and held until they are written.

mod blocks;

use crate::document::Frame;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet};
use std::io::Write;

#[derive(Debug, thiserror::Error)]
#[error("could not write the spreadsheet: {0}")]
pub struct XlsxError(String);

impl From<rust_xlsxwriter::XlsxError> for XlsxError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        XlsxError(e.to_string())
    }
}

/// One cell of a row. Money and moments are written as numbers with a format, so that a
/// spreadsheet can sum, sort and filter them; only words are text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// An amount in tiyn, shown in tenge with two decimals.
    Money(i64),
    /// A moment in the operator's local time.
    DateTime(LocalDateTime),
}

/// A local date and time, as the operator's clock shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalDateTime {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// What a report's table says above its rows.
pub struct TableHead {
    pub sheet: String,
    pub title: String,
    /// "Data as of 22.11.2026 12:00", in the reader's language.
    pub as_of: String,
    pub header: Vec<String>,
    /// Column widths in characters.
    pub widths: Vec<f64>,
}

/// Excel's limit on rows in one sheet; longer tables continue on the next sheet.
const MAX_ROWS: u32 = 1_048_576;
/// The title, the as-of line and a blank row come before the blocks or the header.
const HEAD_ROWS: u32 = 3;

/// Writes a table row by row: `new`, `row` for each row, then `finish`.
pub struct TableWriter {
    book: Workbook,
    head: TableHead,
    frame: Frame,
    /// The sheet being written (0-based) and its next free row.
    sheet: usize,
    next_row: u32,
    /// Rows a sheet may hold: Excel's limit, smaller in tests.
    max_rows: u32,
    /// The first column a row's amount was in: where the totals' amounts go.
    money_column: Option<u16>,
    formats: Formats,
}

/// How cells are formatted, shared by the rows and the blocks.
struct Formats {
    money: Format,
    date_time: Format,
    bold: Format,
    /// A total's amount: the money format, bold.
    total: Format,
}

impl TableWriter {
    pub fn new(head: TableHead) -> Result<TableWriter, XlsxError> {
        Self::document(head, Frame::default())
    }

    /// A table with blocks of text above and below it (an act, a reconciliation statement).
    pub fn document(head: TableHead, frame: Frame) -> Result<TableWriter, XlsxError> {
        Self::with_max_rows(head, frame, MAX_ROWS)
    }

    fn with_max_rows(head: TableHead, frame: Frame, max_rows: u32) -> Result<TableWriter, XlsxError> {
        let mut w = TableWriter {
            book: Workbook::new(),
            head,
            frame,
            sheet: 0,
            next_row: HEAD_ROWS,
            max_rows,
            money_column: None,
            formats: Formats {
                // Excel shows the group and decimal marks of the reader's own settings.
                money: Format::new().set_num_format("#,##0.00"),
                date_time: Format::new().set_num_format("dd.mm.yyyy hh:mm:ss"),
                bold: Format::new().set_bold(),
                total: Format::new().set_num_format("#,##0.00").set_bold(),
            },
        };
        w.start_sheet()?;
        Ok(w)
    }

    fn start_sheet(&mut self) -> Result<(), XlsxError> {
        let name =
            if self.sheet == 0 { self.head.sheet.clone() } else { format!("{} ({})", self.head.sheet, self.sheet + 1) };
        let head = Format::new().set_bold().set_border_bottom(FormatBorder::Thin);
        let sheet = self.book.add_worksheet_with_constant_memory()?;
        // Excel's limit on a sheet's name is 31 characters.
        sheet.set_name(name.chars().take(31).collect::<String>())?;
        for (c, w) in self.head.widths.iter().enumerate() {
            sheet.set_column_width(c as u16, *w)?;
        }
        sheet.write_string_with_format(0, 0, &self.head.title, &self.formats.bold)?;
        sheet.write_string(1, 0, &self.head.as_of)?;
        // The `before` blocks on the first sheet only, a blank row under them.
        let mut header_row = HEAD_ROWS;
        if self.sheet == 0 && !self.frame.before.is_empty() {
            let columns = self.head.header.len();
            header_row = blocks::write(sheet, &self.frame.before, HEAD_ROWS, columns, None, &self.formats)? + 1;
        }
        for (c, h) in self.head.header.iter().enumerate() {
            sheet.write_string_with_format(header_row, c as u16, h, &head)?;
        }
        sheet.set_freeze_panes(header_row + 1, 0)?;
        self.next_row = header_row + 1;
        if self.next_row >= self.max_rows {
            return Err(XlsxError("the blocks above the table leave no room for rows".into()));
        }
        Ok(())
    }

    /// Appends a row, on the next sheet when this one is full.
    pub fn row(&mut self, cells: &[Cell]) -> Result<(), XlsxError> {
        if self.next_row == self.max_rows {
            self.sheet += 1;
            self.start_sheet()?;
        }
        let r = self.next_row;
        let sheet = self.book.worksheet_from_index(self.sheet)?;
        for (c, cell) in cells.iter().enumerate() {
            let c = c as u16;
            if self.money_column.is_none() && matches!(cell, Cell::Money(_)) {
                self.money_column = Some(c);
            }
            write_cell(sheet, r, c, cell, &self.formats.money, &self.formats)?;
        }
        self.next_row += 1;
        Ok(())
    }

    /// Writes the `after` blocks below the last row (a blank row between), on a new sheet
    /// when they would pass the row limit, then the workbook to `out` (a file, for a long
    /// table).
    pub fn finish<W: Write + Send>(mut self, out: W) -> Result<(), XlsxError> {
        if !self.frame.after.is_empty() {
            let first = self.next_row + 1;
            if first + blocks::rows(&self.frame.after) > self.max_rows {
                self.sheet += 1;
                self.start_sheet()?;
            }
            let first = self.next_row + 1;
            let sheet = self.book.worksheet_from_index(self.sheet)?;
            let columns = self.head.header.len();
            blocks::write(sheet, &self.frame.after, first, columns, self.money_column, &self.formats)?;
        }
        self.book.save_to_writer(out)?;
        Ok(())
    }
}

/// Writes one cell: money and moments as numbers with a format (`money`: the rows' or the
/// totals' bold one), so that they stay numbers.
fn write_cell(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    money: &Format,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => sheet.write_string(r, c, s)?,
        Cell::Money(tiyn) => sheet.write_number_with_format(r, c, *tiyn as f64 / 100.0, money)?,
        Cell::DateTime(t) => {
            let at = ExcelDateTime::from_ymd(t.year, t.month, t.day)?.and_hms(u16::from(t.hour), t.minute, t.second)?;
            sheet.write_datetime_with_format(r, c, &at, &formats.date_time)?
        }
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn head() -> TableHead {
        TableHead {
            sheet: "История".into(),
            title: "История действий".into(),
            as_of: "Данные на 22.11.2026 12:00".into(),
            header: vec!["Действие".into(), "Сумма".into(), "Дата".into()],
            widths: vec![50.0, 12.0, 20.0],
        }
    }

    #[test]
    fn money_and_moments_read_back_as_numbers_and_dates() {
        let mut w = TableWriter::new(head()).unwrap();
        let at = LocalDateTime { year: 2026, month: 11, day: 22, hour: 9, minute: 5, second: 7 };
        w.row(&[Cell::Text("Блокировка номера 77010542001".into()), Cell::Money(847_690), Cell::DateTime(at)]).unwrap();
        w.row(&[Cell::Text("Қазақша ₸".into()), Cell::Money(-5), Cell::DateTime(at)]).unwrap();
        let mut bytes = Vec::new();
        w.finish(&mut bytes).unwrap();

        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("История").unwrap();
        let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(cell(0, 0), Data::String("История действий".into()));
        assert_eq!(cell(1, 0), Data::String("Данные на 22.11.2026 12:00".into()));
        assert_eq!(cell(3, 1), Data::String("Сумма".into()));
        assert_eq!(cell(4, 0), Data::String("Блокировка номера 77010542001".into()));
        assert_eq!(cell(4, 1), Data::Float(8476.90));
        assert_eq!(cell(5, 1), Data::Float(-0.05));
        assert_eq!(cell(5, 0), Data::String("Қазақша ₸".into()));
        let Data::DateTime(dt) = cell(4, 2) else { panic!("a date cell, not {:?}", cell(4, 2)) };
        assert!(dt.is_datetime());
        // Days since 1899-12-30 (Excel's epoch), the time as a fraction of the day.
        let seconds = ((dt.as_f64() - 46_348.0) * 86_400.0).round();
        assert_eq!((dt.as_f64().floor(), seconds), (46_348.0, f64::from(9 * 3600 + 5 * 60 + 7)));
    }

    #[test]
    fn an_empty_table_still_has_its_head() {
        let w = TableWriter::new(head()).unwrap();
        let mut bytes = Vec::new();
        w.finish(&mut bytes).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("История").unwrap();
        assert_eq!(range.get_value((3, 0)), Some(&Data::String("Действие".into())));
        assert_eq!(range.get_value((4, 0)), None);
    }

    /// At a (small) row limit: the `before` blocks only on the first sheet, the rows going
    /// on to the next, and the `after` blocks under the last row while they fit in the
    /// sheet, on a sheet of their own (with the head) from the first row they would pass it.
    #[test]
    fn the_after_blocks_go_on_the_last_sheet_within_the_row_limit() {
        use crate::document::{Block, Frame, Signature};
        let frame = Frame {
            before: vec![Block::Heading("Акт".into())],
            after: vec![
                Block::Totals(vec![("Итого".into(), Cell::Money(150)), ("НДС".into(), Cell::Money(16))]),
                Block::Signatures(vec![Signature {
                    title: "Исполнитель".into(),
                    lines: vec!["Директор".into()],
                    name: "Иванов".into(),
                    seal: Some("М.П.".into()),
                }]),
            ],
        };
        // 16 rows a sheet: on the first the header is row 5 (title, as-of, blank, heading,
        // blank), so 10 rows fit; on the next it is row 3, so 12. The blocks take 7 rows
        // after a blank one.
        let book = |rows: i64| {
            let mut w = TableWriter::with_max_rows(head(), frame.clone(), 16).unwrap();
            for i in 0..rows {
                w.row(&[Cell::Text(format!("строка {i}")), Cell::Money(i)]).unwrap();
            }
            let mut bytes = Vec::new();
            w.finish(&mut bytes).unwrap();
            Xlsx::new(Cursor::new(bytes)).unwrap()
        };
        let text = |s: &str| Data::String(s.into());

        // 14 rows: 10 on the first sheet, 4 on the second (rows 4 to 7), and the blocks from
        // row 9 to the sheet's last, 15.
        let mut b: Xlsx<_> = book(14);
        assert_eq!(b.sheet_names(), ["История", "История (2)"]);
        let first = b.worksheet_range("История").unwrap();
        assert_eq!(first.get_value((3, 0)), Some(&text("Акт")));
        assert_eq!(first.get_value((5, 0)), Some(&text("Действие")));
        assert_eq!(first.get_value((15, 0)), Some(&text("строка 9")));
        let second = b.worksheet_range("История (2)").unwrap();
        assert_eq!(second.get_value((3, 0)), Some(&text("Действие")), "the head, without the blocks");
        assert_eq!(second.get_value((7, 0)), Some(&text("строка 13")));
        assert_eq!(second.get_value((9, 0)), Some(&text("Итого")));
        assert_eq!(second.get_value((9, 1)), Some(&Data::Float(1.5)));
        assert_eq!(second.get_value((10, 1)), Some(&Data::Float(0.16)));
        assert_eq!(second.get_value((15, 0)), Some(&text("М.П.")));

        // 15 rows: the blocks would end on row 16, past the limit: a third sheet.
        let mut b: Xlsx<_> = book(15);
        assert_eq!(b.sheet_names(), ["История", "История (2)", "История (3)"]);
        let second = b.worksheet_range("История (2)").unwrap();
        assert_eq!(second.get_value((8, 0)), Some(&text("строка 14")));
        assert_eq!(second.end(), Some((8, 2)), "nothing after the last row");
        let third = b.worksheet_range("История (3)").unwrap();
        assert_eq!(third.get_value((3, 0)), Some(&text("Действие")));
        assert_eq!(third.get_value((5, 0)), Some(&text("Итого")));
        assert_eq!(third.get_value((5, 1)), Some(&Data::Float(1.5)));
        assert_eq!(third.get_value((11, 0)), Some(&text("М.П.")));
    }
}
