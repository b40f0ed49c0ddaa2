//! A customer's invoices as the documents pages will ask for them, always within the
//! customer's BIN.

use crate::{SimError, catalog};
use cabinet_core::operator::{
    BillingMethod, Invoice, InvoiceDocument, InvoiceLine, InvoiceLineKind, InvoiceQuery, UsageKind,
};
use cabinet_core::{Bin, Localized, Money};
use cabinet_store::Db;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

pub(crate) const COLUMNS: &str = "i.registration_no, i.system_no, i.account_no, i.billing_month, i.billing, i.issued_ms, \
     i.due_ms, i.net, i.vat_rate_bp, i.vat, i.total, i.paid, i.paid_ms, i.id";

pub(crate) fn invoice_of(r: &AnyRow) -> Result<Invoice, SimError> {
    let billing: String = r.get(4);
    Ok(Invoice {
        registration_no: r.get(0),
        system_no: r.get(1),
        account_no: r.get(2),
        month: r.get(3),
        billing: BillingMethod::from_code(&billing)
            .ok_or_else(|| SimError::BadData(format!("invoice billing {billing:?}")))?,
        issued_ms: r.get(5),
        due_ms: r.get(6),
        net: Money(r.get(7)),
        vat_rate_bp: r.get(8),
        vat: Money(r.get(9)),
        total: Money(r.get(10)),
        paid: Money(r.get(11)),
        paid_ms: r.get(12),
    })
}

/// The customer's invoices matching every filter given: newest month first, then by account.
pub(crate) async fn invoices(db: &Db, customer: &Bin, q: &InvoiceQuery) -> Result<Vec<Invoice>, SimError> {
    let mut sql = format!("SELECT {COLUMNS} FROM sim_invoices i WHERE i.bin = $1");
    let mut binds: Vec<&str> = vec![customer.as_str()];
    let filters = [
        (" AND i.account_no = $N", &q.account_no),
        (" AND i.billing_month = $N", &q.month),
        (" AND (i.registration_no = $N OR i.system_no = $N)", &q.number),
        (" AND EXISTS (SELECT 1 FROM sim_invoice_lines l WHERE l.invoice_id = i.id AND l.msisdn = $N)", &q.msisdn),
    ];
    for (cond, value) in filters {
        if let Some(v) = value {
            binds.push(v.as_str());
            sql.push_str(&cond.replace("$N", &format!("${}", binds.len())));
        }
    }
    sql.push_str(&format!(" ORDER BY i.billing_month DESC, i.account_no LIMIT {}", q.limit.clamp(1, 10_000)));
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for b in binds {
        query = query.bind(b);
    }
    query.fetch_all(db.pool()).await?.iter().map(invoice_of).collect()
}

/// One of the customer's invoices with its lines, by registration or system number.
pub(crate) async fn invoice(db: &Db, customer: &Bin, number: &str) -> Result<Option<InvoiceDocument>, SimError> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM sim_invoices i WHERE i.bin = $1 AND (i.registration_no = $2 OR i.system_no = $2)"
    )))
    .bind(customer.as_str())
    .bind(number)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let invoice = invoice_of(&row)?;
    let id: i64 = row.get(13);
    let rows = sqlx::query(
        "SELECT msisdn, kind, code, quantity, net, vat FROM sim_invoice_lines WHERE invoice_id = $1 ORDER BY seq",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut lines = Vec::with_capacity(rows.len());
    for r in rows {
        let (kind, code): (String, String) = (r.get(1), r.get(2));
        let kind = line_kind(&kind, &code)?;
        lines.push(InvoiceLine {
            msisdn: r.get(0),
            kind,
            name: line_name(kind, &code),
            code,
            quantity: r.get(3),
            net: Money(r.get(4)),
            vat: Money(r.get(5)),
        });
    }
    Ok(Some(InvoiceDocument { invoice, lines }))
}

fn line_kind(kind: &str, code: &str) -> Result<InvoiceLineKind, SimError> {
    Ok(match kind {
        "subscription" => InvoiceLineKind::Subscription,
        "service" => InvoiceLineKind::Service,
        "package" => InvoiceLineKind::Package,
        "usage" => InvoiceLineKind::Usage(
            UsageKind::ALL
                .into_iter()
                .find(|k| k.code() == code)
                .ok_or_else(|| SimError::BadData(format!("usage kind {code:?}")))?,
        ),
        other => return Err(SimError::BadData(format!("invoice line kind {other:?}"))),
    })
}

/// What the line is called: the tariff, the kind of traffic, the service.
fn line_name(kind: InvoiceLineKind, code: &str) -> Localized {
    match kind {
        InvoiceLineKind::Subscription => catalog::tariff_name(code),
        InvoiceLineKind::Usage(k) => match k.allowance() {
            Some(a) => catalog::allowance_name(a).localized(),
            None => crate::usage::roaming::kind_name(k).localized(),
        },
        InvoiceLineKind::Service | InvoiceLineKind::Package => {
            catalog::service(code).map_or_else(|| Localized::new(code, code, code), |s| s.name.localized())
        }
    }
}
