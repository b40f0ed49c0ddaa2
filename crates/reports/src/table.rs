//! A titled table as an XLSX workbook: a title row, the moment the data is valid for, a
//! header row, then the rows. Written in constant memory (rows go to a temporary file as
//! they come), so long exports stay small in memory.

use rust_xlsxwriter::{Format, FormatBorder, Workbook};

#[derive(Debug, thiserror::Error)]
#[error("could not write the spreadsheet: {0}")]
pub struct XlsxError(String);

impl From<rust_xlsxwriter::XlsxError> for XlsxError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        XlsxError(e.to_string())
    }
}

/// A report's table: every cell is text, as the page shows it.
pub struct Table {
    pub sheet: String,
    pub title: String,
    /// "Data as of 22.11.2026 12:00", in the reader's language.
    pub as_of: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Column widths in characters.
    pub widths: Vec<f64>,
}

/// Excel's limit on rows in one sheet; longer tables continue on the next sheet.
const MAX_ROWS: usize = 1_048_576 - 4;

impl Table {
    pub fn to_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let head = Format::new().set_bold().set_border_bottom(FormatBorder::Thin);
        let chunks: Vec<&[Vec<String>]> =
            if self.rows.is_empty() { vec![&[]] } else { self.rows.chunks(MAX_ROWS).collect() };
        for (i, chunk) in chunks.into_iter().enumerate() {
            let sheet = book.add_worksheet_with_constant_memory()?;
            let name = if i == 0 { self.sheet.clone() } else { format!("{} ({})", self.sheet, i + 1) };
            sheet.set_name(&name)?;
            for (c, w) in self.widths.iter().enumerate() {
                sheet.set_column_width(c as u16, *w)?;
            }
            sheet.write_string_with_format(0, 0, &self.title, &bold)?;
            sheet.write_string(1, 0, &self.as_of)?;
            for (c, h) in self.header.iter().enumerate() {
                sheet.write_string_with_format(3, c as u16, h, &head)?;
            }
            for (r, row) in chunk.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    sheet.write_string(4 + r as u32, c as u16, cell)?;
                }
            }
        }
        Ok(book.save_to_buffer()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};
    use std::io::Cursor;

    #[test]
    fn writes_a_table_that_reads_back() {
        let t = Table {
            sheet: "История".into(),
            title: "История действий".into(),
            as_of: "Данные на 22.11.2026 12:00".into(),
            header: vec!["Действие".into(), "Статус".into()],
            rows: vec![
                vec!["Блокировка номера 77010542001".into(), "Успешно".into()],
                vec!["Қазақша ₸".into(), "".into()],
            ],
            widths: vec![50.0, 12.0],
        };
        let bytes = t.to_xlsx().unwrap();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("История").unwrap();
        let cell = |r: u32, c: u32| range.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
        assert_eq!(cell(0, 0), "История действий");
        assert_eq!(cell(1, 0), "Данные на 22.11.2026 12:00");
        assert_eq!(cell(3, 1), "Статус");
        assert_eq!(cell(4, 0), "Блокировка номера 77010542001");
        assert_eq!(cell(5, 0), "Қазақша ₸");
    }
}
