//! Cabinet's documents, made from plain rows: no store, no web here, so that a report is a
//! pure function of its data and each can be tested by reading the file back.

mod csv;
mod document;
mod format;
mod pdf;
mod table;

pub use csv::{CsvError, CsvWriter};
pub use document::{Block, Frame, Signature};
pub use pdf::{PdfError, PdfTableWriter};
pub use table::{Cell, LocalDateTime, TableHead, TableWriter, XlsxError};
