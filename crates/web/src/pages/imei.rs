//! Device registration (IMEI): the last IMEI seen on the number and whether it is
//! registered here; Register, Register duplicate (keep the other registration), Re-register
//! (from a previous owner named by number and IIN/BIN), Remove; and the request history.
//! Every one is confirmed, in the manuals' steps: Register and Remove ask "Are you sure…";
//! Re-register and Register duplicate show the terms, "I confirm", then (re-registration)
//! the previous owner's number and IIN/BIN, then the button that sends the request.
//! Results come asynchronously, like every operation.

use crate::auth::Signed;
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::pages::number_head::{self, NoticeView, OpNotice, Place, reason_text};
use crate::pages::operations::{self, target};
use crate::render::{Frame, html};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cabinet_core::operator::Operation;
use cabinet_core::{Bin, Imei, Msisdn, rules};
use cabinet_store::actions;
use serde::Deserialize;

struct HistoryRow {
    when: String,
    imei: String,
    state: String,
}

#[derive(Template)]
#[template(path = "imei.html")]
struct ImeiPage {
    frame: Frame,
    pretty: String,
    msisdn: String,
    last_imei: Option<String>,
    last_registered: bool,
    registered: Vec<String>,
    history: Vec<HistoryRow>,
    form: ImeiForm,
    error: Option<String>,
    notice: NoticeView,
}

#[derive(Deserialize, Default, Clone)]
pub struct ImeiForm {
    /// register | duplicate | reregister | remove
    #[serde(default)]
    action: String,
    #[serde(default)]
    imei: String,
    #[serde(default)]
    prev_msisdn: String,
    #[serde(default)]
    prev_owner: String,
    #[serde(default)]
    terms: Option<String>,
}

/// The state a request history row shows.
fn state_text(t: &Tr, a: &actions::Action) -> String {
    match (a.status.as_str(), a.kind.as_str()) {
        (actions::PROCESSING, _) => t.t("status-processing"),
        (actions::SUCCESS, "imei_remove") => t.t("imei-state-removed"),
        (actions::SUCCESS, "imei_duplicate") => t.t("imei-state-duplicate"),
        (actions::SUCCESS, _) => t.t("imei-state-registered"),
        _ => t.t1("imei-state-failed", "reason", reason_text(t, a.reason.as_deref().unwrap_or(""))),
    }
}

async fn page(
    state: &AppState,
    signed: &Signed,
    number: &str,
    form: ImeiForm,
    error: Option<String>,
    notice: Option<OpNotice>,
) -> Result<Response, WebError> {
    let (scope, msisdn, profile) = target(state, signed, number).await?;
    let t = signed.visitor.tr();
    let zone = &state.config.zone;
    let history = actions::device_requests(&state.db, &scope.company_id, msisdn.as_str(), 50)
        .await?
        .iter()
        .map(|a| HistoryRow {
            when: zone.date_time(a.created_ms),
            imei: serde_json::from_str::<operations::Details>(&a.details)
                .ok()
                .and_then(|d| match d.operation {
                    Operation::RegisterImei { imei }
                    | Operation::RegisterDuplicateImei { imei }
                    | Operation::ReregisterImei { imei, .. }
                    | Operation::RemoveImei { imei } => Some(imei),
                    _ => None,
                })
                .unwrap_or_default(),
            state: state_text(&t, a),
        })
        .collect();
    let last_registered = profile.last_imei.as_ref().is_some_and(|i| profile.registered_imeis.contains(i));
    let form = if form.imei.is_empty() {
        ImeiForm { imei: profile.last_imei.clone().unwrap_or_default(), ..form }
    } else {
        form
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let frame = Frame::signed(state, signed, t.t("imei-title")).await?;
    let page = ImeiPage {
        frame,
        pretty: msisdn.pretty(),
        msisdn: msisdn.to_string(),
        last_imei: profile.last_imei.clone(),
        last_registered,
        registered: profile.registered_imeis.clone(),
        history,
        form,
        error,
        notice: NoticeView { msisdn: msisdn.to_string(), at: "device", notice },
    };
    Ok(html(status, &page))
}

/// GET /numbers/{msisdn}/imei
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(n): Path<String>,
) -> Result<Response, WebError> {
    let (scope, msisdn, _) = target(&state, &signed, &n).await?;
    let t = signed.visitor.tr();
    let notice = number_head::flash(&state, &scope, &t, &headers, msisdn.as_str(), Place::Device).await?;
    let mut res = page(&state, &signed, &n, ImeiForm::default(), None, notice.clone()).await?;
    number_head::shown(&mut res, &state, &notice);
    Ok(res)
}

