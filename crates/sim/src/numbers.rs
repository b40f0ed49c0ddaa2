//! Number management: counting, listing and searching a customer's numbers.
//!
//! Large customers have 100,000 numbers, and every page must cost what the first does, so:
//! pages are cut by number (keyset) over the (bin, msisdn, account_no) index; the count is a
//! column kept by whoever adds numbers; a digit search never scans every row. A search for
//! 4 or more digits reads the customer's entries in `sim_number_grams` for one 4-digit run
//! of the query (a few hundred at 100,000 numbers), in number order, and checks the rest of
//! the digits on each; the same SQL serves both engines. Fewer digits are found in so many
//! numbers that walking the customer's index in order fills a page within a thousand
//! entries (a few dozen for one or two digits); three digits are counted through the runs
//! that start or end with them, one or two by walking until the count's cap.
//!
//! The SQL is assembled from this module's constant fragments and numbers only; user input
//! is always bound. LIMITs are written into the SQL rather than bound (see `select`).

use crate::SimError;
use crate::catalog;
use cabinet_core::operator::{BillingMethod, MatchCount, NumberPage, NumberQuery, NumberState, NumberSummary};
use cabinet_core::{Bin, Money, Msisdn};
use cabinet_store::{Db, Dialect, Row, Select, StoreError};

/// The length of the digit runs `sim_number_grams` holds.
pub(crate) const GRAM: usize = 4;
/// The longest page a caller may ask for, and the page size when none is asked for.
const MAX_LIMIT: u32 = 1_000;
const DEFAULT_LIMIT: u32 = 20;

pub(crate) const SUMMARY_COLUMNS: &str = "s.msisdn, s.account_no, s.tariff_code, a.billing, s.state, s.individual_limit, \
     s.period_spent, s.balance, a.credit_limit, a.period_charges";
/// The subscriber's part of `SUMMARY_COLUMNS`: what a page's derived table carries.
const PAGE_SUBSCRIBER_COLUMNS: &str =
    "s.msisdn, s.account_no, s.tariff_code, s.state, s.individual_limit, s.period_spent, s.balance";
/// How many columns `SUMMARY_COLUMNS` names: the columns after them start here.
pub(crate) const SUMMARY_WIDTH: usize = 10;

/// The columns of one Number management row, as stored.
#[derive(Debug)]
pub(crate) struct SummaryRow {
    msisdn: String,
    account_no: String,
    pub(crate) tariff_code: String,
    billing: String,
    pub(crate) state: String,
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

/// The customer's name, if the operator has the customer.
pub(crate) async fn customer_name(db: &Db, customer: &Bin) -> Result<Option<String>, SimError> {
    Ok(db
        .select("SELECT name FROM sim_customers WHERE bin = $1")
        .text(customer.as_str())
        .optional(|r| r.text(0))
        .await?)
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
    /// Read the customer's numbers holding the digits' last 4-digit run (`search_gram`)
    /// and check each for all the digits; with exactly 4 digits the run is the check.
    Gram(String),
    /// Three digits, for counting only: every number and account is longer, so a number
    /// holds them exactly when one of its 4-digit runs starts (`054x`) or ends (`x054`) with
    /// them. Those twenty keys of the run index reach a thousand distinct numbers within a
    /// few thousand entries, where a walk reads some 60,000 at 100,000 numbers. (A page
    /// walks: it fills within a thousand entries, and the runs would need sorting.)
    ThreeDigits(String),
    /// A whole number (11 digits starting with 7): only that number can hold them, since
    /// account numbers are shorter. One index lookup on either engine.
    Exact(String),
}

impl Filter {
    fn new(digits: &str) -> Filter {
        if digits.is_empty() {
            Filter::All
        } else if is_whole_number(digits) {
            Filter::Exact(digits.to_string())
        } else if digits.len() >= GRAM {
            Filter::Gram(digits.to_string())
        } else {
            Filter::Walk(digits.to_string())
        }
    }

