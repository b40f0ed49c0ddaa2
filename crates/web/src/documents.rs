//! The reports Cabinet makes as jobs ("My reports"): what each kind asks for, its title and
//! its file, and the e-mail that carries it. The files come from the same tables the pages
//! download at once (`pages::usage::table`, `pages::payments::table`, `export`), so a
//! report and a download of the same period are the same bytes but for the as-of line. The
//! worker (in the `cabinet` crate) calls `build` and `email`; the pages call `title`.

use crate::Tr;
use crate::auth::Permission;
use crate::export::{BoxError, Format};
use crate::pages::history::Period;
use crate::pages::{payments, usage};
use cabinet_core::operator::OperatorPort;
use cabinet_core::time::OperatorZone;
use cabinet_core::{Bin, Locale, Msisdn};
use serde::{Deserialize, Serialize};

/// Usage details of a number for a period (more than `usage::AT_ONCE_DAYS` days).
pub const USAGE: &str = "usage";
/// A number's payments report (manual 000: "Отчет по платежам по номеру GSM").
pub const PAYMENTS: &str = "payments";
/// The list of numbers report (manual 004): every number of the company with its figures.
pub const NUMBER_LIST: &str = "number_list";
/// The registered devices report (manual 004): every IMEI registered with the numbers.
pub const DEVICES: &str = "devices";

/// A number and a period: the parameters of both kinds, kept as JSON in the report's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberPeriod {
    pub msisdn: String,
    /// `dd-mm-yyyy`, as the page showed them.
    pub from: String,
    pub to: String,
    /// `[from_ms, to_ms)`: the days cut in the operator's zone when asked.
    pub from_ms: i64,
    pub to_ms: i64,
    pub format: Format,
}

impl NumberPeriod {
    pub(crate) fn new(msisdn: &Msisdn, period: &Period, format: Format) -> NumberPeriod {
        NumberPeriod {
            msisdn: msisdn.to_string(),
            from: period.from.clone(),
            to: period.to.clone(),
            from_ms: period.from_ms,
            to_ms: period.to_ms,
            format,
        }
    }
}

/// The parameters of a company-level report: the address typed on its form (checked by
/// `cabinet_core::email::Email` when asked), which the file is mailed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailTo {
    pub email: String,
}

/// What a report is to contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportRequest {
    Usage(NumberPeriod),
    Payments(NumberPeriod),
    NumberList(MailTo),
    Devices(MailTo),
}

impl ReportRequest {
    /// The report row's `kind` and `params` read back; None for a kind this build does not
    /// know or parameters that do not parse.
    pub fn parse(kind: &str, params: &str) -> Option<ReportRequest> {
        let number_period = || -> Option<NumberPeriod> {
            let p: NumberPeriod = serde_json::from_str(params).ok()?;
            Msisdn::parse(&p.msisdn).ok()?;
            Some(p)
        };
        let mail_to = || -> Option<MailTo> {
            let p: MailTo = serde_json::from_str(params).ok()?;
            cabinet_core::email::Email::parse(&p.email).ok()?;
            Some(p)
        };
        match kind {
            USAGE => number_period().map(ReportRequest::Usage),
            PAYMENTS => number_period().map(ReportRequest::Payments),
            NUMBER_LIST => mail_to().map(ReportRequest::NumberList),
            DEVICES => mail_to().map(ReportRequest::Devices),
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            ReportRequest::Usage(_) => USAGE,
            ReportRequest::Payments(_) => PAYMENTS,
            ReportRequest::NumberList(_) => NUMBER_LIST,
            ReportRequest::Devices(_) => DEVICES,
        }
    }

    pub fn params(&self) -> String {
        match self {
            ReportRequest::Usage(p) | ReportRequest::Payments(p) => serde_json::to_string(p),
            ReportRequest::NumberList(p) | ReportRequest::Devices(p) => serde_json::to_string(p),
        }
        .expect("parameters serialise")
    }

    /// Where the file is mailed when the request names an address (a company report's
    /// form); None: the administrator's own address, if any.
    pub fn email_to(&self) -> Option<&str> {
        match self {
            ReportRequest::NumberList(p) | ReportRequest::Devices(p) => Some(&p.email),
            ReportRequest::Usage(_) | ReportRequest::Payments(_) => None,
        }
    }

    /// What one needs to ask for it, and to download it later.
    pub(crate) fn permission(&self) -> Permission {
        match self {
            ReportRequest::Usage(_) => Permission::ViewNumbers,
            ReportRequest::Payments(_) => Permission::ViewPayments,
            ReportRequest::NumberList(_) | ReportRequest::Devices(_) => Permission::ViewDocuments,
        }
    }

    /// "Usage details +7 701 234 56 78, 01-11-2026 → 30-11-2026, XLSX".
    pub fn title(&self, t: &Tr) -> String {
        let (key, p) = match self {
            ReportRequest::Usage(p) => ("report-title-usage", p),
            ReportRequest::Payments(p) => ("report-title-payments", p),
            ReportRequest::NumberList(_) => return t.t("report-title-number-list"),
            ReportRequest::Devices(_) => return t.t("report-title-devices"),
        };
        t.tn(
            key,
            vec![
                ("number", Msisdn::pretty_text(&p.msisdn).into()),
                ("from", p.from.as_str().into()),
                ("to", p.to.as_str().into()),
                ("format", p.format.extension().to_uppercase().into()),
            ],
        )
    }
}

