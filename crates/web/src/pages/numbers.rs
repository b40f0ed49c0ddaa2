//! Number management: the company's numbers, searched by any part of the number or the
//! account number, a page at a time.

use crate::AppState;
use crate::auth::{Permission, Signed};
use crate::error::WebError;
use crate::render::{Frame, html, urlencode};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cabinet_core::Msisdn;
use cabinet_core::operator::{NumberPage, NumberQuery, NumberState, NumberSummary};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    after: Option<String>,
    before: Option<String>,
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
    prev_href: Option<String>,
    next_href: Option<String>,
    /// The ⋮ menu offers operations only to who may do them.
    can_manage: bool,
}

impl NumbersList {
    fn state_key(&self, n: &NumberSummary) -> &'static str {
        state_key(n.state)
    }

    fn state_class(&self, n: &NumberSummary) -> &'static str {
        n.state.code()
    }

    fn can_block(&self, n: &NumberSummary) -> bool {
        self.can_manage && n.state == NumberState::Active
    }

    fn can_unblock(&self, n: &NumberSummary) -> bool {
        self.can_manage && n.state == NumberState::Blocked
    }

    fn billing_key(&self, n: &NumberSummary) -> &'static str {
        match n.billing {
            cabinet_core::operator::BillingMethod::Credit => "billing-credit",
            cabinet_core::operator::BillingMethod::Advance => "billing-advance",
        }
    }
}

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
        page = state.operator.list_numbers(&scope.bin, &query).await.map_err(unavailable)?;
        if let (Some(key), None, Some(m)) = (count_key, known, page.matched) {
            state.match_counts.put(key, m);
        }
        count = match (&digits, &known.or(page.matched)) {
            (Some(_), Some(m)) => t.match_count(m),
            _ => t.t1("numbers-total", "count", state.number_count(&scope.bin).await.map_err(unavailable)? as i64),
        };
    }
    let qpart = if p.q.trim().is_empty() { String::new() } else { format!("q={}&", urlencode(p.q.trim())) };
    let prev_href =
        page.has_prev.then(|| page.items.first().map(|n| format!("/numbers?{qpart}before={}", n.msisdn))).flatten();
    let next_href =
        page.has_next.then(|| page.items.last().map(|n| format!("/numbers?{qpart}after={}", n.msisdn))).flatten();
    let can_manage = signed.require(Permission::ManageNumbers).is_ok();
    let list = NumbersList { t, q: p.q.trim().to_string(), error, page, count, prev_href, next_href, can_manage };
    let status = if list.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    // htmx asks for the table alone when the search box changes.
    if headers.contains_key("hx-request") && !headers.contains_key("hx-boosted") {
        return Ok(html(status, &list));
    }
    let frame = Frame::signed(&state, &signed, t.t("nav-numbers")).await?;
    Ok(html(status, &NumbersPage { frame, list }))
}

#[cfg(test)]
mod tests {
    use super::search_digits;

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
