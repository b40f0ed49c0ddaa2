//! Register: a company asks for administrator access (BIN, company name, the
//! administrator's name, phone and e-mail, and the company's letter as a PDF). Operator
//! staff decide it in the operator console; the applicant is told by SMS or e-mail.

use crate::AppState;
use crate::csrf::CsrfUpload;
use crate::error::WebError;
use crate::limits;
use crate::pages::signin::{log_refusal, until_text};
use crate::registration::{self, LETTER_MAX_BYTES, Typed};
use crate::render::{Frame, html};
use crate::visitor::Visitor;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cabinet_core::time::now_ms;

/// One field of the form: its name, label and hint keys, the input's type and autocomplete.
struct FieldSpec {
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    kind: &'static str,
    autocomplete: &'static str,
}

const FIELDS: [FieldSpec; 5] = [
    FieldSpec { name: "bin", label: "signup-bin", hint: Some("signup-bin-hint"), kind: "text", autocomplete: "off" },
    FieldSpec { name: "company_name", label: "signup-company", hint: None, kind: "text", autocomplete: "organization" },
    FieldSpec { name: "admin_name", label: "signup-name", hint: None, kind: "text", autocomplete: "name" },
    FieldSpec {
        name: "phone",
        label: "signup-phone",
        hint: Some("signup-phone-hint"),
        kind: "tel",
        autocomplete: "tel",
    },
    FieldSpec {
        name: "email",
        label: "signup-email",
        hint: Some("signup-email-hint"),
        kind: "email",
        autocomplete: "email",
    },
];

struct FieldView {
    name: &'static str,
    label: String,
    hint: Option<String>,
    kind: &'static str,
    autocomplete: &'static str,
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    frame: Frame,
    fields: Vec<FieldView>,
    letter_error: Option<String>,
    /// A refusal of the whole request (a limit, a request already waiting).
    refusal: Option<String>,
    /// The letter's size limit, "5 MB".
    max_mb: i64,
}

impl RegisterPage {
    fn has_errors(&self) -> bool {
        self.letter_error.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    typed: &Typed,
    errors: &[registration::FieldError],
    refusal: Option<String>,
) -> RegisterPage {
    let t = visitor.tr();
    let error_of = |name: &str| errors.iter().find(|(f, _)| *f == name).map(|(_, k)| t.t(k));
    let value_of = |name: &str| match name {
        "bin" => typed.bin.clone(),
        "company_name" => typed.company_name.clone(),
        "admin_name" => typed.admin_name.clone(),
        "phone" => typed.phone.clone(),
        _ => typed.email.clone(),
    };
    RegisterPage {
        frame: Frame::public(state, visitor, "signup-title"),
        fields: FIELDS
            .iter()
            .map(|f| FieldView {
                name: f.name,
                label: t.t(f.label),
                hint: f.hint.map(|h| t.t(h)),
                kind: f.kind,
                autocomplete: f.autocomplete,
                value: value_of(f.name),
                error: error_of(f.name),
            })
            .collect(),
        letter_error: error_of("letter"),
        refusal,
        max_mb: (LETTER_MAX_BYTES / (1024 * 1024)) as i64,
    }
}

pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Response {
    html(StatusCode::OK, &page(&state, &visitor, &Typed::default(), &[], None))
}

pub async fn submit(State(state): State<AppState>, visitor: Visitor, upload: CsrfUpload) -> Result<Response, WebError> {
    let now = now_ms();
    let field = |name: &str| upload.fields.get(name).cloned().unwrap_or_default();
    let typed = Typed {
        bin: field("bin"),
        company_name: field("company_name"),
        admin_name: field("admin_name"),
        phone: field("phone"),
        email: field("email"),
    };
    // A file input left empty still sends a part, with no name and no bytes.
    let letter = upload
        .file
        .as_ref()
        .filter(|f| f.field == "letter" && !(f.file_name.is_empty() && f.bytes.is_empty()))
        .map(|f| (f.file_name.as_str(), f.bytes.as_slice()));
    let checked = match registration::check(&typed, letter) {
        Ok(c) => c,
        Err(errors) => {
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &visitor, &typed, &errors, None)));
        }
    };
    if let Err(refusal) = limits::charge_register(&state, visitor.client_ip, now).await? {
        log_refusal(&refusal, checked.phone.as_str(), visitor.client_ip);
        let text = until_text(&state, &visitor, "signup-locked", refusal.until_ms);
        return Ok(html(StatusCode::TOO_MANY_REQUESTS, &page(&state, &visitor, &typed, &[], Some(text))));
    }
    let letter = letter.map(|(_, bytes)| bytes).unwrap_or_default();
    match registration::submit(&state.db, &checked, visitor.locale, letter, now).await? {
        Some(id) => {
            tracing::info!(target: "security", event = "access_requested", request = id.as_str(),
                client = %visitor.client_ip, "a company asked for administrator access");
            Ok(Redirect::to("/register/sent").into_response())
        }
        None => {
            let text = visitor.tr().t("signup-already-waiting");
            Ok(html(StatusCode::CONFLICT, &page(&state, &visitor, &typed, &[], Some(text))))
        }
    }
}

#[derive(Template)]
#[template(path = "register_sent.html")]
struct SentPage {
    frame: Frame,
}

pub async fn sent(State(state): State<AppState>, visitor: Visitor) -> Response {
    html(StatusCode::OK, &SentPage { frame: Frame::public(&state, &visitor, "signup-sent-title") })
}
