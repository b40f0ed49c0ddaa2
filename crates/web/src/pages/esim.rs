//! eSIM replacement: pick the phone's system (iOS or Android) for the steps, "Issue eSIM"
//! gives a QR code (an LPA activation string, valid one day, free), then "I'm sure the eSIM
//! is set up" → "Are you sure…" → the number moves to the eSIM. Not while roaming or
//! blocked.

use crate::AppState;
use crate::auth::Signed;
use crate::csrf::{CsrfForm, NoFields};
use crate::error::WebError;
use crate::pages::number_head::reason_text;
use crate::pages::operations::{self, target};
use crate::render::{Frame, html};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::operator::Operation;
use cabinet_core::time::now_ms;
use cabinet_store::actions;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct OsParam {
    #[serde(default)]
    os: String,
}

fn os_of(param: &str) -> &'static str {
    if param == "android" { "android" } else { "ios" }
}

#[derive(Template)]
#[template(path = "esim.html")]
struct EsimPage {
    frame: Frame,
    pretty: String,
    msisdn: String,
    os: &'static str,
    /// "valid until …" of the issued eSIM, when there is one.
    valid_until: Option<String>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    signed: &Signed,
    number: &str,
    os: &'static str,
    error: Option<String>,
) -> Result<Response, WebError> {
    let (_, msisdn, profile) = target(state, signed, number).await?;
    let t = signed.visitor.tr();
    let valid_until = profile.esim_activation.as_ref().map(|a| state.config.zone.date_time(a.expires_ms));
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let frame = Frame::signed(state, signed, t.t("esim-title")).await?;
    Ok(html(status, &EsimPage { frame, pretty: msisdn.pretty(), msisdn: msisdn.to_string(), os, valid_until, error }))
}

/// GET /numbers/{msisdn}/esim?os=ios|android
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(n): Path<String>,
    Query(q): Query<OsParam>,
) -> Result<Response, WebError> {
    page(&state, &signed, &n, os_of(&q.os), None).await
}

/// POST /numbers/{msisdn}/esim/issue: the operator issues the eSIM at once.
pub async fn issue(
    State(state): State<AppState>,
    signed: Signed,
    Path(n): Path<String>,
    CsrfForm(q): CsrfForm<OsParam>,
) -> Result<Response, WebError> {
    let (scope, msisdn, _) = target(&state, &signed, &n).await?;
    let t = signed.visitor.tr();
    let answer = state.operator.issue_esim(&scope.bin, &msisdn).await.map_err(|_| WebError::Operator(t.locale))?;
    let (status, reason) = match &answer {
        Ok(_) => (actions::SUCCESS, None),
        Err(code) => (actions::FAILURE, Some(code.as_str())),
    };
    let who = signed.actor(&scope);
    let action = actions::NewAction {
        kind: "esim_issue",
        msisdn: Some(msisdn.as_str()),
        details: "{}",
        status,
        reason,
        job_id: None,
    };
    actions::record_now(&state.db, &who, &action, now_ms()).await?;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("/numbers/{msisdn}/esim?os={}", os_of(&q.os))).into_response()),
        Err(code) => {
            let msg = t.t2("failed-esim-issue", ("name", ""), ("reason", reason_text(&t, &code)));
            page(&state, &signed, &n, os_of(&q.os), Some(msg)).await
        }
    }
}

/// GET /numbers/{msisdn}/esim/qr.png: the issued eSIM's activation code as a QR image.
pub async fn qr(State(state): State<AppState>, signed: Signed, Path(n): Path<String>) -> Result<Response, WebError> {
    let (_, _, profile) = target(&state, &signed, &n).await?;
    let activation = profile.esim_activation.ok_or(WebError::NotFound(signed.locale()))?;
    let png = qr_png(&activation.lpa).map_err(|_| WebError::Internal)?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-store")], png).into_response())
}

/// A QR code as a black-on-white PNG, 8 pixels a module, with the standard quiet zone.
pub fn qr_png(text: &str) -> Result<Vec<u8>, String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).map_err(|e| e.to_string())?;
    let modules = code.width();
    let colors = code.to_colors();
    let (scale, quiet) = (8usize, 4usize);
    let side = (modules + 2 * quiet) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i % modules + quiet, i / modules + quiet);
            for y in my * scale..(my + 1) * scale {
                pixels[y * side + mx * scale..y * side + (mx + 1) * scale].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&pixels).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

#[derive(Deserialize)]
pub struct ReadyForm {
    #[serde(default)]
    sure: Option<String>,
    #[serde(default)]
    os: String,
}

/// POST /numbers/{msisdn}/esim/ready: "I'm sure the eSIM is set up" ticked → "Are you sure…"
pub async fn ready(
    State(state): State<AppState>,
    signed: Signed,
    Path(n): Path<String>,
    CsrfForm(f): CsrfForm<ReadyForm>,
) -> Result<Response, WebError> {
    if f.sure.is_none() {
        let msg = signed.visitor.tr().t("esim-tick-first");
        return page(&state, &signed, &n, os_of(&f.os), Some(msg)).await;
    }
    operations::confirm(state, signed, n, Some(Operation::ChangeToEsim)).await
}

/// POST /numbers/{msisdn}/esim/change: the number moves to the eSIM (a job).
pub async fn change(
    State(state): State<AppState>,
    signed: Signed,
    Path(n): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, WebError> {
    operations::request(state, signed, n, Some(Operation::ChangeToEsim)).await
}
