//! Number management: the company's numbers, searched by any part of the number or the
//! account number, a page at a time.

use crate::AppState;
use crate::auth::{Permission, Signed};
use crate::error::WebError;
use crate::render::{Frame, html, urlencode};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cabinet_core::Msisdn;
use cabinet_core::operator::{MatchCount, NumberPage, NumberQuery, NumberState, NumberSummary};
use cabinet_store::actions;
use serde::Deserialize;
use std::collections::HashSet;

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    after: Option<String>,
    before: Option<String>,
    /// How many numbers come before this page (the pager's "21–40 of 1 000"): the list is
    /// paged by number (keyset), so the links carry the position.
    from: Option<String>,
}

#[derive(Template)]
#[template(path = "numbers.html")]
struct NumbersPage {
    frame: Frame,
    list: NumbersList,
}

/// The table alone, for search-as-you-type (htmx swaps it in place).
#[derive(Template)]
#[template(path = "numbers_list.html")]
struct NumbersList {
    t: crate::Tr,
    q: String,
    error: Option<String>,
    page: NumberPage,
    count: String,
    /// "21–40 of 1 000", when the page holds numbers.
    range: Option<String>,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// The ⋮ menu offers operations only to who may do them.
    can_manage: bool,
    /// The page's numbers with a request still waiting for the operator: shown as
    /// Processing, as their profile is.
    pending: HashSet<String>,
    l: RowLabels,
}

/// The labels every row repeats (column names for the card layout, menu items), looked up
/// once per page rather than once per row.
struct RowLabels {
    number: String,
    account: String,
    tariff: String,
    billing: String,
    state: String,
    available: String,
    remaining: String,
    actions: String,
    profile: String,
    usage: String,
    block: String,
    sim: String,
    esim: String,
    secret: String,
    forwarding: String,
    imei: String,
    unblock: String,
}

impl RowLabels {
    fn new(t: &crate::Tr) -> RowLabels {
        RowLabels {
            number: t.t("col-number"),
            account: t.t("col-account"),
            tariff: t.t("col-tariff"),
            billing: t.t("col-billing"),
            state: t.t("col-state"),
            available: t.t("col-available"),
            remaining: t.t("col-remaining"),
            actions: t.t("col-actions"),
            profile: t.t("menu-profile"),
            usage: t.t("head-usage"),
            block: t.t("op-block"),
            sim: t.t("op-sim-title"),
            esim: t.t("esim-title"),
            secret: t.t("secret-send"),
            forwarding: t.t("fwd-title"),
            imei: t.t("imei-title"),
            unblock: t.t("op-unblock"),
        }
    }
}

/// One row of the list, for a Processing row to poll until its request is done.
#[derive(Template)]
#[template(path = "numbers_row.html")]
struct NumbersRow {
    t: crate::Tr,
    l: RowLabels,
    n: NumberSummary,
    can_manage: bool,
    pending: HashSet<String>,
    /// Set when the request is done: what the row announces (aria-live) when it is swapped in.
    announce: Option<String>,
}

/// What a row shows, shared by the list and the single row.
trait RowView {
    fn can_manage(&self) -> bool;
    fn pending(&self) -> &HashSet<String>;

    /// What a row swapped in after its request says to screen readers.
    fn announce(&self) -> Option<&str> {
        None
    }

    /// The state as the profile shows it: Processing while any request on the number waits.
    fn shown(&self, n: &NumberSummary) -> NumberState {
        if self.pending().contains(n.msisdn.as_str()) { NumberState::Processing } else { n.state }
    }
}

impl RowView for NumbersList {
    fn can_manage(&self) -> bool {
        self.can_manage
    }
    fn pending(&self) -> &HashSet<String> {
        &self.pending
    }
}

impl RowView for NumbersRow {
    fn can_manage(&self) -> bool {
        self.can_manage
    }
    fn pending(&self) -> &HashSet<String> {
        &self.pending
    }
    fn announce(&self) -> Option<&str> {
        self.announce.as_deref()
    }
}

