//! The reports Cabinet makes as jobs ("My reports"): what each kind asks for, its title and
//! its file, and the e-mail that carries it. The files come from the same tables the pages
//! download at once (`pages::usage::table`, `pages::payments::table`, `export`), so a
//! report and a download of the same period are the same bytes but for the as-of line. The
//! worker (in the `cabinet` crate) calls `build` and `email`; the pages call `title`.

use crate::Tr;
use crate::auth::Permission;
use crate::config::OperatorLegal;
use crate::export::{BoxError, Format};
use crate::pages::history::Period;
use crate::pages::{payments, usage};
use crate::statements;
use cabinet_core::email::Email;
use cabinet_core::operator::{OperatorPort, PaymentsOf};
use cabinet_core::time::OperatorZone;
use cabinet_core::{Bin, Locale, Msisdn};
use serde::{Deserialize, Serialize};

/// Usage details of a number for a period (more than `usage::AT_ONCE_DAYS` days).
pub const USAGE: &str = "usage";
/// A number's payments report (manual 000: "Отчет по платежам по номеру GSM").
pub const PAYMENTS: &str = "payments";
/// The company's invoice register of a period.
pub const REGISTER: &str = "register";
/// The company's reconciliation statement of a period.
pub const RECONCILIATION: &str = "reconciliation";
/// The company's payments of a period: its credit accounts' or its advance numbers'.
pub const COMPANY_PAYMENTS: &str = "company_payments";
/// The Atlas Pro roaming package day by day, of the company's numbers.
pub const ROAMING_PACKAGES: &str = "roaming_packages";
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
    /// The address typed on the form (the payments report's), which the file is mailed
    /// to; None: the administrator's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl NumberPeriod {
    pub(crate) fn new(msisdn: &Msisdn, period: &Period, format: Format, email: Option<&Email>) -> NumberPeriod {
        NumberPeriod {
            msisdn: msisdn.to_string(),
            from: period.from.clone(),
            to: period.to.clone(),
            from_ms: period.from_ms,
            to_ms: period.to_ms,
            format,
            email: email.map(|e| e.to_string()),
        }
    }
}

/// A period of the company's: the parameters of its statements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyPeriod {
    /// `dd-mm-yyyy`, as the page showed them.
    pub from: String,
    pub to: String,
    /// `[from_ms, to_ms)`: the days cut in the operator's zone when asked.
    pub from_ms: i64,
    pub to_ms: i64,
    pub format: Format,
    /// The address typed on the form, which the file is mailed to (checked by
    /// `cabinet_core::email::Email` when asked); None: the administrator's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl CompanyPeriod {
    pub(crate) fn new(period: &Period, format: Format, email: Option<&Email>) -> CompanyPeriod {
        CompanyPeriod {
            from: period.from.clone(),
            to: period.to.clone(),
            from_ms: period.from_ms,
            to_ms: period.to_ms,
            format,
            email: email.map(|e| e.to_string()),
        }
    }

    /// Its days and its address hold what the form checked.
    fn checked(self) -> Option<CompanyPeriod> {
        self.days()?;
        if let Some(e) = &self.email {
            Email::parse(e).ok()?;
        }
        Some(self)
    }

    /// The period's first and last days.
    fn days(&self) -> Option<(jiff::civil::Date, jiff::civil::Date)> {
        let day = |s: &str| jiff::civil::Date::strptime("%d-%m-%Y", s).ok();
        Some((day(&self.from)?, day(&self.to)?))
    }
}

