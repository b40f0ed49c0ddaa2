//! Number management: counting, listing and searching a customer's numbers.
//!
//! Large customers have 100,000 numbers, and every page must cost what the first does, so:
//! pages are cut by number (keyset) over the (bin, msisdn, account_no) index; the count is a
//! column kept by whoever adds numbers; a digit search never scans every row when it can be
//! helped. On SQLite a trigram FTS5 index finds rows holding 3+ digits; when a query matches
//! so many rows that fetching them all would cost more than walking the index in order, the
//! index walk is used instead (it stops as soon as the page is full). PostgreSQL gets the
//! same `LIKE '%digits%'` query and picks between its pg_trgm indexes and the b-tree itself.

use crate::SimError;
use crate::catalog;
use cabinet_core::operator::{BillingMethod, MatchCount, NumberPage, NumberQuery, NumberState, NumberSummary};
use cabinet_core::{Bin, Money, Msisdn};
use cabinet_store::{Db, Dialect, Row, Select, StoreError};

/// Customers up to this size are always searched by walking their index: it cannot cost
/// more than this many index entries.
const SMALL_CUSTOMER: i64 = 2_000;
/// Up to this many trigram matches (over all customers) a search reads them all and sorts;
/// beyond it the matches are dense enough that walking the index in order is cheaper.
const SPARSE_MATCHES: i64 = 800;
/// The longest page a caller may ask for, and the page size when none is asked for.
const MAX_LIMIT: u32 = 1_000;
const DEFAULT_LIMIT: u32 = 20;

pub(crate) const SUMMARY_COLUMNS: &str = "s.msisdn, s.account_no, s.tariff_code, a.billing, s.state, s.individual_limit, \
     s.period_spent, s.balance, a.credit_limit, a.period_charges";
/// How many columns `SUMMARY_COLUMNS` names: the columns after them start here.
pub(crate) const SUMMARY_WIDTH: usize = 10;

/// The columns of one Number management row, as stored.
#[derive(Debug)]
pub(crate) struct SummaryRow {
    msisdn: String,
    account_no: String,
    pub(crate) tariff_code: String,
    billing: String,
    state: String,
    individual_limit: Option<i64>,
    period_spent: i64,
    balance: i64,
    pub(crate) credit_limit: Option<i64>,
    period_charges: i64,
}

impl SummaryRow {
    /// The row from a select that starts with `SUMMARY_COLUMNS`.
    pub(crate) fn from_select(r: &Row) -> Result<SummaryRow, StoreError> {
        Ok(SummaryRow {
            msisdn: r.text(0)?,
            account_no: r.text(1)?,
            tariff_code: r.text(2)?,
            billing: r.text(3)?,
            state: r.text(4)?,
            individual_limit: r.opt_int(5)?,
            period_spent: r.int(6)?,
            balance: r.int(7)?,
            credit_limit: r.opt_int(8)?,
            period_charges: r.int(9)?,
        })
    }

    pub(crate) fn into_summary(self) -> Result<NumberSummary, SimError> {
        let bad = |what: &str, v: &str| SimError::BadData(format!("{what} {v:?} of {}", self.msisdn));
        let billing = BillingMethod::from_code(&self.billing).ok_or_else(|| bad("billing", &self.billing))?;
        let state = NumberState::from_code(&self.state).ok_or_else(|| bad("state", &self.state))?;
        let msisdn = Msisdn::parse(&self.msisdn).map_err(|_| bad("number", &self.msisdn))?;
        // Credit numbers draw on the account's limit; advance numbers on their own balance.
        let remaining = match billing {
            BillingMethod::Credit => self.credit_limit.unwrap_or(0) - self.period_charges,
            BillingMethod::Advance => self.balance,
        };
        Ok(NumberSummary {
            msisdn,
            account_no: self.account_no,
            tariff: catalog::tariff_name(&self.tariff_code),
            billing,
            state,
            individual_limit: self.individual_limit.map(Money),
            available_funds: self.individual_limit.map(|limit| Money(limit - self.period_spent)),
            remaining: Money(remaining),
        })
    }
}