macro_rules! row_methods {
    ($t:ty) => {
        impl $t {
            fn state_key(&self, n: &NumberSummary) -> &'static str {
                state_key(self.shown(n))
            }

            fn state_class(&self, n: &NumberSummary) -> &'static str {
                self.shown(n).code()
            }

            fn processing(&self, n: &NumberSummary) -> bool {
                self.shown(n) == NumberState::Processing
            }

            fn can_block(&self, n: &NumberSummary) -> bool {
                self.can_manage() && self.shown(n) == NumberState::Active
            }

            fn can_unblock(&self, n: &NumberSummary) -> bool {
                self.can_manage() && self.shown(n) == NumberState::Blocked
            }

            fn billing_key(&self, n: &NumberSummary) -> &'static str {
                match n.billing {
                    cabinet_core::operator::BillingMethod::Credit => "billing-credit",
                    cabinet_core::operator::BillingMethod::Advance => "billing-advance",
                }
            }
        }
    };
}
row_methods!(NumbersList);
row_methods!(NumbersRow);

pub fn state_key(s: NumberState) -> &'static str {
    match s {
        NumberState::Active => "state-active",
        NumberState::Blocked => "state-blocked",
        NumberState::BlockedDebt => "state-blocked-debt",
        NumberState::Processing => "state-processing",
    }
}

/// The digits to search for, or None for "everything". Partial digits are a search: they are
/// found anywhere in the number or the account. A complete number in any format
/// (`+7 701 054 20 06`, `8 701 054 20 06`, `77010542006`) is reduced to the stored form. A
/// query with `+` is read from the country code: `+7` and at most ten digits, searched as
/// typed so far (`+7 700 111 235` finds the numbers with `7700111235`, never the number
/// +7 770 011 12 35 that the digits would spell without the plus); anything else is refused.
pub fn search_digits(q: &str) -> Result<Option<String>, ()> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(None);
    }
    let mut digits = String::new();
    for (i, c) in q.char_indices() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '\u{a0}' | '-' | '(' | ')' | '.' => {}
            '+' if i == 0 => {}
            _ => return Err(()),
        }
    }
    if digits.is_empty() || digits.len() > 20 {
        return Err(());
    }
    if q.starts_with('+') {
        // The country code and up to the ten digits of a Kazakh number.
        return if digits.starts_with('7') && digits.len() <= 11 { Ok(Some(digits)) } else { Err(()) };
    }
    // Eleven digits are one whole number; ten may still be a number typed so far, so they
    // stay a search (which also finds the number they spell without the country code).
    if digits.len() == 11
        && let Ok(m) = Msisdn::parse(&digits)
    {
        return Ok(Some(m.as_str().to_string()));
    }
    // "8 701 05…" is the national way to write "+7 701 05…".
    if q.starts_with('8') && digits.len() >= 4 && digits.as_bytes()[1] == b'7' {
        digits.replace_range(0..1, "7");
    }
    Ok(Some(digits))
}

fn keyset(v: Option<String>) -> Option<String> {
    v.filter(|s| s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()))
}

/// The position carried by the pager's links: digits only, at most ten million.
fn position(v: Option<&str>) -> Option<u64> {
    v.filter(|s| s.len() <= 8 && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse().ok())
        .filter(|n| *n <= 10_000_000)
}

/// "21–40 of 1 000" (or "of more than 1 000" when the count stopped at its cap).
fn range_text(t: &crate::Tr, first: u64, last: u64, total: Option<MatchCount>) -> String {
    let group = |n: u64| cabinet_core::money::format_count(n as i64, t.locale);
    let range = format!("{}–{}", group(first), group(last));
    match total {
        Some(MatchCount::AtLeast(n)) => t.t2("pager-range-more", ("range", range), ("total", group(n))),
        Some(MatchCount::Exactly(n)) => t.t2("pager-range", ("range", range), ("total", group(n.max(last)))),
        None => t.t1("pager-range-only", "range", range),
    }
}

