//! A table as CSV (RFC 4180): the header row, then the rows, written through as they come,
//! so that an export of any length keeps one row in memory.
//!
//! For a program as much as for a person: no title or as-of line above the header (the
//! file's name carries them), amounts as plain numbers (`-1234.50`: a dot, no groups, no
//! sign), moments as `dd.mm.yyyy hh:mm`. UTF-8 with a byte-order mark, without which Excel
//! reads Cyrillic as the reader's ANSI code page. Fields are quoted only when they hold a
//! comma, a quote or a line break; quotes are doubled; records end in CRLF.

use crate::table::{Cell, TableHead};
use std::io::{self, BufWriter, Write};

#[derive(Debug, thiserror::Error)]
#[error("could not write the CSV: {0}")]
pub struct CsvError(String);

impl From<io::Error> for CsvError {
    fn from(e: io::Error) -> Self {
        CsvError(e.to_string())
    }
}

const BOM: &[u8] = "\u{FEFF}".as_bytes();

/// Writes a table row by row: `new` (which writes the header), `row` for each row, then
/// `finish`.
pub struct CsvWriter<W: Write> {
    out: BufWriter<W>,
    columns: usize,
    /// The row being made, reused: written to `out` in one call.
    line: Vec<u8>,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(head: &TableHead, out: W) -> Result<Self, CsvError> {
        let mut w =
            CsvWriter { out: BufWriter::with_capacity(64 * 1024, out), columns: head.header.len(), line: Vec::new() };
        w.out.write_all(BOM)?;
        for (c, h) in head.header.iter().enumerate() {
            if c > 0 {
                w.line.push(b',');
            }
            field(&mut w.line, h);
        }
        w.end_line()?;
        Ok(w)
    }

    fn end_line(&mut self) -> Result<(), CsvError> {
        self.line.extend_from_slice(b"\r\n");
        self.out.write_all(&self.line)?;
        self.line.clear();
        Ok(())
    }

    /// Appends a row: cells beyond the header's are an error, missing ones are left empty
    /// (every record has the header's number of fields).
    pub fn row(&mut self, cells: &[Cell]) -> Result<(), CsvError> {
        if cells.len() > self.columns {
            return Err(CsvError(format!("a row of {} cells in a table of {} columns", cells.len(), self.columns)));
        }
        for c in 0..self.columns.max(1) {
            if c > 0 {
                self.line.push(b',');
            }
            match cells.get(c) {
                None => {}
                Some(Cell::Text(s)) => field(&mut self.line, s),
                Some(Cell::Money(tiyn)) => {
                    let abs = tiyn.unsigned_abs();
                    let sign = if *tiyn < 0 { "-" } else { "" };
                    write!(self.line, "{sign}{}.{:02}", abs / 100, abs % 100)?;
                }
                Some(Cell::DateTime(t)) => {
                    write!(self.line, "{:02}.{:02}.{:04} {:02}:{:02}", t.day, t.month, t.year, t.hour, t.minute)?;
                }
            }
        }
        self.end_line()
    }

    /// Flushes the rows and gives the writer back (a file to sync, a buffer to read).
    pub fn finish(self) -> Result<W, CsvError> {
        self.out.into_inner().map_err(|e| CsvError(e.error().to_string()))
    }
}