pub(crate) async fn number_count(db: &Db, customer: &Bin) -> Result<u64, SimError> {
    let n = db
        .select("SELECT number_count FROM sim_customers WHERE bin = $1")
        .text(customer.as_str())
        .optional(|r| r.int(0))
        .await?;
    Ok(n.map_or(0, |n| n.max(0) as u64))
}

/// How the rows of one query are found.
enum Filter {
    All,
    /// Walk the customer's index in number order, checking the digits on each entry.
    Walk(String),
    /// Read the trigram index's matches for `phrase` (part of the digits), keep the
    /// customer's rows holding all the `digits` (SQLite only).
    Trigram {
        phrase: String,
        digits: String,
    },
    /// A whole number (11 digits starting with 7): only that number can hold them, since
    /// account numbers are shorter. One index lookup on either engine.
    Exact(String),
}

impl Filter {
    /// The FROM and WHERE of a query over `sim_subscribers s`: `$1` is the BIN, then the
    /// filter's own parameters (see `bind`). `accounts` joins `sim_accounts a`.
    fn sql_from(&self, dialect: Dialect, accounts: bool) -> String {
        let join = if accounts { " JOIN sim_accounts a ON a.account_no = s.account_no" } else { "" };
        match (self, dialect) {
            // INDEXED BY keeps SQLite on the covering index whatever its statistics say: the
            // digit check then reads only index entries.
            (Filter::All, Dialect::Sqlite) => {
                format!("FROM sim_subscribers s INDEXED BY sim_subscribers_bin_msisdn{join} WHERE s.bin = $1")
            }
            (Filter::All, Dialect::Postgres) => {
                format!("FROM sim_subscribers s{join} WHERE s.bin = $1")
            }
            (Filter::Exact(_), _) => {
                format!("FROM sim_subscribers s{join} WHERE s.bin = $1 AND s.msisdn = $2")
            }
            (Filter::Walk(_), Dialect::Sqlite) => format!(
                "FROM sim_subscribers s INDEXED BY sim_subscribers_bin_msisdn{join} \
                 WHERE s.bin = $1 AND (instr(s.msisdn, $2) > 0 OR instr(s.account_no, $2) > 0)"
            ),
            (_, Dialect::Postgres) => {
                format!("FROM sim_subscribers s{join} WHERE s.bin = $1 AND (s.msisdn LIKE $2 OR s.account_no LIKE $2)")
            }
            // CROSS JOIN makes SQLite read the trigram matches first and look each row up,
            // instead of walking the customer's index and probing the matches.
            (Filter::Trigram { .. }, Dialect::Sqlite) => format!(
                "FROM sim_subscribers_fts CROSS JOIN sim_subscribers s ON s.id = sim_subscribers_fts.rowid{join} \
                 WHERE sim_subscribers_fts MATCH $2 AND s.bin = $1 \
                 AND (instr(s.msisdn, $3) > 0 OR instr(s.account_no, $3) > 0)"
            ),
        }
    }

    /// Binds the filter's parameters after the BIN.
    fn bind<'a>(&'a self, q: Select<'a>, dialect: Dialect) -> Select<'a> {
        match (self, dialect) {
            (Filter::All, _) => q,
            (Filter::Exact(d), _) => q.text(d.as_str()),
            (Filter::Walk(d) | Filter::Trigram { digits: d, .. }, Dialect::Postgres) => q.text(format!("%{d}%")),
            (Filter::Walk(d), Dialect::Sqlite) => q.text(d.as_str()),
            (Filter::Trigram { phrase, digits }, Dialect::Sqlite) => q.text(phrase.as_str()).text(digits.as_str()),
        }
    }

    /// The number of the first placeholder after the filter's.
    fn next_param(&self, dialect: Dialect) -> usize {
        match (self, dialect) {
            (Filter::All, _) => 2,
            (Filter::Trigram { .. }, Dialect::Sqlite) => 4,
            _ => 3,
        }
    }
}

fn is_whole_number(digits: &str) -> bool {
    digits.len() == 11 && digits.starts_with('7')
}

