//! A titled table as an XLSX workbook: a title row, the moment the data is valid for, a
//! header row, then the rows. The rows are written one at a time into constant-memory
//! worksheets (each goes to a temporary file as it comes), so that an export of any length
//! keeps a few rows in memory, not the table.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook};
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
/// The title, the as-of line, a blank row and the header come before the rows.
const FIRST_ROW: u32 = 4;

/// Writes a table row by row: `new`, `row` for each row, then `finish`.
pub struct TableWriter {
    book: Workbook,
    head: TableHead,
    /// The sheet being written (0-based) and its next free row.
    sheet: usize,
    next_row: u32,
    money: Format,
    date_time: Format,
}

impl TableWriter {
    pub fn new(head: TableHead) -> Result<TableWriter, XlsxError> {
        let mut w = TableWriter {
            book: Workbook::new(),
            head,
            sheet: 0,
            next_row: FIRST_ROW,
            // Excel shows the group and decimal marks of the reader's own settings.
            money: Format::new().set_num_format("#,##0.00"),
            date_time: Format::new().set_num_format("dd.mm.yyyy hh:mm:ss"),
        };
        w.start_sheet()?;
        Ok(w)
    }

    fn start_sheet(&mut self) -> Result<(), XlsxError> {
        let name =
            if self.sheet == 0 { self.head.sheet.clone() } else { format!("{} ({})", self.head.sheet, self.sheet + 1) };
        let bold = Format::new().set_bold();
        let head = Format::new().set_bold().set_border_bottom(FormatBorder::Thin);
        let sheet = self.book.add_worksheet_with_constant_memory()?;
        // Excel's limit on a sheet's name is 31 characters.
        sheet.set_name(name.chars().take(31).collect::<String>())?;
        for (c, w) in self.head.widths.iter().enumerate() {
            sheet.set_column_width(c as u16, *w)?;
        }
        sheet.write_string_with_format(0, 0, &self.head.title, &bold)?;
        sheet.write_string(1, 0, &self.head.as_of)?;
        for (c, h) in self.head.header.iter().enumerate() {
            sheet.write_string_with_format(3, c as u16, h, &head)?;
        }
        self.next_row = FIRST_ROW;
        Ok(())
    }

    /// Appends a row, on the next sheet when this one is full.
    pub fn row(&mut self, cells: &[Cell]) -> Result<(), XlsxError> {
        if self.next_row == MAX_ROWS {
            self.sheet += 1;
            self.start_sheet()?;
        }
        let r = self.next_row;
        let sheet = self.book.worksheet_from_index(self.sheet)?;
        for (c, cell) in cells.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => sheet.write_string(r, c, s)?,
                Cell::Money(tiyn) => sheet.write_number_with_format(r, c, *tiyn as f64 / 100.0, &self.money)?,
                Cell::DateTime(t) => {
                    let at = ExcelDateTime::from_ymd(t.year, t.month, t.day)?.and_hms(
                        u16::from(t.hour),
                        t.minute,
                        t.second,
                    )?;
                    sheet.write_datetime_with_format(r, c, &at, &self.date_time)?
                }
            };
        }
        self.next_row += 1;
        Ok(())
    }

    /// Writes the workbook to `out` (a file, for a long table).
    pub fn finish<W: Write + Send>(mut self, out: W) -> Result<(), XlsxError> {
        self.book.save_to_writer(out)?;
        Ok(())
    }
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
}
