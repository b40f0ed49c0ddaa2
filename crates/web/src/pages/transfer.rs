//! Balance transfer (SPEC §4.7, the tab beside Number management): from one of the company's
//! advance numbers to another. The form, "Are you sure…", then the operator's answer: one
//! ledger transaction, or a refusal that says why and moves nothing. Both are recorded in the
//! actions history; a mistake in the form is only shown.

use crate::auth::{Permission, Signed};
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::i18n::FluentArg;
use crate::pages::number_head;
use crate::pages::operations::ConfirmPage;
use crate::render::{Frame, html};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::operator::{TransferDone, TransferRefusal};
use cabinet_core::time::now_ms;
use cabinet_core::{Money, Msisdn};
use cabinet_store::{actions, ids, jobs};
use serde::{Deserialize, Serialize};

/// Tenge in one transfer: nine digits (below a billion) are plenty and keep sums in range.
const MAX_TENGE_DIGITS: usize = 9;

#[derive(Deserialize, Default)]
pub struct TransferForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    tenge: String,
    #[serde(default)]
    tiyn: String,
    /// The idempotency key the confirmation carries: a second click moves nothing more.
    #[serde(default)]
    key: String,
    /// The action recorded for a transfer just made (the notice after the redirect).
    #[serde(default)]
    done: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    From,
    To,
    Amount,
}

impl Field {
    fn id(self) -> &'static str {
        match self {
            Field::From => "from",
            Field::To => "to",
            Field::Amount => "tenge",
        }
    }
}

/// A transfer as the form asks for it, every field checked.
struct Checked {
    from: Msisdn,
    to: Msisdn,
    amount: Money,
}

/// What the actions history keeps of a transfer (and shows).
#[derive(Serialize, Deserialize)]
pub struct TransferDetails {
    pub to: String,
    pub amount: i64,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub sender_balance: Option<i64>,
    #[serde(default)]
    pub recipient_balance: Option<i64>,
}

fn parse_amount(tenge: &str, tiyn: &str) -> Result<Money, &'static str> {
    let tenge: String = tenge.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
    let tiyn = tiyn.trim();
    let tenge = if tenge.is_empty() { "0" } else { tenge.as_str() };
    if !tenge.bytes().all(|b| b.is_ascii_digit()) || !tiyn.bytes().all(|b| b.is_ascii_digit()) || tiyn.len() > 2 {
        return Err("transfer-amount-format");
    }
    if tenge.trim_start_matches('0').len() > MAX_TENGE_DIGITS {
        return Err("transfer-amount-too-large");
    }
    let whole: i64 = tenge.parse().map_err(|_| "transfer-amount-too-large")?;
    let part: i64 = if tiyn.is_empty() { 0 } else { tiyn.parse().map_err(|_| "transfer-amount-format")? };
    let amount = Money(whole * 100 + part);
    if amount.tiyn() <= 0 {
        return Err("transfer-amount-zero");
    }
    Ok(amount)
}

/// Every mistake in the form, each at its field.
fn check(t: &Tr, form: &TransferForm) -> Result<Checked, Vec<(Field, String)>> {
    let mut errors = Vec::new();
    let from = Msisdn::parse(&form.from).map_err(|e| errors.push((Field::From, t.t(e.message_key())))).ok();
    let to = Msisdn::parse(&form.to).map_err(|e| errors.push((Field::To, t.t(e.message_key())))).ok();
    let amount = parse_amount(&form.tenge, &form.tiyn).map_err(|k| errors.push((Field::Amount, t.t(k)))).ok();
    if let (Some(a), Some(b)) = (&from, &to)
        && a == b
    {
        errors.push((Field::To, t.t("reason-same-number")));
    }
    match (from, to, amount) {
        (Some(from), Some(to), Some(amount)) if errors.is_empty() => Ok(Checked { from, to, amount }),
        _ => Err(errors),
    }
}

