//! Device registration (IMEI): the last IMEI seen on the number and whether it is
//! registered here; Register, Register duplicate (keep the other registration), Re-register
//! (from a previous owner named by number and IIN/BIN, terms accepted), Remove; and the
//! request history. Results come asynchronously, like every operation.

use crate::auth::Signed;
use crate::csrf::CsrfForm;
use crate::error::WebError;
use crate::pages::number_head::reason_text;
use crate::pages::operations::{self, target};
use crate::render::{Frame, html};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cabinet_core::operator::Operation;
use cabinet_core::{Bin, Imei, Msisdn};
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
    };
    Ok(html(status, &page))
}

/// GET /numbers/{msisdn}/imei
pub async fn show(State(state): State<AppState>, signed: Signed, Path(n): Path<String>) -> Result<Response, WebError> {
    page(&state, &signed, &n, ImeiForm::default(), None).await
}

/// The operation the form asks for, or the catalog key of what is wrong with it.
fn parse(f: &ImeiForm) -> Result<Operation, &'static str> {
    let imei = Imei::parse(&f.imei).map_err(|e| e.message_key())?.to_string();
    match f.action.as_str() {
        "register" => Ok(Operation::RegisterImei { imei }),
        "remove" => Ok(Operation::RemoveImei { imei }),
        "duplicate" if f.terms.is_some() => Ok(Operation::RegisterDuplicateImei { imei }),
        "reregister" if f.terms.is_some() => {
            let prev_msisdn = Msisdn::parse(&f.prev_msisdn).map_err(|e| e.message_key())?.to_string();
            let prev_owner = Bin::parse(&f.prev_owner).map_err(|e| e.message_key())?.to_string();
            Ok(Operation::ReregisterImei { imei, prev_msisdn, prev_owner })
        }
        "duplicate" | "reregister" => Err("imei-accept-terms"),
        _ => Err("error-bad-request"),
    }
}

/// POST /numbers/{msisdn}/imei
pub async fn request(
    State(state): State<AppState>,
    signed: Signed,
    Path(n): Path<String>,
    CsrfForm(f): CsrfForm<ImeiForm>,
) -> Result<Response, WebError> {
    match parse(&f) {
        Ok(op) => operations::request(state, signed, n, Some(op)).await,
        Err(key) => {
            let msg = signed.visitor.tr().t(key);
            page(&state, &signed, &n, f, Some(msg)).await
        }
    }
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