/// Only the digits of what the user typed: `+7 701` searches for `7701`.
fn clean_digits(input: &str) -> String {
    input.chars().filter(char::is_ascii_digit).collect()
}

/// The FTS5 query for `digits`: a quoted string, so the digits are one substring. Of a long
/// query only the last six digits are looked up (the rows are then checked for all of
/// them): a number's head (`7701…`) is shared by a third of all numbers, and reading those
/// trigrams' long lists is what makes a full-number search slow, while its tail is rare.
fn fts_phrase(digits: &str) -> String {
    format!("\"{}\"", &digits[digits.len().saturating_sub(6)..])
}

/// How to find the customer's numbers holding some digits, and how many there are when
/// choosing the plan already told.
struct Plan {
    filter: Filter,
    known_count: Option<i64>,
}

/// Picks how to find the customer's numbers holding `digits`. On SQLite a large customer's
/// search first reads the trigram matches (at most SPARSE_MATCHES + 1): few matches mean
/// the trigram path, and the same read counts the customer's own matches exactly.
async fn plan(db: &Db, customer: &Bin, digits: &str, customer_size: i64) -> Result<Plan, SimError> {
    let plain = |filter| Ok(Plan { filter, known_count: None });
    if digits.is_empty() {
        return plain(Filter::All);
    }
    if is_whole_number(digits) {
        return plain(Filter::Exact(digits.to_string()));
    }
    if db.dialect() == Dialect::Postgres {
        return plain(Filter::Walk(digits.to_string()));
    }
    // Trigrams need 3 characters; one or two digits are found in most numbers anyway, so
    // the walk fills a page after a few dozen entries.
    if digits.len() < 3 || customer_size <= SMALL_CUSTOMER {
        return plain(Filter::Walk(digits.to_string()));
    }
    let phrase = fts_phrase(digits);
    let sql = format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN s.bin = $1 AND (instr(s.msisdn, $3) > 0 OR instr(s.account_no, $3) > 0) \
                THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM (SELECT rowid FROM sim_subscribers_fts WHERE sim_subscribers_fts MATCH $2 LIMIT {}) f
         JOIN sim_subscribers s ON s.id = f.rowid",
        SPARSE_MATCHES + 1
    );
    let (matches, own) = query(db, sql)
        .text(customer.as_str())
        .text(phrase.as_str())
        .text(digits)
        .one(|r| Ok((r.int(0)?, r.int(1)?)))
        .await?;
    if matches > SPARSE_MATCHES {
        return plain(Filter::Walk(digits.to_string()));
    }
    Ok(Plan { filter: Filter::Trigram { phrase, digits: digits.to_string() }, known_count: Some(own) })
}

/// A query whose SQL is assembled from this module's constant fragments and numbers only;
/// user input is always bound. LIMITs are written into the SQL rather than bound: SQLite
/// plans for the LIMIT it sees, and a bound one makes it plan again at every run.
fn query(db: &Db, sql: String) -> Select<'_> {
    // SQLite's plans are pinned (INDEXED BY, CROSS JOIN), so its prepared statements are
    // kept. PostgreSQL plans each search afresh with the actual pattern: a cached generic
    // plan would pick the trigram or the b-tree index blind.
    db.select(sql).replan()
}