/// `s` as one field: as it is, or in quotes with its quotes doubled when it holds a comma,
/// a quote or a line break.
fn field(line: &mut Vec<u8>, s: &str) {
    if !s.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        line.extend_from_slice(s.as_bytes());
        return;
    }
    line.push(b'"');
    for part in s.split_inclusive('"') {
        line.extend_from_slice(part.as_bytes());
        if part.ends_with('"') {
            line.push(b'"');
        }
    }
    line.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LocalDateTime;

    fn head() -> TableHead {
        TableHead {
            sheet: "Детализация".into(),
            title: "Детализация".into(),
            as_of: "Данные на 22.11.2026 12:00".into(),
            header: vec!["Дата и время".into(), "Тип".into(), "Описание, \"кавычки\"".into(), "Сумма".into()],
            widths: vec![20.0, 20.0, 40.0, 14.0],
        }
    }

    fn write(rows: &[Vec<Cell>]) -> Vec<u8> {
        let mut w = CsvWriter::new(&head(), Vec::new()).unwrap();
        for r in rows {
            w.row(r).unwrap();
        }
        w.finish().unwrap()
    }

    /// A reader of RFC 4180, written apart from the writer: records of fields, quotes
    /// doubled inside quoted fields, CRLF between records.
    fn read(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).unwrap();
        let text = text.strip_prefix('\u{FEFF}').expect("a byte-order mark first");
        let mut records = Vec::new();
        let (mut record, mut field) = (Vec::new(), String::new());
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => {
                    assert!(field.is_empty(), "a quote inside an unquoted field: {field:?}");
                    quoted = true;
                }
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\r') => {
                    assert_eq!(chars.next(), Some('\n'), "CR only before LF");
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                (false, c) => {
                    assert!(c != '\n', "a bare LF outside quotes");
                    field.push(c);
                }
            }
        }
        assert!(!quoted && field.is_empty() && record.is_empty(), "the last record ends in CRLF");
        records
    }

    #[test]
    fn fields_with_commas_quotes_and_line_breaks_read_back_whole() {
        let at = LocalDateTime { year: 2026, month: 3, day: 1, hour: 0, minute: 5, second: 9 };
        let tricky = "Звонок, «Бизнес» \"Безлимит\"\r\nвторая строка\nтретья";
        let bytes = write(&[
            vec![Cell::DateTime(at), Cell::Text("SMS".into()), Cell::Text(tricky.into()), Cell::Money(123_450)],
            vec![
                Cell::DateTime(at),
                Cell::Text("Қазақша ӘҒҚҢӨҰҮҺІ ₸".into()),
                Cell::Text("\"".into()),
                Cell::Money(-5),
            ],
            vec![Cell::Text("только одна".into())],
        ]);
        let records = read(&bytes);
        assert_eq!(records.len(), 4);
        assert_eq!(records[0], ["Дата и время", "Тип", "Описание, \"кавычки\"", "Сумма"]);
        assert_eq!(records[1], ["01.03.2026 00:05", "SMS", tricky, "1234.50"]);
        assert_eq!(records[2], ["01.03.2026 00:05", "Қазақша ӘҒҚҢӨҰҮҺІ ₸", "\"", "-0.05"]);
        assert_eq!(records[3], ["только одна", "", "", ""], "missing cells are empty fields");
    }

    #[test]
    fn the_bytes_are_as_excel_expects() {
        let bytes = write(&[vec![Cell::Text("a\"b".into()), Cell::Text("x".into()), Cell::Money(100_000_000)]]);
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{FEFF}Дата и время,Тип,\"Описание, \"\"кавычки\"\"\",Сумма\r\n\"a\"\"b\",x,1000000.00,\r\n"
        );
    }

    #[test]
    fn amounts_keep_two_decimals_to_the_extremes() {
        let bytes = write(&[vec![Cell::Money(0), Cell::Money(7), Cell::Money(i64::MIN), Cell::Money(i64::MAX)]]);
        assert_eq!(read(&bytes)[1], ["0.00", "0.07", "-92233720368547758.08", "92233720368547758.07"]);
    }

    #[test]
    fn a_row_wider_than_the_table_is_refused_and_an_empty_table_has_its_header() {
        let mut w = CsvWriter::new(&head(), Vec::new()).unwrap();
        assert!(w.row(&[Cell::Money(1), Cell::Money(1), Cell::Money(1), Cell::Money(1), Cell::Money(1)]).is_err());
        let records = read(&w.finish().unwrap());
        assert_eq!(records.len(), 1);
    }
}