/// A report's file, in a temporary file rewound for reading.
pub struct Built {
    pub file: std::fs::File,
    pub size: u64,
    /// Digits, letters, dashes and a dot: it goes into a header.
    pub file_name: String,
    pub content_type: &'static str,
}

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The operator did not answer: worth trying again later.
    #[error("the operator did not answer: {0}")]
    Unavailable(String),
    /// The number is no longer the company's.
    #[error("the number is not the company's")]
    NumberNotFound,
    #[error("the file could not be written: {0}")]
    Failed(BoxError),
}

/// A report's rows, taken by the writer one at a time.
type Rows = Box<dyn Iterator<Item = Vec<cabinet_reports::Cell>> + Send>;

/// Makes the report's file for the customer `bin`, in `locale`.
pub async fn build(
    operator: &dyn OperatorPort,
    zone: &OperatorZone,
    bin: &Bin,
    locale: Locale,
    request: &ReportRequest,
) -> Result<Built, BuildError> {
    let t = Tr::new(locale);
    let (p, usage) = match request {
        ReportRequest::Usage(p) => (p, true),
        ReportRequest::Payments(p) => (p, false),
        ReportRequest::NumberList(_) => return crate::lists::number_list_file(operator, zone, bin, t).await,
        ReportRequest::Devices(_) => return crate::lists::devices_file(operator, zone, bin, t).await,
    };
    let msisdn = Msisdn::parse(&p.msisdn).map_err(|_| BuildError::NumberNotFound)?;
    let unavailable = |e: cabinet_core::operator::OperatorError| BuildError::Unavailable(e.to_string());
    let period = (p.from.as_str(), p.to.as_str());
    let (head, rows, name) = if usage {
        let report = operator
            .usage(bin, &msisdn, p.from_ms, p.to_ms)
            .await
            .map_err(unavailable)?
            .ok_or(BuildError::NumberNotFound)?;
        let (head, rows) = usage::table(&t, zone, &msisdn, period, report);
        (head, Box::new(rows) as Rows, usage::file_name(&msisdn, &p.from, &p.to))
    } else {
        let moves = operator
            .balance_moves(bin, &msisdn, p.from_ms, p.to_ms)
            .await
            .map_err(unavailable)?
            .ok_or(BuildError::NumberNotFound)?;
        let (head, rows) = payments::table(&t, zone, &msisdn, period, &moves);
        (head, Box::new(rows.into_iter()) as Rows, payments::file_name(&msisdn, &p.from, &p.to))
    };
    let file = crate::export::table_file(p.format, locale, head, rows).await.map_err(BuildError::Failed)?;
    let size = file.metadata().map_err(|e| BuildError::Failed(e.into()))?.len();
    Ok(Built {
        file,
        size,
        file_name: format!("{name}.{}", p.format.extension()),
        content_type: p.format.content_type(),
    })
}

/// The e-mail that carries a ready report: subject and text in `locale`. `attached` is
/// false when the file is too large to mail (it waits in My reports); `until` is when it
/// leaves My reports.
pub fn email(locale: Locale, title: &str, until: &str, attached: bool) -> (String, String) {
    let t = Tr::new(locale);
    let subject = t.t1("report-email-subject", "title", title);
    let first = if attached {
        t.t1("report-email-attached", "title", title)
    } else {
        t.t1("report-email-too-large", "title", title)
    };
    let body = format!("{first}\n\n{}\n", t.t1("report-email-kept", "until", until));
    (subject, body)
}

/// The reason a failed report shows, from the code the worker recorded.
pub fn failure_text(t: &Tr, code: &str) -> String {
    t.try_t(&format!("report-error-{}", code.replace('_', "-"))).unwrap_or_else(|| t.t("report-error-internal-error"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reads_back_from_its_row() {
        let p = NumberPeriod {
            msisdn: "77011234567".into(),
            from: "01-11-2026".into(),
            to: "30-11-2026".into(),
            from_ms: 1,
            to_ms: 2,
            format: Format::Pdf,
        };
        let r = ReportRequest::Usage(p.clone());
        assert_eq!(ReportRequest::parse(r.kind(), &r.params()), Some(r.clone()));
        assert_eq!(ReportRequest::parse("payments", &r.params()), Some(ReportRequest::Payments(p)));
        assert_eq!(ReportRequest::parse("unknown", &r.params()), None);
        assert_eq!(ReportRequest::parse(USAGE, "{}"), None);
        let title = r.title(&Tr::new(Locale::En));
        assert!(title.contains("+7 701 123 45 67") && title.contains("01-11-2026") && title.contains("PDF"), "{title}");
        assert_eq!(r.email_to(), None);
    }

    #[test]
    fn a_company_report_reads_back_with_its_address() {
        let p = MailTo { email: "buh@corp.kz".into() };
        for r in [ReportRequest::NumberList(p.clone()), ReportRequest::Devices(p.clone())] {
            assert_eq!(ReportRequest::parse(r.kind(), &r.params()), Some(r.clone()));
            assert_eq!(r.email_to(), Some("buh@corp.kz"));
            assert_eq!(r.permission(), Permission::ViewDocuments);
            assert!(!r.title(&Tr::new(Locale::Kk)).is_empty());
        }
        assert_eq!(ReportRequest::parse(NUMBER_LIST, r#"{"email":"not an address"}"#), None);
        // A number's period is not a company report's parameters, nor the other way round.
        assert_eq!(ReportRequest::parse(USAGE, r#"{"email":"buh@corp.kz"}"#), None);
    }
}