/// The page again with the refusal of the request (422).
pub async fn refused(
    state: &AppState,
    signed: &Signed,
    number: &str,
    notice: Option<OpNotice>,
) -> Result<Response, WebError> {
    let mut res = page(state, signed, number, ImeiForm::default(), None, notice).await?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

/// The previous owner as typed for a re-registration, or the field at fault and the
/// catalog key of what is wrong with it.
fn previous_owner(f: &ImeiForm) -> Result<(String, String), (&'static str, &'static str)> {
    let prev_msisdn = Msisdn::parse(&f.prev_msisdn).map_err(|e| ("prev-msisdn", e.message_key()))?.to_string();
    let prev_owner = Bin::parse(&f.prev_owner).map_err(|e| ("prev-owner", e.message_key()))?.to_string();
    Ok((prev_msisdn, prev_owner))
}

/// The operation the form asks for, or the catalog key of what is wrong with it.
fn parse(f: &ImeiForm) -> Result<Operation, &'static str> {
    let imei = Imei::parse(&f.imei).map_err(|e| e.message_key())?.to_string();
    match f.action.as_str() {
        "register" => Ok(Operation::RegisterImei { imei }),
        "remove" => Ok(Operation::RemoveImei { imei }),
        "duplicate" if f.terms.is_some() => Ok(Operation::RegisterDuplicateImei { imei }),
        "reregister" if f.terms.is_some() => {
            let (prev_msisdn, prev_owner) = previous_owner(f).map_err(|(_, key)| key)?;
            Ok(Operation::ReregisterImei { imei, prev_msisdn, prev_owner })
        }
        "duplicate" | "reregister" => Err("imei-accept-terms"),
        _ => Err("error-bad-request"),
    }
}

