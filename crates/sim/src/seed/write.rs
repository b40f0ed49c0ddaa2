//! Writing generated rows: multi-row INSERTs of a few hundred rows each, one transaction per
//! batch, so that 100,000 numbers go in within seconds and a reader never sees an account
//! without its numbers or a count that disagrees with the rows.

use super::rows::Batch;
use crate::bulk::insert;
use cabinet_store::{Db, Dialect};
use sqlx::{AnyConnection, AssertSqlSafe};

fn flag(b: bool) -> i16 {
    i16::from(b)
}

/// Writes one batch and adds its numbers to the customer's count, in one transaction.
pub(crate) async fn write_batch(
    db: &Db,
    conn: &mut AnyConnection,
    zone: &cabinet_core::time::OperatorZone,
    bin: &str,
    batch: &Batch,
    closed: &super::billing::ClosedMonths,
    open: &super::open_month::OpenMonth,
) -> Result<(), crate::SimError> {
    let mut tx = db.begin_write_on(conn).await?;
    let conn: &mut AnyConnection = &mut tx;
    let dialect = db.dialect();
    // An account's debt after the history: its unpaid invoices on top of its opening debt.
    let debts = closed.final_debts(batch);
    let advance: std::collections::HashSet<&str> = batch
        .accounts
        .iter()
        .filter(|a| a.billing == cabinet_core::operator::BillingMethod::Advance)
        .map(|a| a.account_no.as_str())
        .collect();
    let (open_due, open_accrued) = super::open_month::accrued(&closed.open_month);
    let open_due_of = |msisdn: &str| open_due.get(msisdn).map_or(0, |d| d.due);
    insert(
        conn,
        dialect,
        "INSERT INTO sim_accounts (account_no, bin, account_type, billing, credit_limit, period_charges, past_debt)",
        7,
        &batch.accounts,
        |q, r| {
            q.bind(r.account_no.as_str())
                .bind(bin)
                .bind(r.account_type)
                .bind(r.billing.code())
                .bind(r.credit_limit)
                .bind(r.period_charges + open_accrued.get(r.account_no.as_str()).copied().unwrap_or(0))
                .bind(debts.get(&r.account_no).copied().unwrap_or(r.past_debt))
        },
    )
    .await?;
    insert(
        conn,
        dialect,
        "INSERT INTO sim_subscribers (msisdn, bin, account_no, tariff_code, state, state_changed_ms, individual_limit, \
         period_spent, balance, roaming_debt, registration_form, esim, ban_ussd, ban_selfcare_details, ban_selfcare, \
         subscription_block, hidden_caller_id, in_roaming, iccid, pin1, pin2, puk1, puk2, sim_replaced_ms, last_imei, \
         created_ms)",
        26,
        &batch.subscribers,
        |q, r| {
            q.bind(r.msisdn.as_str())
                .bind(bin)
                .bind(r.account_no.as_str())
                .bind(r.tariff_code)
                .bind(r.state.code())
                .bind(r.state_changed_ms)
                .bind(r.individual_limit)
                // A credit number's charges of the period so far (an advance number's
                // balance has paid them).
                .bind(r.period_spent + if advance.contains(r.account_no.as_str()) { 0 } else { open_due_of(&r.msisdn) })
                .bind(r.balance)
                .bind(r.roaming_debt)
                .bind(r.registration_form.as_str())
                .bind(flag(r.esim))
                .bind(flag(r.ban_ussd))
                .bind(flag(r.ban_selfcare_details))
                .bind(flag(r.ban_selfcare))
                .bind(flag(r.subscription_block))
                .bind(flag(r.hidden_caller_id))
                .bind(flag(r.in_roaming))
                .bind(r.iccid.as_str())
                .bind(r.pin1.as_str())
                .bind(r.pin2.as_str())
                .bind(r.puk1.as_str())
                .bind(r.puk2.as_str())
                .bind(r.sim_replaced_ms)
                .bind(r.last_imei.as_deref())
                .bind(r.created_ms)
        },
    )
    .await?;
    let mut topped: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    for p in &batch.payments {
        *topped.entry(p.msisdn.as_str()).or_default() += p.amount;
    }
    let charged = closed.charged();
    // The advance numbers' balances enter the books with them: what each had before the
    // seeded top-ups, the history's invoices and the open month's usage.
    let balances: Vec<(&str, i64)> = batch
        .subscribers
        .iter()
        .filter(|r| advance.contains(r.account_no.as_str()))
        .map(|r| {
            let m = r.msisdn.as_str();
            // The open month's usage comes off last (`open_month`), leaving the seeded balance.
            (m, r.balance - topped.get(m).copied().unwrap_or(0) + charged.get(m).copied().unwrap_or(0) + open_due_of(m))
        })
        .collect();
    let opened_ms = batch.subscribers.iter().map(|r| r.created_ms).min().unwrap_or_default();
    let opening_debts: Vec<(&str, i64)> = batch.accounts.iter().map(|a| (a.account_no.as_str(), a.past_debt)).collect();
    crate::ledger::open_books(conn, bin, &balances, &opening_debts, opened_ms).await?;
    let opening: std::collections::HashMap<&str, i64> = balances.iter().copied().collect();
    let afters = super::billing::balance_afters(&opening, &batch.payments, closed);
    top_ups(conn, dialect, bin, &batch.payments, &afters.payments).await?;
    let opening_debts = opening_debts.iter().map(|(a, d)| (a.to_string(), *d)).collect();
    super::billing::write_closed(conn, dialect, zone, bin, closed, &afters, opening_debts).await?;
    let seeded: std::collections::HashMap<&str, i64> =
        batch.subscribers.iter().map(|r| (r.msisdn.as_str(), r.balance)).collect();
    super::open_month::write(conn, dialect, bin, open, &closed.open_month, &seeded).await?;
    // The search runs of the batch's numbers, in key order: the index grows at a few places
    // instead of all over.
    let mut grams: Vec<(String, &str)> = batch
        .subscribers
        .iter()
        .flat_map(|r| crate::numbers::grams_of(&r.msisdn, &r.account_no).into_iter().map(|g| (g, r.msisdn.as_str())))
        .collect();
    grams.sort_unstable();
    insert(conn, dialect, "INSERT INTO sim_number_grams (bin, gram, msisdn)", 3, &grams, |q, (gram, msisdn)| {
        q.bind(bin).bind(gram.as_str()).bind(*msisdn)
    })
    .await?;
    insert(
        conn,
        dialect,
        "INSERT INTO sim_subscriber_services (msisdn, service_code, activated_ms)",
        3,
        &batch.services,
        |q, r| q.bind(r.msisdn.as_str()).bind(r.code).bind(r.activated_ms),
    )
    .await?;
    insert(
        conn,
        dialect,
        "INSERT INTO sim_allowances (msisdn, source, kind, unlimited, available, total, connected_ms, until_ms)",
        8,
        &batch.allowances,
        |q, r| {
            q.bind(r.msisdn.as_str())
                .bind(r.source)
                .bind(r.kind.code())
                .bind(flag(r.unlimited))
                .bind(r.available)
                .bind(r.total)
                .bind(r.connected_ms)
                .bind(r.until_ms)
        },
    )
    .await?;
    insert(
        conn,
        dialect,
        "INSERT INTO sim_contract_phones (msisdn, seq, device_name, device_type, active, activated_ms, terminates_ms, \
         term_months, monthly_payment, contract_price, promotion)",
        11,
        &batch.phones,
        |q, r| {
            q.bind(r.msisdn.as_str())
                .bind(r.seq)
                .bind(r.device_name)
                .bind(r.device_type)
                .bind(flag(r.active))
                .bind(r.activated_ms)
                .bind(r.terminates_ms)
                .bind(r.term_months)
                .bind(r.monthly_payment)
                .bind(r.contract_price)
                .bind(r.promotion)
        },
    )
    .await?;
    sqlx::query("UPDATE sim_customers SET number_count = number_count + $1 WHERE bin = $2")
        .bind(batch.subscribers.len() as i64)
        .bind(bin)
        .execute(&mut *conn)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The batch's top-ups as payments: one ledger transaction each (the number's balance against
/// `op:cash`), with the balance after each (`after`, in the same order).
async fn top_ups(
    conn: &mut AnyConnection,
    dialect: Dialect,
    bin: &str,
    payments: &[super::rows::PaymentRow],
    after: &[i64],
) -> Result<(), crate::SimError> {
    let key = |p: &super::rows::PaymentRow| format!("pay:{}:{}", p.msisdn, p.reference);
    for (chunk, after) in payments.chunks(400).zip(after.chunks(400)) {
        insert(conn, dialect, "INSERT INTO sim_ledger_txns (bin, kind, key, created_ms)", 4, chunk, |q, p| {
            q.bind(bin).bind("payment").bind(key(p)).bind(p.received_ms)
        })
        .await?;
        let keys: Vec<String> = chunk.iter().map(key).collect();
        let placeholders: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
        let mut q = sqlx::query_as::<_, (i64, String)>(AssertSqlSafe(format!(
            "SELECT id, key FROM sim_ledger_txns WHERE key IN ({})",
            placeholders.join(", ")
        )));
        for k in &keys {
            q = q.bind(k.clone());
        }
        let ids: std::collections::HashMap<String, i64> =
            q.fetch_all(&mut *conn).await?.into_iter().map(|(id, k)| (k, id)).collect();
        let rows: Vec<(i64, &super::rows::PaymentRow, i64)> =
            chunk.iter().zip(after).map(|(p, a)| (ids[&key(p)], p, *a)).collect();
        insert(
            conn,
            dialect,
            "INSERT INTO sim_payments (txn_id, msisdn, channel, reference, amount, received_ms)",
            6,
            &rows,
            |q, (id, p, _)| {
                q.bind(*id)
                    .bind(p.msisdn.as_str())
                    .bind(p.channel)
                    .bind(p.reference.as_str())
                    .bind(p.amount)
                    .bind(p.received_ms)
            },
        )
        .await?;
        let entries: Vec<(i64, String, i64, Option<i64>)> = rows
            .iter()
            .flat_map(|(id, p, a)| {
                [
                    (*id, crate::ledger::number_account(&p.msisdn), p.amount, Some(*a)),
                    (*id, "op:cash".to_string(), -p.amount, None),
                ]
            })
            .collect();
        insert(
            conn,
            dialect,
            "INSERT INTO sim_ledger_entries (txn_id, account, amount, balance_after)",
            4,
            &entries,
            |q, e| q.bind(e.0).bind(e.1.clone()).bind(e.2).bind(e.3),
        )
        .await?;
    }
    Ok(())
}
