//! Turning templates into responses, and the page frame every page shares.

use crate::i18n::Tr;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use cabinet_core::Locale;

/// Renders a template, or a plain 500 if the template itself fails.
pub fn html<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// A language the switcher offers, with the link that picks it.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

pub fn lang_links(current: Locale, here: &str) -> Vec<LangLink> {
    Locale::ALL
        .iter()
        .map(|l| LangLink {
            code: l.code(),
            name: l.native_name(),
            href: format!("/lang/{}?next={}", l.code(), urlencode(here)),
            current: *l == current,
        })
        .collect()
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What every page's frame (header, switchers, footer) needs.
pub struct Frame {
    pub t: Tr,
    pub title: String,
    pub operator_name: String,
    pub csrf: String,
    pub langs: Vec<LangLink>,
    /// The signed-in administrator's name, for the header.
    pub admin_name: Option<String>,
    pub companies: Vec<cabinet_store::admins::GrantedCompany>,
    pub current_company: Option<String>,
    pub dev_mode: bool,
    /// The white label's logo is configured (`/assets/brand-logo`).
    pub logo: bool,
    /// The part of the portal the page belongs to, for the main menu's current item.
    pub section: &'static str,
    /// The administrator's role lets them transfer money (the main menu offers the tab).
    pub can_transfer: bool,
    /// The administrator's role in the current company (None: signed out, or no company).
    pub role: Option<String>,
    /// Someone signed in who is not an administrator (an employee in self-care, operator
    /// staff): their name in the header and their own sign-out.
    pub guest: Option<Guest>,
    /// Where the brand in the header leads.
    pub home: &'static str,
}

/// The header of a signed-in visitor who is not an administrator.
pub struct Guest {
    pub name: String,
    pub signout: &'static str,
}

impl Frame {
    /// The frame of a page for a visitor who is not signed in.
    pub fn public(state: &crate::AppState, visitor: &crate::visitor::Visitor, title_key: &str) -> Frame {
        let t = visitor.tr();
        Frame {
            title: t.t(title_key),
            operator_name: state.config.operator_name.clone(),
            csrf: visitor.csrf_token.clone(),
            langs: lang_links(visitor.locale, &visitor.path),
            admin_name: None,
            companies: Vec::new(),
            current_company: None,
            dev_mode: state.config.dev_mode,
            logo: state.config.brand.logo.is_some(),
            section: section_of(&visitor.path),
            can_transfer: false,
            role: None,
            guest: None,
            home: "/numbers",
            t,
        }
    }

    /// The frame of a signed-in page: with the company switcher.
    pub async fn signed(
        state: &crate::AppState,
        signed: &crate::auth::Signed,
        title: String,
    ) -> Result<Frame, crate::error::WebError> {
        let companies = state.companies_of(&signed.session.admin_id).await?;
        let mut frame = Frame::public(state, &signed.visitor, "app-name");
        frame.title = title;
        frame.admin_name = Some(signed.session.admin_name.clone());
        frame.companies = companies;
        frame.current_company = signed.session.company_id.clone();
        frame.can_transfer = signed.require(crate::auth::Permission::TransferBalance).is_ok();
        frame.role = signed.session.role.clone();
        Ok(frame)
    }

    /// Whether the role lets the administrator use what needs `permission` (the pages offer
    /// only that; the server refuses the rest anyway).
    pub fn allows(&self, permission: &crate::auth::Permission) -> bool {
        self.role.as_deref().is_some_and(|r| crate::auth::role_allows(r, *permission))
    }

    pub fn is_current(&self, company_id: &str) -> bool {
        self.current_company.as_deref() == Some(company_id)
    }

    /// Whether the page belongs to this item of the main menu.
    pub fn in_section(&self, section: &str) -> bool {
        self.section == section
    }
}

/// The main menu's item a path belongs to.
fn section_of(path: &str) -> &'static str {
    if path.starts_with("/numbers") {
        "numbers"
    } else if path.starts_with("/reports") {
        "reports"
    } else if path.starts_with("/transfer") {
        "transfer"
    } else if path.starts_with("/account") {
        "account"
    } else {
        ""
    }
}
