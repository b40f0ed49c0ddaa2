//! Files a page offers for download: workbooks written on the blocking pool into a
//! temporary file and streamed from it, in constant memory whatever their size.

use crate::error::WebError;
use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cabinet_core::time::OperatorZone;
use cabinet_reports::{Cell, Frame, LocalDateTime, TableHead, TableWriter};
use std::io::{Read, Seek, SeekFrom};

/// A moment in the operator's local time, for a date cell.
pub fn local_time(zone: &OperatorZone, ms: i64) -> Option<LocalDateTime> {
    let d = jiff::Timestamp::from_millisecond(ms).ok()?.to_zoned(zone.tz().clone()).datetime();
    Some(LocalDateTime {
        year: u16::try_from(d.year()).ok()?,
        month: d.month() as u8,
        day: d.day() as u8,
        hour: d.hour() as u8,
        minute: d.minute() as u8,
        second: d.second() as u8,
    })
}

/// A finished workbook in a temporary file, streamed as a download named `filename` (made
/// of digits, dashes and dots only: it goes into a header).
pub fn xlsx_attachment(file: std::fs::File, filename: &str) -> Result<Response, WebError> {
    attachment(file, filename, XLSX_TYPE)
}

/// A finished file streamed as a download of `content_type` named `filename`.
fn attachment(file: std::fs::File, filename: &str, content_type: &'static str) -> Result<Response, WebError> {
    let len = file.metadata().map(|m| m.len()).map_err(|_| WebError::Internal)?;
    let headers = [
        (header::CONTENT_TYPE, content_type.to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        (header::CONTENT_LENGTH, len.to_string()),
    ];
    Ok((headers, Body::from_stream(file_chunks(file))).into_response())
}

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A document written by `write` into a temporary file on the blocking pool (the writers
/// are synchronous), rewound for reading.
async fn written_file(
    write: impl FnOnce(&mut std::fs::File) -> Result<(), BoxError> + Send + 'static,
) -> Result<std::fs::File, BoxError> {
    tokio::task::spawn_blocking(move || -> Result<std::fs::File, BoxError> {
        let mut file = tempfile::tempfile()?;
        write(&mut file)?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    })
    .await?
}

/// The head of a table about one number over a period: the title with the number and the
/// dates, the moment its data is valid for, and the columns' names from the catalog.
pub fn number_report_head(
    t: &crate::Tr,
    zone: &OperatorZone,
    title_key: &str,
    msisdn: &cabinet_core::Msisdn,
    (from, to): (&str, &str),
    columns: &[(&str, f64)],
) -> TableHead {
    TableHead {
        sheet: t.t(title_key),
        title: format!("{} {} {from} → {to}", t.t(title_key), msisdn.pretty()),
        as_of: t.t1("report-as-of", "when", zone.date_time(cabinet_core::time::now_ms())),
        header: columns.iter().map(|(k, _)| t.t(k)).collect(),
        widths: columns.iter().map(|(_, w)| *w).collect(),
    }
}

/// The kinds of file a page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => XLSX_TYPE,
            Format::Pdf => "application/pdf",
        }
    }
}

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `rows` under `head` as a file of `format`, downloaded as `name` with its extension.
pub async fn file_of(
    format: Format,
    locale: cabinet_core::Locale,
    head: TableHead,
    rows: impl IntoIterator<Item = Vec<Cell>> + Send + 'static,
    name: &str,
) -> Result<Response, WebError> {
    let filename = format!("{name}.{}", format.extension());
    let file = table_file(format, locale, head, rows).await.map_err(|e| {
        tracing::error!(error = %e, file = filename, "export failed");
        WebError::Internal
    })?;
    attachment(file, &filename, format.content_type())
}

/// `rows` under `head` written as a file of `format` into a temporary file, rewound: what a
/// page downloads at once and what a report job stores are the same bytes. The rows are
/// taken one at a time as they are written: a lazy iterator never holds the table.
pub async fn table_file(
    format: Format,
    locale: cabinet_core::Locale,
    head: TableHead,
    rows: impl IntoIterator<Item = Vec<Cell>> + Send + 'static,
) -> Result<std::fs::File, BoxError> {
    document_file(format, locale, head, Frame::default(), rows).await
}

/// As `table_file`, with the text of an accounting document around the table (`Frame`).
pub async fn document_file(
    format: Format,
    locale: cabinet_core::Locale,
    head: TableHead,
    frame: Frame,
    rows: impl IntoIterator<Item = Vec<Cell>> + Send + 'static,
) -> Result<std::fs::File, BoxError> {
    // Amounts with decimal commas but in English.
    let comma = locale != cabinet_core::Locale::En;
    written_file(move |file| match format {
        Format::Xlsx => {
            let mut table = TableWriter::document(head, frame)?;
            for row in rows {
                table.row(&row)?;
            }
            Ok(table.finish(file)?)
        }
        Format::Pdf => {
            let mut table = cabinet_reports::PdfTableWriter::document(head, frame, comma)?;
            for row in rows {
                table.row(&row)?;
            }
            Ok(table.finish(file)?)
        }
    })
    .await
}

/// A file made by `document_file`, downloaded as `name` with its extension.
pub fn download(file: std::fs::File, format: Format, name: &str) -> Result<Response, WebError> {
    attachment(file, &format!("{name}.{}", format.extension()), format.content_type())
}

/// The file in 64 KiB chunks, each read on the blocking pool.
fn file_chunks(file: std::fs::File) -> impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> + Send + 'static {
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let read = tokio::task::spawn_blocking(move || {
            let mut buf = vec![0; 64 * 1024];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((buf, file))
        })
        .await;
        match read {
            Ok(Ok((buf, _))) if buf.is_empty() => None,
            Ok(Ok((buf, file))) => Some((Ok(buf), Some(file))),
            Ok(Err(e)) => Some((Err(e), None)),
            Err(e) => Some((Err(std::io::Error::other(e)), None)),
        }
    })
}