/// The company's payments report: a period and whose payments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsPeriod {
    #[serde(flatten)]
    pub period: CompanyPeriod,
    /// The advance numbers' top-ups; otherwise the credit accounts' payments.
    pub advance: bool,
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
    Register(CompanyPeriod),
    Reconciliation(CompanyPeriod),
    CompanyPayments(PaymentsPeriod),
    RoamingPackages(CompanyPeriod),
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
            if let Some(e) = &p.email {
                Email::parse(e).ok()?;
            }
            Some(p)
        };
        let company = || -> Option<CompanyPeriod> { serde_json::from_str::<CompanyPeriod>(params).ok()?.checked() };
        let mail_to = || -> Option<MailTo> {
            let p: MailTo = serde_json::from_str(params).ok()?;
            Email::parse(&p.email).ok()?;
            Some(p)
        };
        match kind {
            USAGE => number_period().map(ReportRequest::Usage),
            PAYMENTS => number_period().map(ReportRequest::Payments),
            NUMBER_LIST => mail_to().map(ReportRequest::NumberList),
            DEVICES => mail_to().map(ReportRequest::Devices),
            REGISTER => company().map(ReportRequest::Register),
            RECONCILIATION => company().map(ReportRequest::Reconciliation),
            ROAMING_PACKAGES => company().map(ReportRequest::RoamingPackages),
            COMPANY_PAYMENTS => {
                let p: PaymentsPeriod = serde_json::from_str(params).ok()?;
                Some(ReportRequest::CompanyPayments(PaymentsPeriod { period: p.period.checked()?, advance: p.advance }))
            }
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            ReportRequest::Usage(_) => USAGE,
            ReportRequest::Payments(_) => PAYMENTS,
            ReportRequest::Register(_) => REGISTER,
            ReportRequest::Reconciliation(_) => RECONCILIATION,
            ReportRequest::CompanyPayments(_) => COMPANY_PAYMENTS,
            ReportRequest::RoamingPackages(_) => ROAMING_PACKAGES,
            ReportRequest::NumberList(_) => NUMBER_LIST,
            ReportRequest::Devices(_) => DEVICES,
        }
    }

    pub fn params(&self) -> String {
        match self {
            ReportRequest::Usage(p) | ReportRequest::Payments(p) => serde_json::to_string(p),
            ReportRequest::Register(p) | ReportRequest::Reconciliation(p) | ReportRequest::RoamingPackages(p) => {
                serde_json::to_string(p)
            }
            ReportRequest::CompanyPayments(p) => serde_json::to_string(p),
            ReportRequest::NumberList(p) | ReportRequest::Devices(p) => serde_json::to_string(p),
        }
        .expect("parameters serialise")
    }

    /// Where the file is mailed when the request names an address (a company report's
    /// form); None: the administrator's own address, if any.
    pub fn email_to(&self) -> Option<&str> {
        match self {
            ReportRequest::NumberList(p) | ReportRequest::Devices(p) => Some(&p.email),
            ReportRequest::Register(p) | ReportRequest::Reconciliation(p) | ReportRequest::RoamingPackages(p) => {
                p.email.as_deref()
            }
            ReportRequest::CompanyPayments(p) => p.period.email.as_deref(),
            ReportRequest::Usage(p) | ReportRequest::Payments(p) => p.email.as_deref(),
        }
    }

    /// What one needs to ask for it, and to download it later.
    pub(crate) fn permission(&self) -> Permission {
        match self {
            ReportRequest::Usage(_) => Permission::ViewNumbers,
            ReportRequest::Payments(_) => Permission::ViewPayments,
            ReportRequest::Register(_) | ReportRequest::Reconciliation(_) => Permission::ViewDocuments,
            ReportRequest::CompanyPayments(_) => Permission::ViewPayments,
            ReportRequest::RoamingPackages(_) => Permission::ViewNumbers,
            ReportRequest::NumberList(_) | ReportRequest::Devices(_) => Permission::ViewDocuments,
        }
    }

    /// "Usage details +7 701 234 56 78, 01-11-2026 → 30-11-2026, XLSX".
    pub fn title(&self, t: &Tr) -> String {
        let (key, p) = match self {
            ReportRequest::Usage(p) => ("report-title-usage", p),
            ReportRequest::Payments(p) => ("report-title-payments", p),
            ReportRequest::Register(p)
            | ReportRequest::Reconciliation(p)
            | ReportRequest::RoamingPackages(p)
            | ReportRequest::CompanyPayments(PaymentsPeriod { period: p, .. }) => {
                let key = match self {
                    ReportRequest::Register(_) => "report-title-register",
                    ReportRequest::RoamingPackages(_) => "report-title-roaming-packages",
                    ReportRequest::Reconciliation(_) => "report-title-reconciliation",
                    ReportRequest::CompanyPayments(q) if q.advance => "report-title-company-payments-advance",
                    _ => "report-title-company-payments-credit",
                };
                let format = p.format.extension().to_uppercase();
                return t.tn(
                    key,
                    vec![("from", p.from.as_str().into()), ("to", p.to.as_str().into()), ("format", format.into())],
                );
            }
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

/// Where a report's data comes from, and who it is between.
pub struct Source<'a> {
    pub operator: &'a dyn OperatorPort,
    pub zone: &'a OperatorZone,
    /// The operator as a party to its documents.
    pub legal: &'a OperatorLegal,
    pub bin: &'a Bin,
    /// The company's name, as the documents name the customer.
    pub customer: &'a str,
}

/// Makes the report's file, in `locale`.
pub async fn build(source: &Source<'_>, locale: Locale, request: &ReportRequest) -> Result<Built, BuildError> {
    let (operator, zone, bin) = (source.operator, source.zone, source.bin);
    let t = Tr::new(locale);
    let (p, usage) = match request {
        ReportRequest::Usage(p) => (p, true),
        ReportRequest::Payments(p) => (p, false),
        ReportRequest::NumberList(_) => return crate::lists::number_list_file(operator, zone, bin, t).await,
        ReportRequest::Devices(_) => return crate::lists::devices_file(operator, zone, bin, t).await,
        ReportRequest::Register(p)
        | ReportRequest::Reconciliation(p)
        | ReportRequest::RoamingPackages(p)
        | ReportRequest::CompanyPayments(PaymentsPeriod { period: p, .. }) => {
            return statement(source, locale, request, p).await;
        }
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

/// A company statement's file (`statements`).
async fn statement(
    source: &Source<'_>,
    locale: Locale,
    request: &ReportRequest,
    p: &CompanyPeriod,
) -> Result<Built, BuildError> {
    let (from, to) = p.days().ok_or_else(|| BuildError::Failed("the period does not read back".into()))?;
    let parties = statements::Parties {
        operator: source.legal,
        customer: crate::invoice_files::Customer { name: source.customer, bin: source.bin.as_str() },
        locale,
    };
    let (file, stem) = match request {
        ReportRequest::Register(_) => {
            // The months whose invoices (dated their last day) fall in the period, and whose
            // register is published (from the 3rd of the next month).
            let now = cabinet_core::time::now_ms();
            let mut last = cabinet_core::time::BillingMonth::of(to);
            if last.last_day() > to {
                last = last.prev();
            }
            while !crate::invoice_files::published(source.zone, &last.to_string(), REGISTER_FROM_DAY, now) {
                last = last.prev();
            }
            let first = cabinet_core::time::BillingMonth::of(from);
            let file =
                statements::register(source.operator, source.zone, source.bin, &parties, (first, last), p.format)
                    .await?;
            (file, "invoice-register")
        }
        ReportRequest::RoamingPackages(_) => {
            let args = ((p.from_ms, p.to_ms), (p.from.as_str(), p.to.as_str()));
            let file = statements::roaming_packages(source.operator, source.zone, source.bin, &parties, args, p.format)
                .await?;
            (file, "atlas-pro")
        }
        ReportRequest::CompanyPayments(q) => {
            let which = if q.advance { PaymentsOf::AdvanceNumbers } else { PaymentsOf::CreditAccounts };
            let args = (which, (p.from_ms, p.to_ms), (p.from.as_str(), p.to.as_str()));
            let file = statements::payments(source.operator, source.zone, source.bin, &parties, args, p.format).await?;
            (file, if q.advance { "payments-advance" } else { "payments-credit" })
        }
        _ => {
            let file =
                statements::reconciliation(source.operator, source.zone, source.bin, &parties, (from, to), p.format)
                    .await?;
            (file, "reconciliation")
        }
    };
    let size = file.metadata().map_err(|e| BuildError::Failed(e.into()))?.len();
    Ok(Built {
        file,
        size,
        file_name: format!("{stem}-{}-{}.{}", p.from, p.to, p.format.extension()),
        content_type: p.format.content_type(),
    })
}

/// The day of the next month from which a month's invoice register is published ("the
/// previous month after the 3rd").
const REGISTER_FROM_DAY: i8 = 3;

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
            email: None,
        };
        let r = ReportRequest::Usage(p.clone());
        assert_eq!(ReportRequest::parse(r.kind(), &r.params()), Some(r.clone()));
        assert_eq!(ReportRequest::parse("payments", &r.params()), Some(ReportRequest::Payments(p.clone())));
        assert_eq!(ReportRequest::parse("unknown", &r.params()), None);
        assert_eq!(ReportRequest::parse(USAGE, "{}"), None);
        let title = r.title(&Tr::new(Locale::En));
        assert!(title.contains("+7 701 123 45 67") && title.contains("01-11-2026") && title.contains("PDF"), "{title}");
        assert_eq!(r.email_to(), None);
        let typed = ReportRequest::Payments(NumberPeriod { email: Some("buh@corp.kz".into()), ..p });
        assert_eq!(ReportRequest::parse(typed.kind(), &typed.params()), Some(typed.clone()));
        assert_eq!(typed.email_to(), Some("buh@corp.kz"));
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

    #[test]
    fn a_statement_reads_back_with_the_address_typed_or_none() {
        let period = Period { from: "01-09-2026".into(), to: "30-11-2026".into(), from_ms: 1, to_ms: 2 };
        let to = Email::parse("Buh@Corp.kz").unwrap();
        let typed = CompanyPeriod::new(&period, Format::Pdf, Some(&to));
        let own = CompanyPeriod::new(&period, Format::Pdf, None);
        for r in [
            ReportRequest::Register(typed.clone()),
            ReportRequest::Reconciliation(typed.clone()),
            ReportRequest::RoamingPackages(typed.clone()),
            ReportRequest::CompanyPayments(PaymentsPeriod { period: typed.clone(), advance: true }),
        ] {
            assert_eq!(ReportRequest::parse(r.kind(), &r.params()), Some(r.clone()));
            assert_eq!(r.email_to(), Some(to.as_str()));
        }
        // Rows asked for before the form had the field: the administrator's own address.
        let r = ReportRequest::Register(own);
        assert!(!r.params().contains("email"));
        assert_eq!(ReportRequest::parse(r.kind(), &r.params()), Some(r.clone()));
        assert_eq!(r.email_to(), None);
        let bad = r.params().replace('}', r#","email":"buh@corp"}"#);
        assert_eq!(ReportRequest::parse(REGISTER, &bad), None);
    }
}
