//! The `report` job: makes the file of a report an administrator asked for (the same tables
//! the pages download, `cabinet_web::documents`), and in the one transaction that ends the
//! job — fenced by the lease — stores it in chunks, marks the report ready and puts the
//! e-mail with the file attached into the outbox. An operator that does not answer is
//! asked again with backoff; a report that cannot be made is marked failed with its reason.

use crate::worker::{OPERATOR_UNAVAILABLE, Outcome, Worker};
use cabinet_core::time::now_ms;
use cabinet_core::{Bin, Locale};
use cabinet_store::jobs::{self, Job, kinds};
use cabinet_store::reports::{self, FileInfo};
use cabinet_store::{StoreResult, admins, companies, outbox};
use cabinet_web::documents::{self, BuildError, Built, ReportRequest};
use tokio::io::AsyncReadExt;

/// The largest file sent as an attachment: bigger ones wait in My reports, and the e-mail
/// says so (mail relays commonly refuse messages over 10–25 MB, and base64 adds a third).
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;

/// Why a report failed, as the page words it (`report-error-…`).
pub const NUMBER_NOT_FOUND: &str = "number_not_found";
pub const INTERNAL_ERROR: &str = "internal_error";
pub const FORBIDDEN: &str = "forbidden";

pub async fn run(w: &Worker, job: &Job) -> StoreResult<Outcome> {
    let Ok(payload) = serde_json::from_str::<kinds::ReportPayload>(&job.payload) else {
        return w.give_up(job, "bad_request", "unreadable payload").await;
    };
    // Expired and removed before it ran, or made already (a job run twice): nothing to do.
    let found = reports::for_job(&w.db, &payload.report_id).await?.filter(|f| f.report.pending());
    let Some(found) = found else { return end_with_nothing(w, job).await };
    let request = ReportRequest::parse(&found.report.kind, &found.report.params);
    let (Some(request), Ok(bin)) = (request, Bin::stored(&found.bin)) else {
        return w.give_up(job, "bad_request", "unreadable report").await;
    };
    // Whoever lost the company since asking gets nothing more of it by e-mail.
    if admins::granted_company(&w.db, &found.report.admin_id, &found.report.company_id).await?.is_none() {
        return w.give_up(job, FORBIDDEN, "the administrator no longer has the company").await;
    }
    let locale = Locale::from_code(&found.report.locale).unwrap_or_default();
    reports::mark_running(&w.db, &found.report.id).await?;
    let customer = companies::by_bin(&w.db, &bin).await?.map(|c| c.name).unwrap_or_default();
    let source = documents::Source {
        operator: w.operator.as_ref(),
        zone: &w.zone,
        legal: &w.legal,
        bin: &bin,
        customer: &customer,
    };
    match documents::build(&source, locale, &request).await {
        Ok(built) => store(w, job, &found, &request, built, locale).await,
        Err(BuildError::Unavailable(e)) if job.attempts >= job.max_attempts => {
            tracing::warn!(job = %job.id, error = %e, "giving up on a report: the operator does not answer");
            w.give_up(job, OPERATOR_UNAVAILABLE, &e).await
        }
        Err(BuildError::Unavailable(e)) => {
            let at = now_ms() + jobs::backoff_ms(job.attempts);
            let requeued = jobs::requeue(&w.db, &job.id, &w.id, at, Some(&e), true).await?;
            Ok(if requeued { Outcome::Retried } else { Outcome::LostLease })
        }
        Err(BuildError::NumberNotFound) => w.give_up(job, NUMBER_NOT_FOUND, "the number is not the company's").await,
        Err(e @ BuildError::Failed(_)) => {
            tracing::error!(job = %job.id, error = %e, "a report could not be written");
            w.give_up(job, INTERNAL_ERROR, &e.to_string()).await
        }
    }
}

/// Ends the job as done and writes nothing else.
async fn end_with_nothing(w: &Worker, job: &Job) -> StoreResult<Outcome> {
    let mut tx = w.db.begin_write().await?;
    if !jobs::finish_in(&mut tx, &job.id, &w.id, jobs::DONE, None, now_ms()).await? {
        return Ok(Outcome::LostLease);
    }
    tx.commit().await?;
    Ok(Outcome::Done)
}

/// The file's chunks, the report's state and the e-mail, with the job's end.
async fn store(
    w: &Worker,
    job: &Job,
    found: &reports::ForJob,
    request: &ReportRequest,
    built: Built,
    locale: Locale,
) -> StoreResult<Outcome> {
    let report = &found.report;
    // A company report goes to the address typed on its form; the others to the asker's own.
    let address = request.email_to().map(str::to_string).or_else(|| found.email.clone());
    let attach = address.is_some() && built.size <= MAX_ATTACHMENT_BYTES;
    let now = now_ms();
    let mut tx = w.db.begin_write().await?;
    if !jobs::finish_in(&mut tx, &job.id, &w.id, jobs::DONE, None, now).await? {
        return Ok(Outcome::LostLease);
    }
    let mut file = tokio::fs::File::from_std(built.file);
    let mut attachment = Vec::new();
    let mut buf = vec![0u8; reports::CHUNK_BYTES];
    let mut position = 0;
    loop {
        let n = match read_full(&mut file, &mut buf).await {
            Ok(n) => n,
            Err(e) => {
                drop(tx);
                tracing::error!(job = %job.id, error = %e, "a report's file could not be read back");
                return w.give_up(job, INTERNAL_ERROR, &e.to_string()).await;
            }
        };
        if n == 0 {
            break;
        }
        reports::store_chunk_in(&mut tx, &report.id, position, &buf[..n]).await?;
        if attach {
            attachment.extend_from_slice(&buf[..n]);
        }
        position += 1;
    }
    let info =
        FileInfo { size_bytes: built.size as i64, file_name: &built.file_name, content_type: built.content_type };
    reports::mark_ready_in(&mut tx, &report.id, &info, now).await?;
    if let Some(address) = &address {
        let t = cabinet_web::Tr::new(locale);
        let title = request.title(&t);
        let until = w.zone.date_time(now + reports::KEEP_MS);
        let (subject, body) = documents::email(locale, &title, &until, attach);
        let files = if attach {
            vec![outbox::Attachment {
                file_name: built.file_name.clone(),
                content_type: built.content_type.to_string(),
                content: attachment,
            }]
        } else {
            Vec::new()
        };
        let message = outbox::Outgoing::email(address, &subject, &body).with_attachments(&files);
        outbox::enqueue_in(&mut tx, &message, now).await?;
    }
    tx.commit().await?;
    // The e-mail's delivery job is due now.
    w.wake.notify_one();
    Ok(Outcome::Done)
}

/// Reads until `buf` is full or the file ends; returns how many bytes were read.
async fn read_full(file: &mut tokio::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = file.read(&mut buf[filled..]).await?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}