/// How many waiting numbers a company may have for the list to take them all at once.
const PENDING_CAP: usize = 200;

/// The page's numbers that have a request waiting in Cabinet's own records (one statement).
async fn pending_of(state: &AppState, company_id: &str, items: &[NumberSummary]) -> Result<HashSet<String>, WebError> {
    let numbers: Vec<&str> = items.iter().map(|n| n.msisdn.as_str()).collect();
    Ok(actions::processing_among(&state.db, company_id, &numbers).await?.into_iter().collect())
}

pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Query(p): Query<ListParams>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::ViewNumbers)?;
    let t = signed.visitor.tr();
    let limit = state.config.page_size;
    let (digits, error) = match search_digits(&p.q) {
        Ok(d) => (d, None),
        Err(()) => (None, Some(t.t("numbers-search-invalid"))),
    };
    let page;
    let count;
    let mut pending_in_company = Some(Vec::new());
    let mut total = None;
    if error.is_some() {
        page = NumberPage { items: Vec::new(), has_prev: false, has_next: false, matched: None };
        count = String::new();
    } else {
        // A count of the same digits made seconds ago is not asked for again (see state.rs).
        let count_key = digits.as_ref().map(|d| (scope.bin.to_string(), d.clone()));
        let known = count_key.as_ref().and_then(|k| state.match_counts.get(k));
        let query = NumberQuery {
            digits: digits.clone(),
            after: keyset(p.after),
            before: keyset(p.before),
            limit,
            count_cap: if known.is_some() { None } else { Some(1000) },
        };
        let unavailable = |_| WebError::Operator(t.locale);
        // Cabinet's own waiting requests: remembered for a second (forgotten at once when
        // this process starts or ends one), else asked beside the operator's page.
        let changes = actions::processing_changes();
        let remembered = state.pending.get(&scope.company_id).filter(|(seen, _)| *seen == changes);
        if let Some((_, numbers)) = remembered {
            page = state.operator.list_numbers(&scope.bin, &query).await.map_err(unavailable)?;
            pending_in_company = numbers;
        } else {
            let (listed, waiting) = tokio::join!(
                state.operator.list_numbers(&scope.bin, &query),
                actions::processing_in_company(&state.db, &scope.company_id, PENDING_CAP),
            );
            page = listed.map_err(unavailable)?;
            pending_in_company = waiting?;
            state.pending.put(scope.company_id.clone(), (changes, pending_in_company.clone()));
        }
        if let (Some(key), None, Some(m)) = (count_key, known, page.matched) {
            state.match_counts.put(key, m);
        }
        count = match (&digits, &known.or(page.matched)) {
            (Some(_), Some(m)) => {
                total = Some(*m);
                t.match_count(m)
            }
            _ => {
                let n = state.number_count(&scope.bin).await.map_err(unavailable)?;
                total = Some(MatchCount::Exactly(n));
                t.t1("numbers-total", "count", n as i64)
            }
        };
    }
    // The first page starts at 0 whatever the link said; a later page at its link's
    // position, and without one (an old link) it shows no range rather than a wrong one.
    let from = if page.has_prev { position(p.from.as_deref()) } else { Some(0) };
    let shown = page.items.len() as u64;
    let range = from.filter(|_| shown > 0).map(|from| range_text(&t, from + 1, from + shown, total));
    let qpart = if p.q.trim().is_empty() { String::new() } else { format!("q={}&", urlencode(p.q.trim())) };
    let prev_from = from.map(|f| format!("&from={}", f.saturating_sub(u64::from(limit)))).unwrap_or_default();
    let next_from = from.map(|f| format!("&from={}", f + shown)).unwrap_or_default();
    let prev_href = page
        .has_prev
        .then(|| page.items.first().map(|n| format!("/numbers?{qpart}before={}{prev_from}", n.msisdn)))
        .flatten();
    let next_href = page
        .has_next
        .then(|| page.items.last().map(|n| format!("/numbers?{qpart}after={}{next_from}", n.msisdn)))
        .flatten();
    let can_manage = signed.require(Permission::ManageNumbers).is_ok();
    let pending = match pending_in_company {
        Some(numbers) => numbers.into_iter().collect(),
        None => pending_of(&state, &scope.company_id, &page.items).await?,
    };
    let list = NumbersList {
        t,
        q: p.q.trim().to_string(),
        error,
        page,
        count,
        range,
        prev_href,
        next_href,
        can_manage,
        pending,
        l: RowLabels::new(&t),
    };
    let status = if list.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    // htmx asks for the table alone when the search box changes.
    if headers.contains_key("hx-request") && !headers.contains_key("hx-boosted") {
        return Ok(html(status, &list));
    }
    let frame = Frame::signed(&state, &signed, t.t("nav-numbers")).await?;
    Ok(html(status, &NumbersPage { frame, list }))
}