#[derive(Template)]
#[template(path = "transfer.html")]
struct TransferPage {
    frame: Frame,
    from: String,
    to: String,
    tenge: String,
    tiyn: String,
    errors: Vec<(&'static str, String)>,
    /// The operator's refusal of the last request.
    refusal: Option<String>,
    /// The transfer just made, in words.
    done: Option<String>,
}

impl TransferPage {
    fn error_at(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
}

async fn form_page(
    state: &AppState,
    signed: &Signed,
    form: &TransferForm,
    errors: Vec<(Field, String)>,
    refusal: Option<String>,
    done: Option<String>,
) -> Result<Response, WebError> {
    let t = signed.visitor.tr();
    let status = if errors.is_empty() && refusal.is_none() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let frame = Frame::signed(state, signed, t.t("transfer-title")).await?;
    let page = TransferPage {
        frame,
        from: form.from.clone(),
        to: form.to.clone(),
        tenge: form.tenge.clone(),
        tiyn: form.tiyn.clone(),
        errors: errors.into_iter().map(|(f, m)| (f.id(), m)).collect(),
        refusal,
        done,
    };
    Ok(html(status, &page))
}

/// "50,00 ₸ from +7 701 211 21 01 to +7 701 211 77 05".
fn words(t: &Tr, key: &str, amount: Money, from: &str, to: &str) -> String {
    t.tn(
        key,
        vec![
            ("amount", FluentArg::from(t.money(&amount))),
            ("from", FluentArg::from(Msisdn::pretty_text(from))),
            ("to", FluentArg::from(Msisdn::pretty_text(to))),
        ],
    )
}

/// The history's words for a transfer action.
pub fn action_text(t: &Tr, from: &str, details: &str) -> Option<String> {
    let d: TransferDetails = serde_json::from_str(details).ok()?;
    Some(words(t, "action-transfer", Money(d.amount), from, &d.to))
}

/// GET /transfer: the form (prefilled by Back), or the notice of the transfer just made.
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(form): Query<TransferForm>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::TransferBalance)?;
    let t = signed.visitor.tr();
    let mut done = None;
    if ids::is_id(&form.done)
        && let Some(a) = actions::get(&state.db, &scope.company_id, &form.done).await?
        && a.kind == "transfer"
        && a.status == actions::SUCCESS
        && let Ok(d) = serde_json::from_str::<TransferDetails>(&a.details)
    {
        let from = a.msisdn.unwrap_or_default();
        let mut text = words(&t, "transfer-done", Money(d.amount), &from, &d.to);
        if let (Some(s), Some(r)) = (d.sender_balance, d.recipient_balance) {
            text.push(' ');
            text.push_str(&t.t2(
                "transfer-done-balances",
                ("sender", t.money(&Money(s))),
                ("recipient", t.money(&Money(r))),
            ));
        }
        done = Some(text);
    }
    let blank = TransferForm { tiyn: String::new(), ..form };
    let blank = if done.is_some() { TransferForm::default() } else { blank };
    form_page(&state, &signed, &blank, Vec::new(), None, done).await
}

/// POST /transfer/confirm: the form checked, then "Transfer … ?".
pub async fn confirm(
    State(state): State<AppState>,
    signed: Signed,
    CsrfForm(form): CsrfForm<TransferForm>,
) -> Result<Response, WebError> {
    signed.require(Permission::TransferBalance)?;
    let t = signed.visitor.tr();
    let c = match check(&t, &form) {
        Ok(c) => c,
        Err(errors) => return form_page(&state, &signed, &form, errors, None, None).await,
    };
    confirm_page(&state, &signed, &c).await
}

/// "Transfer … ?" with a fresh idempotency key; Back returns to the form as typed.
async fn confirm_page(state: &AppState, signed: &Signed, c: &Checked) -> Result<Response, WebError> {
    let t = signed.visitor.tr();
    let frame = Frame::signed(state, signed, t.t("transfer-title")).await?;
    let back = format!(
        "/transfer?from={}&to={}&tenge={}&tiyn={}",
        c.from,
        c.to,
        c.amount.tiyn() / 100,
        format_args!("{:02}", c.amount.tiyn() % 100)
    );
    let page = ConfirmPage {
        pretty: t.money(&c.amount),
        action: "/transfer".into(),
        question: words(&t, "transfer-question", c.amount, c.from.as_str(), c.to.as_str()),
        confirm: t.t("transfer-submit"),
        back,
        refusal: None,
        frame,
        hidden: vec![
            ("from", c.from.to_string()),
            ("to", c.to.to_string()),
            ("tenge", (c.amount.tiyn() / 100).to_string()),
            ("tiyn", format!("{:02}", c.amount.tiyn() % 100)),
            ("key", ids::new_id()),
        ],
    };
    Ok(html(StatusCode::OK, &page))
}