/// One page of the customer's numbers; `customer_size` (possibly stale) picks the plan.
pub(crate) async fn list(db: &Db, customer: &Bin, q: &NumberQuery, customer_size: i64) -> Result<NumberPage, SimError> {
    let digits = clean_digits(q.digits.as_deref().unwrap_or(""));
    // A query that names no page size (limit 0) gets the usual one.
    let limit = if q.limit == 0 { DEFAULT_LIMIT } else { q.limit.min(MAX_LIMIT) } as usize;
    if q.after.is_none()
        && q.before.is_none()
        && let Some(page) = first_sparse_page(db, customer, &digits, customer_size, limit, q.count_cap).await?
    {
        return Ok(page);
    }
    let plan = plan(db, customer, &digits, customer_size).await?;
    let filter = &plan.filter;
    let dialect = db.dialect();
    let p = filter.next_param(dialect);
    // `after` wins when both cursors are given: paging forward is the common case.
    let (cursor, backward) = match (&q.after, &q.before) {
        (Some(a), _) => (Some(a.clone()), false),
        (None, Some(b)) => (Some(b.clone()), true),
        (None, None) => (None, false),
    };
    let (cmp, order) = if backward { ("<", "DESC") } else { (">", "ASC") };
    let tail = match &cursor {
        Some(_) => format!(" AND s.msisdn {cmp} ${p} ORDER BY s.msisdn {order} LIMIT {}", limit + 1),
        None => format!(" ORDER BY s.msisdn {order} LIMIT {}", limit + 1),
    };
    let sql = match dialect {
        // The page's rows are picked first and joined to their accounts after: a trigram
        // search may sort a thousand matches, and only the page needs the money columns.
        Dialect::Sqlite => format!(
            "SELECT {SUMMARY_COLUMNS} FROM sim_subscribers s JOIN sim_accounts a ON a.account_no = s.account_no \
             WHERE s.id IN (SELECT s.id {}{tail}) ORDER BY s.msisdn {order}",
            filter.sql_from(dialect, false)
        ),
        // PostgreSQL joins lazily under a LIMIT by itself.
        Dialect::Postgres => format!("SELECT {SUMMARY_COLUMNS} {}{tail}", filter.sql_from(dialect, true)),
    };
    let mut qy = filter.bind(query(db, sql).text(customer.as_str()), dialect);
    if let Some(c) = &cursor {
        qy = qy.text(c.as_str());
    }
    let rows = qy.all(SummaryRow::from_select).await?;
    let more = rows.len() > limit;
    let mut items = Vec::with_capacity(limit);
    for r in rows.into_iter().take(limit) {
        items.push(r.into_summary()?);
    }
    if backward {
        items.reverse();
    }
    // The side the cursor came from: is there anything at or beyond the cursor?
    let beyond = match &cursor {
        Some(c) => exists_beyond(db, customer, filter, c, !backward).await?,
        None => false,
    };
    let (has_prev, has_next) = if backward { (more, beyond) } else { (beyond, more) };
    let matched = match q.count_cap {
        Some(cap) if !digits.is_empty() => Some(count_by_plan(db, customer, &plan, cap).await?),
        _ => None,
    };
    Ok(NumberPage { items, has_prev, has_next, matched })
}

/// The first page of a sparse search on SQLite in one statement: the trigram matches
/// (at most SPARSE_MATCHES + 1 read), the customer's own among them counted by a window,
/// and the page's rows with their accounts. None when the search is not sparse (then the
/// general path walks the index) or nothing matched (the general path says so cheaply).
async fn first_sparse_page(
    db: &Db,
    customer: &Bin,
    digits: &str,
    customer_size: i64,
    limit: usize,
    count_cap: Option<u64>,
) -> Result<Option<NumberPage>, SimError> {
    if db.dialect() != Dialect::Sqlite || digits.len() < 3 || is_whole_number(digits) || customer_size <= SMALL_CUSTOMER
    {
        return Ok(None);
    }
    let sql = format!(
        "WITH m AS MATERIALIZED (SELECT rowid AS id FROM sim_subscribers_fts WHERE sim_subscribers_fts MATCH $2 LIMIT {sparse})
         SELECT {SUMMARY_COLUMNS}, h.own AS own, (SELECT COUNT(*) FROM m) AS global
         FROM (SELECT s.id AS id, COUNT(*) OVER () AS own FROM m CROSS JOIN sim_subscribers s ON s.id = m.id
               WHERE s.bin = $1 AND (instr(s.msisdn, $3) > 0 OR instr(s.account_no, $3) > 0)
               ORDER BY s.msisdn LIMIT {page}) h
         JOIN sim_subscribers s ON s.id = h.id JOIN sim_accounts a ON a.account_no = s.account_no
         ORDER BY s.msisdn",
        sparse = SPARSE_MATCHES + 1,
        page = limit + 1,
    );
    let rows = query(db, sql)
        .text(customer.as_str())
        .text(fts_phrase(digits))
        .text(digits)
        .all(|r| Ok((SummaryRow::from_select(r)?, r.int(SUMMARY_WIDTH)?, r.int(SUMMARY_WIDTH + 1)?)))
        .await?;
    let Some(&(_, own, global)) = rows.first() else {
        return Ok(None);
    };
    if global > SPARSE_MATCHES {
        return Ok(None);
    }
    let has_next = rows.len() > limit;
    let mut items = Vec::with_capacity(limit);
    for (r, _, _) in rows.into_iter().take(limit) {
        items.push(r.into_summary()?);
    }
    let matched =
        count_cap.map(|cap| if own as u64 > cap { MatchCount::AtLeast(cap) } else { MatchCount::Exactly(own as u64) });
    Ok(Some(NumberPage { items, has_prev: false, has_next, matched }))
}