/// GET /numbers/{msisdn}/row: one row of the list, which a Processing row asks for every
/// two seconds (htmx) until its request is done; the returned row stops asking.
pub async fn row(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    let (scope, _, profile) =
        crate::pages::operations::company_number_as(&state, &signed, &number, Permission::ViewNumbers).await?;
    let t = signed.visitor.tr();
    let n = profile.summary;
    let pending = pending_of(&state, &scope.company_id, std::slice::from_ref(&n)).await?;
    let can_manage = signed.require(Permission::ManageNumbers).is_ok();
    let mut row = NumbersRow { t, l: RowLabels::new(&t), n, can_manage, pending, announce: None };
    if !row.processing(&row.n) {
        row.announce = Some(format!("{}: {}", row.n.msisdn.pretty(), t.t(row.state_key(&row.n))));
    }
    Ok(html(StatusCode::OK, &row))
}

#[cfg(test)]
mod tests {
    use super::{position, search_digits};

    #[test]
    fn the_position_in_page_links_is_digits_only() {
        assert_eq!(position(Some("40")), Some(40));
        for bad in [None, Some(""), Some("-20"), Some("1e3"), Some("99999999"), Some("20 "), Some("٤٠")] {
            assert_eq!(position(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn search_accepts_numbers_in_any_format() {
        assert_eq!(search_digits("+7 701 054 20 06"), Ok(Some("77010542006".into())));
        assert_eq!(search_digits("87010542006"), Ok(Some("77010542006".into())));
        assert_eq!(search_digits("0542"), Ok(Some("0542".into())));
        assert_eq!(search_digits("+7 701 054"), Ok(Some("7701054".into())));
        assert_eq!(search_digits("8 701 054"), Ok(Some("7701054".into())));
        assert_eq!(search_digits("25060831"), Ok(Some("25060831".into())));
        assert_eq!(search_digits("  "), Ok(None));
        assert_eq!(search_digits("abc"), Err(()));
        assert_eq!(search_digits("70'; DROP"), Err(()));
        assert_eq!(search_digits("---"), Err(()));
    }

    #[test]
    fn a_plus_seven_query_is_read_from_the_country_code() {
        // Typed digit by digit, the tenth digit must not jump to +7 770 011 12 35.
        assert_eq!(search_digits("+7700111235"), Ok(Some("7700111235".into())));
        assert_eq!(search_digits("+77001112354"), Ok(Some("77001112354".into())));
        assert_eq!(search_digits("7700111235"), Ok(Some("7700111235".into())));
        // More than ten digits after +7, another country code, a plus inside: not one number.
        for q in ["+770011123545", "+8 701 054", "+1 202", "7701+054"] {
            assert_eq!(search_digits(q), Err(()), "{q}");
        }
    }
}