/// POST /numbers/{msisdn}/imei: the request, from its last step.
pub async fn request(
    State(state): State<AppState>,
    signed: Signed,
    Path(n): Path<String>,
    CsrfForm(f): CsrfForm<ImeiForm>,
) -> Result<Response, WebError> {
    match parse(&f) {
        Ok(op) => operations::request(state, signed, n, Some(op)).await,
        // A wrong previous owner: the owner step again, the field named.
        Err(_) if f.action == "reregister" && f.terms.is_some() && Imei::parse(&f.imei).is_ok() => {
            let error = previous_owner(&f).err();
            let q = StepQuery { step: f.action.clone(), imei: f.imei.clone(), accepted: Some("1".into()) };
            step_page(&state, &signed, &n, &q, &f, error).await
        }
        Err(key) => {
            let msg = signed.visitor.tr().t(key);
            page(&state, &signed, &n, f, Some(msg), None).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct StepQuery {
    /// register | remove | reregister | duplicate
    #[serde(default)]
    step: String,
    #[serde(default)]
    imei: String,
    /// The terms were confirmed ("I confirm").
    #[serde(default)]
    accepted: Option<String>,
}

#[derive(Template)]
#[template(path = "imei_step.html")]
struct StepPage {
    frame: Frame,
    pretty: String,
    msisdn: String,
    /// "reregister" | "duplicate"
    step: &'static str,
    imei: String,
    accepted: bool,
    prev_msisdn: String,
    prev_owner: String,
    /// (field id, message)
    error: Option<(&'static str, String)>,
    refusal: Option<String>,
}

impl StepPage {
    /// The message of the field `id`, when that field is at fault.
    fn error_at(&self, id: &str) -> Option<&str> {
        self.error.as_ref().filter(|(f, _)| *f == id).map(|(_, m)| m.as_str())
    }
}

/// GET /numbers/{msisdn}/imei/step?step=…&imei=…: the next step of a device operation.
pub async fn step(
    State(state): State<AppState>,
    signed: Signed,
    Path(n): Path<String>,
    Query(q): Query<StepQuery>,
) -> Result<Response, WebError> {
    let imei = match Imei::parse(&q.imei) {
        Ok(i) => i.to_string(),
        Err(e) => {
            let msg = signed.visitor.tr().t(e.message_key());
            let form = ImeiForm { imei: q.imei.clone(), ..ImeiForm::default() };
            return page(&state, &signed, &n, form, Some(msg), None).await;
        }
    };
    match q.step.as_str() {
        "register" => operations::confirm(state, signed, n, Some(Operation::RegisterImei { imei })).await,
        "remove" => operations::confirm(state, signed, n, Some(Operation::RemoveImei { imei })).await,
        "reregister" | "duplicate" => step_page(&state, &signed, &n, &q, &ImeiForm::default(), None).await,
        _ => Err(WebError::NotFound(signed.locale())),
    }
}

async fn step_page(
    state: &AppState,
    signed: &Signed,
    number: &str,
    q: &StepQuery,
    typed: &ImeiForm,
    error: Option<(&'static str, &'static str)>,
) -> Result<Response, WebError> {
    let (scope, msisdn, profile) = target(state, signed, number).await?;
    let t = signed.visitor.tr();
    let imei = Imei::parse(&q.imei).map(|i| i.to_string()).unwrap_or_default();
    let (step, title) =
        if q.step == "reregister" { ("reregister", "imei-rereg-title") } else { ("duplicate", "imei-dup-title") };
    let probe = Operation::RegisterDuplicateImei { imei: imei.clone() };
    let pending = actions::pending_on(&state.db, &scope.company_id, msisdn.as_str()).await?;
    let current = number_head::current_state(&profile, pending.as_ref());
    let refusal = rules::check_on(&probe, &profile, current)
        .err()
        .map(|r| t.t1("op-refused-now", "reason", reason_text(&t, r.code())));
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let frame = Frame::signed(state, signed, t.t(title)).await?;
    let page = StepPage {
        frame,
        pretty: msisdn.pretty(),
        msisdn: msisdn.to_string(),
        step,
        imei,
        accepted: q.accepted.is_some(),
        prev_msisdn: typed.prev_msisdn.clone(),
        prev_owner: typed.prev_owner.clone(),
        error: error.map(|(field, key)| (field, t.t(key))),
        refusal,
    };
    Ok(html(status, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(action: &str, imei: &str, prev: &str, owner: &str, terms: bool) -> ImeiForm {
        ImeiForm {
            action: action.into(),
            imei: imei.into(),
            prev_msisdn: prev.into(),
            prev_owner: owner.into(),
            terms: terms.then(|| "yes".into()),
        }
    }

    #[test]
    fn the_form_checks_imei_owner_and_terms() {
        assert!(matches!(
            parse(&form("register", "35367807651154", "", "", false)),
            Ok(Operation::RegisterImei { .. })
        ));
        assert_eq!(parse(&form("register", "3536780765115", "", "", false)).unwrap_err(), "error-imei-length");
        assert_eq!(parse(&form("duplicate", "35367807651154", "", "", false)).unwrap_err(), "imei-accept-terms");
        assert_eq!(
            parse(&form("reregister", "35367807651154", "77012115299", "123456789012", true)).unwrap_err(),
            "error-bin-month"
        );
        assert_eq!(
            parse(&form("reregister", "35367807651154", "123", "940740000015", true)).unwrap_err(),
            "error-msisdn-too-few"
        );
        assert!(matches!(
            parse(&form("reregister", "35367807651154", "+7 701 211 52 99", "940740000015", true)),
            Ok(Operation::ReregisterImei { .. })
        ));
        assert_eq!(parse(&form("explode", "35367807651154", "", "", true)).unwrap_err(), "error-bad-request");
    }

    #[test]
    fn the_previous_owner_needs_a_real_bin_or_iin_typed_as_on_documents() {
        // Right control digits, impossible structure: all zeros, month 13, day 32.
        for (owner, key) in [
            ("000000000000", "error-bin-century"),
            ("941340000018", "error-bin-month"),
            ("900132100013", "error-bin-birth-date"),
        ] {
            let got = parse(&form("reregister", "35367807651154", "77012115299", owner, true));
            assert_eq!(got.unwrap_err(), key, "{owner}");
        }
        // A phone number a digit short is no previous number.
        let got = parse(&form("reregister", "35367807651154", "+7701211529", "940740000015", true));
        assert_eq!(got.unwrap_err(), "error-msisdn-too-few");
        let Ok(Operation::ReregisterImei { prev_owner, .. }) =
            parse(&form("reregister", "353678-076511-54", "77012115299", "9407 4000 0015", true))
        else {
            panic!("spaces and dashes are taken alike");
        };
        assert_eq!(prev_owner, "940740000015");
    }
}