    /// The FROM and WHERE of a query that yields the matching numbers as `key()`: `$1` is
    /// the BIN, then the filter's own parameters (see `bind`).
    fn sql_from(&self, dialect: Dialect) -> String {
        // SQLite's LIKE with a bound pattern makes it plan again at every run; instr does not.
        let holds = |p: usize| match dialect {
            Dialect::Sqlite => format!("(instr(s.msisdn, ${p}) > 0 OR instr(s.account_no, ${p}) > 0)"),
            Dialect::Postgres => format!("(s.msisdn LIKE ${p} OR s.account_no LIKE ${p})"),
        };
        // INDEXED BY keeps SQLite on the covering index whatever its statistics say: the
        // digit check then reads only index entries.
        let walk = match dialect {
            Dialect::Sqlite => "FROM sim_subscribers s INDEXED BY sim_subscribers_bin_msisdn WHERE s.bin = $1",
            Dialect::Postgres => "FROM sim_subscribers s WHERE s.bin = $1",
        };
        match self {
            Filter::All => walk.to_string(),
            Filter::Walk(_) => format!("{walk} AND {}", holds(2)),
            Filter::Exact(_) => "FROM sim_subscribers s WHERE s.bin = $1 AND s.msisdn = $2".to_string(),
            Filter::Gram(digits) if digits.len() == GRAM => {
                "FROM sim_number_grams g WHERE g.bin = $1 AND g.gram = $2".to_string()
            }
            // Twenty keys, not a range and ten keys: with an OR, SQLite scans the customer.
            Filter::ThreeDigits(_) => {
                let keys: Vec<String> = (2..22).map(|i| format!("${i}")).collect();
                format!("FROM sim_number_grams g WHERE g.bin = $1 AND g.gram IN ({})", keys.join(", "))
            }
            // CROSS JOIN keeps SQLite reading the runs first (PostgreSQL has no CROSS JOIN … ON
            // and needs no telling).
            Filter::Gram(_) => format!(
                "FROM sim_number_grams g {} sim_subscribers s ON s.msisdn = g.msisdn \
                 WHERE g.bin = $1 AND g.gram = $2 AND {}",
                if dialect == Dialect::Sqlite { "CROSS JOIN" } else { "JOIN" },
                holds(3)
            ),
        }
    }

    /// Whether the filter reads the subscribers' rows (as `s`) for every number it passes
    /// over, so that a page can take its columns there instead of looking each number up
    /// again. Not a walk: it checks thousands of entries of the covering index for the digits
    /// and must not visit their rows (PostgreSQL would, for columns beyond the index).
    fn reads_subscribers(&self) -> bool {
        matches!(self, Filter::All | Filter::Exact(_)) || matches!(self, Filter::Gram(d) if d.len() > GRAM)
    }

    /// The column the matching numbers come in, in index order.
    fn key(&self) -> &'static str {
        match self {
            Filter::Gram(_) | Filter::ThreeDigits(_) => "g.msisdn",
            _ => "s.msisdn",
        }
    }

    /// How this filter's matches are counted: three digits through the run index.
    fn counter(&self) -> Option<Filter> {
        match self {
            Filter::Walk(d) if d.len() == GRAM - 1 => Some(Filter::ThreeDigits(d.clone())),
            _ => None,
        }
    }