/// Whether a matching number lies at or before `cursor` (`before_side`) or at or after it.
async fn exists_beyond(
    db: &Db,
    customer: &Bin,
    filter: &Filter,
    cursor: &str,
    before_side: bool,
) -> Result<bool, SimError> {
    let p = filter.next_param(db.dialect());
    // Ordered from the cursor outward, so that the walk stops at the first entry found.
    let (cmp, order) = if before_side { ("<=", "DESC") } else { (">=", "ASC") };
    let sql = format!(
        "SELECT s.msisdn {} AND s.msisdn {cmp} ${p} ORDER BY s.msisdn {order} LIMIT 1",
        filter.sql_from(db.dialect(), false)
    );
    let qy = filter.bind(query(db, sql).text(customer.as_str()), db.dialect());
    Ok(qy.text(cursor).optional(|_| Ok(())).await?.is_some())
}

pub(crate) async fn count_matches(
    db: &Db,
    customer: &Bin,
    digits: &str,
    cap: u64,
    customer_size: i64,
) -> Result<MatchCount, SimError> {
    let digits = clean_digits(digits);
    let plan = plan(db, customer, &digits, customer_size).await?;
    count_by_plan(db, customer, &plan, cap).await
}

/// How many of the customer's numbers the plan finds, up to `cap`.
async fn count_by_plan(db: &Db, customer: &Bin, plan: &Plan, cap: u64) -> Result<MatchCount, SimError> {
    let cap = cap.min(i64::MAX as u64 - 1) as i64;
    let n = match (&plan.filter, plan.known_count) {
        // The count the customer's row keeps, read fresh: it is shown to users.
        (Filter::All, _) => number_count(db, customer).await? as i64,
        (_, Some(n)) => n,
        (filter, None) => {
            let sql =
                format!("SELECT COUNT(*) FROM (SELECT 1 {} LIMIT {}) t", filter.sql_from(db.dialect(), false), cap + 1);
            filter.bind(query(db, sql).text(customer.as_str()), db.dialect()).one(|r| r.int(0)).await?
        }
    };
    Ok(if n > cap { MatchCount::AtLeast(cap as u64) } else { MatchCount::Exactly(n as u64) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_queries_look_up_their_tail() {
        assert_eq!(fts_phrase("123"), "\"123\"");
        assert_eq!(fts_phrase("77010542006"), "\"542006\"");
    }

    #[test]
    fn only_digits_are_searched() {
        assert_eq!(clean_digits("+7 (701) 054-20"), "770105420");
        assert_eq!(clean_digits("abc"), "");
        assert_eq!(clean_digits("12%_\"3"), "123");
    }

    #[test]
    fn placeholders_follow_the_filter() {
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            let all = Filter::All.sql_from(dialect, true);
            assert!(all.contains("$1") && !all.contains("$2"), "{all}");
            let trigram = Filter::Trigram { phrase: "\"123\"".into(), digits: "123".into() };
            for f in [Filter::Walk("123".into()), trigram] {
                let sql = f.sql_from(dialect, false);
                let next = f.next_param(dialect);
                for i in 1..next {
                    assert!(sql.contains(&format!("${i}")), "{sql}");
                }
                assert!(!sql.contains(&format!("${next}")), "{sql}");
            }
        }
    }
}