/// POST /transfer: the confirmed transfer, made by the operator or refused with the reason.
pub async fn transfer(
    State(state): State<AppState>,
    signed: Signed,
    CsrfForm(form): CsrfForm<TransferForm>,
) -> Result<Response, WebError> {
    let scope = signed.require(Permission::TransferBalance)?;
    let t = signed.visitor.tr();
    let c = match check(&t, &form) {
        Ok(c) => c,
        Err(errors) => return form_page(&state, &signed, &form, errors, None, None).await,
    };
    // Only a key the confirmation gave: anything else is asked again.
    if !ids::is_id(&form.key) {
        return confirm_page(&state, &signed, &c).await;
    }
    // The transfer is recorded as under way with a job that would ask the operator again
    // (same key) before the operator is asked: a process that stops between the two
    // leaves the job to finish it, so no transfer is made without its record.
    let now = now_ms();
    let payload = jobs::kinds::TransferPayload {
        bin: scope.bin.as_str().to_string(),
        from: c.from.to_string(),
        to: c.to.to_string(),
        amount: c.amount.tiyn(),
        key: form.key.clone(),
    };
    let payload = serde_json::to_string(&payload).unwrap_or_default();
    let (_, _, details) = recorded(&c.to, c.amount, None);
    let mut tx = state.db.begin_write().await?;
    let recheck_at = now + state.config.job_lease_ms;
    // The confirmation's key is the job's id: a second click on the same confirmation
    // finds the first one's transfer instead of recording another.
    let job_id = form.key.clone();
    if !jobs::enqueue_as(&mut tx, &job_id, jobs::kinds::TRANSFER, &payload, 8, (recheck_at, now)).await? {
        drop(tx);
        return match actions::for_job(&state.db, &scope.company_id, &job_id).await? {
            Some(a) if a.status == actions::SUCCESS => {
                Ok(Redirect::to(&format!("/transfer?done={}", a.id)).into_response())
            }
            Some(a) if a.status == actions::FAILURE => {
                let why = refusal_text(&t, a.reason.as_deref().unwrap_or(""));
                form_page(&state, &signed, &form, Vec::new(), Some(why), None).await
            }
            // Still under way (or another company's key): the history will say.
            _ => form_page(&state, &signed, &form, Vec::new(), Some(t.t("transfer-unanswered")), None).await,
        };
    }
    let record = actions::NewAction {
        kind: "transfer",
        msisdn: Some(c.from.as_str()),
        details: &details,
        status: actions::PROCESSING,
        reason: None,
        job_id: Some(&job_id),
    };
    let id = actions::record(&mut tx, &signed.actor(&scope), &record, now).await?;
    tx.commit().await.map_err(cabinet_store::StoreError::from)?;
    let Ok(answer) = state.operator.transfer(&scope.bin, &c.from, &c.to, c.amount, &form.key).await else {
        // The job asks again later; the history will say how it ended.
        return form_page(&state, &signed, &form, Vec::new(), Some(t.t("transfer-unanswered")), None).await;
    };
    let (status, reason, details) = recorded(&c.to, c.amount, Some(&answer));
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    jobs::settle_queued_in(&mut tx, &job_id, now).await?;
    actions::finish_with_details_in(&mut tx, &job_id, (status, reason), &details, now).await?;
    tx.commit().await.map_err(cabinet_store::StoreError::from)?;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("/transfer?done={id}")).into_response()),
        Err(r) => {
            let why = refusal_text(&t, r.code());
            form_page(&state, &signed, &form, Vec::new(), Some(why), None).await
        }
    }
}

/// What the actions history records of a transfer of `amount` to `to` and the operator's
/// answer (None: not answered yet): its status, the refusal's code and the details.
pub fn recorded(
    to: &Msisdn,
    amount: Money,
    answer: Option<&Result<TransferDone, TransferRefusal>>,
) -> (&'static str, Option<&'static str>, String) {
    let mut details = TransferDetails {
        to: to.to_string(),
        amount: amount.tiyn(),
        reference: None,
        sender_balance: None,
        recipient_balance: None,
    };
    let (status, reason) = match answer {
        None => (actions::PROCESSING, None),
        Some(Ok(done)) => {
            details.reference = Some(done.reference.clone());
            details.sender_balance = Some(done.sender_balance.tiyn());
            details.recipient_balance = Some(done.recipient_balance.tiyn());
            (actions::SUCCESS, None)
        }
        Some(Err(r)) => (actions::FAILURE, Some(r.code())),
    };
    (status, reason, serde_json::to_string(&details).unwrap_or_else(|_| "{}".into()))
}

/// "The transfer was not made: …" for a refusal's code (as the history keeps it).
fn refusal_text(t: &Tr, code: &str) -> String {
    t.t1("transfer-refused", "reason", number_head::reason_text(t, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_tenge_and_two_digits_of_tiyn() {
        assert_eq!(parse_amount("50", "00"), Ok(Money(5_000)));
        assert_eq!(parse_amount("1 000", "5"), Ok(Money(100_005)));
        assert_eq!(parse_amount("", "75"), Ok(Money(75)));
        assert_eq!(parse_amount("0", "0"), Err("transfer-amount-zero"));
        assert_eq!(parse_amount("-5", ""), Err("transfer-amount-format"));
        assert_eq!(parse_amount("5", "100"), Err("transfer-amount-format"));
        assert_eq!(parse_amount("5.5", ""), Err("transfer-amount-format"));
        assert_eq!(parse_amount("1000000000", ""), Err("transfer-amount-too-large"));
        assert_eq!(parse_amount("999999999", "99"), Ok(Money(99_999_999_999)));
    }
}
