//! Call forwarding: the rules in force with Remove, and a form to add one — type
//! (unconditional, busy, no answer, unreachable), direction (a number or a service) and the
//! number or the service. The network checks conflicts again.

use crate::auth::Signed;
use crate::csrf::{CsrfForm, NoFields};
use crate::error::WebError;
use crate::pages::number_head::{self, NoticeView, OpNotice, Place};
use crate::pages::operations::{self, forward_kind_key, target};
use crate::render::{Frame, html};
use crate::{AppState, Tr};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cabinet_core::Msisdn;
use cabinet_core::operator::{ForwardKind, ForwardTarget, NumberProfile, Operation};
use cabinet_core::rules;
use cabinet_store::actions;
use serde::Deserialize;

struct RuleView {
    kind: String,
    target: String,
    remove_href: String,
}

#[derive(Template)]
#[template(path = "forwarding.html")]
struct ForwardingPage {
    frame: Frame,
    pretty: String,
    msisdn: String,
    rules: Vec<RuleView>,
    kinds: Vec<(&'static str, String)>,
    services: Vec<(String, String)>,
    form: AddForm,
    error: Option<String>,
    /// The outcome of the administrator's request here (processing, done or refused).
    notice: NoticeView,
    /// Why no rule can be added now (a blocked number), if so.
    add_why_not: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct AddForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    service: String,
}

fn target_text(t: &Tr, p: &NumberProfile, target: &ForwardTarget) -> String {
    match target {
        ForwardTarget::Number(n) => Msisdn::pretty_text(n),
        ForwardTarget::Service(code) => {
            let name = p.forward_services.iter().find(|s| s.code == *code).map(|s| t.text(&s.name).to_string());
            t.t1("fwd-to-service", "name", name.unwrap_or_else(|| code.clone()))
        }
    }
}

async fn page(
    state: &AppState,
    signed: &Signed,
    number: &str,
    form: AddForm,
    error: Option<String>,
    notice: Option<OpNotice>,
) -> Result<Response, WebError> {
    let (scope, msisdn, profile) = target(state, signed, number).await?;
    let t = signed.visitor.tr();
    let pending = actions::pending_on(&state.db, &scope.company_id, msisdn.as_str()).await?;
    let current = number_head::current_state(&profile, pending.as_ref());
    let probe = Operation::AddForwarding { kind: ForwardKind::Busy, target: ForwardTarget::Number(String::new()) };
    let add_why_not = rules::check(&probe, current).err().map(|r| number_head::why_not(&t, r, current));
    let rules = profile
        .forwardings
        .iter()
        .map(|f| RuleView {
            kind: t.t(forward_kind_key(f.kind)),
            target: target_text(&t, &profile, &f.target),
            remove_href: operations::path_of(msisdn.as_str(), &Operation::RemoveForwarding { kind: f.kind }),
        })
        .collect();
    let kinds = ForwardKind::ALL.into_iter().map(|k| (k.code(), t.t(forward_kind_key(k)))).collect();
    let services = profile.forward_services.iter().map(|s| (s.code.clone(), t.text(&s.name).to_string())).collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let frame = Frame::signed(state, signed, t.t("fwd-title")).await?;
    Ok(html(
        status,
        &ForwardingPage {
            frame,
            pretty: msisdn.pretty(),
            msisdn: msisdn.to_string(),
            rules,
            kinds,
            services,
            form,
            error,
            notice: NoticeView { msisdn: msisdn.to_string(), at: "forwarding", notice },
            add_why_not,
        },
    ))
}

/// GET /numbers/{msisdn}/forwarding
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Path(n): Path<String>,
) -> Result<Response, WebError> {
    let form = AddForm { direction: "number".into(), ..AddForm::default() };
    let (scope, msisdn, _) = target(&state, &signed, &n).await?;
    let t = signed.visitor.tr();
    let notice = number_head::flash(&state, &scope, &t, &headers, msisdn.as_str(), Place::Forwarding).await?;
    let mut res = page(&state, &signed, &n, form, None, notice.clone()).await?;
    number_head::shown(&mut res, &state, &notice);
    Ok(res)
}

/// The page again with the refusal of the rule asked for (422).
pub async fn refused(
    state: &AppState,
    signed: &Signed,
    number: &str,
    notice: Option<OpNotice>,
) -> Result<Response, WebError> {
    let form = AddForm { direction: "number".into(), ..AddForm::default() };
    let mut res = page(state, signed, number, form, None, notice).await?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

/// The rule the form describes, or the message that says what is missing.
fn parse(form: &AddForm) -> Result<Operation, &'static str> {
    let kind = ForwardKind::from_code(&form.kind).ok_or("fwd-error-kind")?;
    let target = match form.direction.as_str() {
        "number" => ForwardTarget::Number(Msisdn::parse(&form.number).map_err(|e| e.message_key())?.to_string()),
        "service" if !form.service.is_empty() => ForwardTarget::Service(form.service.clone()),
        "service" => return Err("fwd-error-service"),
        _ => return Err("fwd-error-direction"),
    };
    Ok(Operation::AddForwarding { kind, target })
}

/// POST /numbers/{msisdn}/forwarding: add a rule ("Add" is the confirmation).
pub async fn add(
    State(state): State<AppState>,
    signed: Signed,
    Path(n): Path<String>,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<Response, WebError> {
    match parse(&form) {
        Ok(op) => operations::request(state, signed, n, Some(op)).await,
        Err(key) => {
            let msg = signed.visitor.tr().t(key);
            page(&state, &signed, &n, form, Some(msg), None).await
        }
    }
}

fn remove_op(kind: &str) -> Option<Operation> {
    Some(Operation::RemoveForwarding { kind: ForwardKind::from_code(kind)? })
}

/// GET /numbers/{msisdn}/forwarding/{kind}/remove: "Are you sure…"
pub async fn confirm_remove(
    State(state): State<AppState>,
    signed: Signed,
    Path((n, kind)): Path<(String, String)>,
) -> Result<Response, WebError> {
    operations::confirm(state, signed, n, remove_op(&kind)).await
}

/// POST /numbers/{msisdn}/forwarding/{kind}/remove
pub async fn remove(
    State(state): State<AppState>,
    signed: Signed,
    Path((n, kind)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    operations::request(state, signed, n, remove_op(&kind)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str, direction: &str, number: &str, service: &str) -> AddForm {
        AddForm { kind: kind.into(), direction: direction.into(), number: number.into(), service: service.into() }
    }

    #[test]
    fn the_form_must_name_a_kind_a_direction_and_a_valid_target() {
        assert!(matches!(parse(&form("busy", "number", "+7 701 999 88 77", "")), Ok(Operation::AddForwarding { .. })));
        assert!(matches!(
            parse(&form("unconditional", "service", "", "voicemail")),
            Ok(Operation::AddForwarding { .. })
        ));
        assert_eq!(parse(&form("", "number", "77019998877", "")).unwrap_err(), "fwd-error-kind");
        assert_eq!(parse(&form("busy", "number", "12345", "")).unwrap_err(), "error-msisdn-too-few");
        assert_eq!(parse(&form("busy", "service", "", "")).unwrap_err(), "fwd-error-service");
        assert_eq!(parse(&form("busy", "fax", "", "")).unwrap_err(), "fwd-error-direction");
    }
}