    /// What a query selects to get each matching number once: a number may hold three
    /// digits in several runs.
    fn distinct_key(&self) -> &'static str {
        match self {
            Filter::ThreeDigits(_) => "DISTINCT g.msisdn",
            other => other.key(),
        }
    }

    /// Binds the filter's parameters after the BIN.
    fn bind<'a>(&'a self, q: Select<'a>, dialect: Dialect) -> Select<'a> {
        let pattern = |d: &str| match dialect {
            Dialect::Sqlite => d.to_string(),
            Dialect::Postgres => format!("%{d}%"),
        };
        match self {
            Filter::All => q,
            Filter::Exact(d) => q.text(d.as_str()),
            Filter::Walk(d) => q.text(pattern(d)),
            Filter::Gram(d) if d.len() == GRAM => q.text(search_gram(d)),
            Filter::Gram(d) => q.text(search_gram(d)).text(pattern(d)),
            Filter::ThreeDigits(d) => {
                let q = (0..10).fold(q, |q, next| q.text(format!("{d}{next}")));
                (0..10).fold(q, |q, first| q.text(format!("{first}{d}")))
            }
        }
    }

    /// The number of the first placeholder after the filter's.
    fn next_param(&self) -> usize {
        match self {
            Filter::All => 2,
            Filter::Gram(digits) if digits.len() > GRAM => 4,
            Filter::ThreeDigits(_) => 22,
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

/// The run of a query that is looked up: its last 4 digits. A number's head (`7701…`) is
/// shared by a third of all numbers, its tail by one in thousands.
fn search_gram(digits: &str) -> &str {
    &digits[digits.len() - GRAM..]
}

/// Every 4-digit run of a number and its account, once each: the rows of `sim_number_grams`
/// for the number.
pub(crate) fn grams_of(msisdn: &str, account_no: &str) -> Vec<String> {
    let mut grams: Vec<String> = [msisdn, account_no]
        .iter()
        .flat_map(|s| s.as_bytes().windows(GRAM))
        .filter(|w| w.iter().all(u8::is_ascii_digit))
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// One page of the customer's numbers.
pub(crate) async fn list(db: &Db, customer: &Bin, q: &NumberQuery) -> Result<NumberPage, SimError> {
    let digits = clean_digits(q.digits.as_deref().unwrap_or(""));
    // A query that names no page size (limit 0) gets the usual one.
    let limit = if q.limit == 0 { DEFAULT_LIMIT } else { q.limit.min(MAX_LIMIT) } as usize;
    let filter = Filter::new(&digits);
    let dialect = db.dialect();
    let (p, key) = (filter.next_param(), filter.key());
    // `after` wins when both cursors are given: paging forward is the common case.
    let (cursor, backward) = match (&q.after, &q.before) {
        (Some(a), _) => (Some(a.as_str()), false),
        (None, Some(b)) => (Some(b.as_str()), true),
        (None, None) => (None, false),
    };
    let (cmp, order) = if backward { ("<", "DESC") } else { (">", "ASC") };
    let tail = match cursor {
        Some(_) => format!(" AND {key} {cmp} ${p} ORDER BY {key} {order} LIMIT {}", limit + 1),
        None => format!(" ORDER BY {key} {order} LIMIT {}", limit + 1),
    };
    // Beside each row, the same statement answers (once, as uncorrelated subqueries) whether
    // anything lies on the cursor's side, and how many numbers match: one statement a page.
    let count_cap = q.count_cap.filter(|_| !digits.is_empty());
    // A count with parameters of its own (three digits) is asked apart.
    let inline_count = count_cap.filter(|_| filter.counter().is_none());
    let mut extras = String::new();
    if cursor.is_some() {
        extras.push_str(&format!(", CASE WHEN EXISTS ({}) THEN 1 ELSE 0 END", beyond_sql(&filter, dialect, !backward)));
    }
    if let Some(cap) = inline_count {
        extras.push_str(&format!(", ({})", count_sql(&filter, dialect, cap)));
    }
    // The page's numbers are picked first (in index order, LIMIT inside) and joined to their
    // accounts after: only the page needs the money columns. A derived table rather than
    // `IN (…)`: a semi-join made PostgreSQL de-duplicate the keys, look every number up a
    // second time and sort the page again (172 buffers a page instead of 18).
    let from = filter.sql_from(dialect);
    let page = if filter.reads_subscribers() {
        format!("(SELECT {PAGE_SUBSCRIBER_COLUMNS} {from}{tail}) s")
    } else {
        format!("(SELECT {key} AS msisdn {from}{tail}) k JOIN sim_subscribers s ON s.msisdn = k.msisdn")
    };
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}{extras} FROM {page} JOIN sim_accounts a ON a.account_no = s.account_no \
         ORDER BY s.msisdn {order}"
    );
    let mut qy = filter.bind(db.select(sql).text(customer.as_str()), dialect);
    if let Some(c) = cursor {
        qy = qy.text(c);
    }
    // The extras follow the summary columns, in the order they were added.
    let count_col = SUMMARY_WIDTH + usize::from(cursor.is_some());
    let rows = qy
        .all(|r| {
            let beyond = if cursor.is_some() { Some(r.flag(SUMMARY_WIDTH)?) } else { None };
            let n = if inline_count.is_some() { Some(r.int(count_col)?) } else { None };
            Ok((SummaryRow::from_select(r)?, beyond, n))
        })
        .await?;
    let (known_beyond, known_count) = rows.first().map_or((None, None), |(_, b, n)| (*b, *n));
    let more = rows.len() > limit;
    let mut items = Vec::with_capacity(limit);
    for (r, _, _) in rows.into_iter().take(limit) {
        items.push(r.into_summary()?);
    }
    if backward {
        items.reverse();
    }
    // The side the cursor came from: is there anything at or beyond the cursor? (Asked
    // apart only when the page came back empty.)
    let beyond = match (cursor, known_beyond) {
        (_, Some(b)) => b,
        (Some(c), None) => exists_beyond(db, customer, &filter, c, !backward).await?,
        (None, None) => false,
    };
    let (has_prev, has_next) = if backward { (more, beyond) } else { (beyond, more) };
    let matched = match (count_cap, known_count) {
        (Some(cap), Some(n)) => Some(capped(n, cap)),
        (Some(cap), None) => Some(count(db, customer, &filter, cap).await?),
        (None, _) => None,
    };
    Ok(NumberPage { items, has_prev, has_next, matched })
}

/// A query for the first matching number at or before `$p` (`before_side`) or at or after
/// it, ordered from the cursor outward so that the walk stops at the first entry found.
fn beyond_sql(filter: &Filter, dialect: Dialect, before_side: bool) -> String {
    let (p, key) = (filter.next_param(), filter.key());
    let (cmp, order) = if before_side { ("<=", "DESC") } else { (">=", "ASC") };
    format!("SELECT {key} {} AND {key} {cmp} ${p} ORDER BY {key} {order} LIMIT 1", filter.sql_from(dialect))
}

/// A query for how many numbers the filter finds, counting no further than `cap + 1`.
fn count_sql(filter: &Filter, dialect: Dialect, cap: u64) -> String {
    format!(
        "SELECT COUNT(*) FROM (SELECT {} {} LIMIT {}) t",
        filter.distinct_key(),
        filter.sql_from(dialect),
        clamp_cap(cap) + 1
    )
}

fn clamp_cap(cap: u64) -> i64 {
    cap.min(i64::MAX as u64 - 1) as i64
}

fn capped(n: i64, cap: u64) -> MatchCount {
    let cap = clamp_cap(cap);
    if n > cap { MatchCount::AtLeast(cap as u64) } else { MatchCount::Exactly(n as u64) }
}

/// Whether a matching number lies at or before `cursor` (`before_side`) or at or after it.
async fn exists_beyond(
    db: &Db,
    customer: &Bin,
    filter: &Filter,
    cursor: &str,
    before_side: bool,
) -> Result<bool, SimError> {
    let sql = beyond_sql(filter, db.dialect(), before_side);
    let qy = filter.bind(db.select(sql).text(customer.as_str()), db.dialect());
    Ok(qy.text(cursor).optional(|_| Ok(())).await?.is_some())
}

pub(crate) async fn count_matches(db: &Db, customer: &Bin, digits: &str, cap: u64) -> Result<MatchCount, SimError> {
    count(db, customer, &Filter::new(&clean_digits(digits)), cap).await
}

/// How many of the customer's numbers the filter finds, up to `cap`.
async fn count(db: &Db, customer: &Bin, filter: &Filter, cap: u64) -> Result<MatchCount, SimError> {
    let counter = filter.counter();
    let n = match counter.as_ref().unwrap_or(filter) {
        // The count the customer's row keeps, read fresh: it is shown to users.
        Filter::All => number_count(db, customer).await? as i64,
        filter => {
            let sql = count_sql(filter, db.dialect(), cap);
            filter.bind(db.select(sql).text(customer.as_str()), db.dialect()).one(|r| r.int(0)).await?
        }
    };
    Ok(capped(n, cap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_queries_look_up_their_tail() {
        assert_eq!(search_gram("1234"), "1234");
        assert_eq!(search_gram("7701054200"), "4200");
    }

    #[test]
    fn a_number_is_found_by_every_run_of_its_number_and_account() {
        let grams = grams_of("77010542006", "20260831");
        assert_eq!(grams.len(), 8 + 5, "{grams:?}");
        for g in ["7701", "0542", "2006", "2026", "0831"] {
            assert!(grams.contains(&g.to_string()), "{g}");
        }
        assert_eq!(grams_of("77777777777", "7777").len(), 1, "each run once");
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
            let all = Filter::new("").sql_from(dialect);
            assert!(all.contains("$1") && !all.contains("$2"), "{all}");
            let filters = ["12", "123", "1234", "1234567", "77010542006"].map(Filter::new);
            for f in filters.into_iter().chain([Filter::ThreeDigits("123".into())]) {
                let sql = f.sql_from(dialect);
                let next = f.next_param();
                for i in 1..next {
                    assert!(sql.contains(&format!("${i}")), "{sql}");
                }
                assert!(!sql.contains(&format!("${next}")), "{sql}");
            }
        }
    }
}
