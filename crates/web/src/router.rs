//! Every route of the portal, in one place.

use crate::pages::{
    account, acts, breakdown, company, company_admins, dev, esim, forwarding, history, imei, invoice_search, lang,
    mailed_reports, number_head, numbers, operations, operator, password_reset, payments, payments_report, profile,
    register, reports, secret_code, selfcare, signin, statement_reports, transfer, unallocated, usage,
};
use crate::{AppState, assets, error, ops, request, visitor};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::Redirect;
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;

/// The largest form body (every form but Register's).
const FORM_LIMIT: usize = 256 * 1024;
/// Register's body: the letter and the form around it, with room for a letter a little
/// too big to be told so on the form.
const UPLOAD_LIMIT: usize = crate::registration::LETTER_MAX_BYTES + 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(|| async { Redirect::to("/numbers") }))
        .route("/signin", get(signin::show).post(signin::submit))
        .route("/signin/code", get(signin::show_code).post(signin::submit_code))
        .route("/signin/code/resend", post(signin::resend_code))
        .route("/signin/forgot", get(password_reset::show).post(password_reset::start))
        .route("/signin/forgot/code", get(password_reset::show_code).post(password_reset::submit_code))
        .route("/signin/forgot/code/resend", post(password_reset::resend_code))
        .route("/signin/forgot/sent", get(password_reset::sent))
        .route("/signin/reset/{token}", get(password_reset::open_link))
        .route("/signin/password", get(password_reset::show_password).post(password_reset::set_password))
        .route("/signout", post(signin::sign_out))
        .route("/numbers", get(numbers::list))
        .route("/numbers/{msisdn}", get(profile::show))
        .route("/numbers/{msisdn}/head", get(number_head::show))
        .route("/numbers/{msisdn}/notice", get(number_head::notice))
        .route("/numbers/{msisdn}/row", get(numbers::row))
        .route("/numbers/{msisdn}/payments", get(payments::show))
        .route("/numbers/{msisdn}/usage", get(usage::show))
        .route("/numbers/{msisdn}/usage.xlsx", get(usage::xlsx).post(usage::request_xlsx))
        .route("/numbers/{msisdn}/usage.pdf", get(usage::pdf).post(usage::request_pdf))
        .route("/numbers/{msisdn}/payments/report", get(payments_report::show).post(payments_report::request))
        .route("/numbers/{msisdn}/payments.xlsx", get(payments::xlsx))
        .route("/numbers/{msisdn}/sim", get(operations::sim_show).post(operations::sim_request))
        .route("/numbers/{msisdn}/sim/confirm", post(operations::sim_confirm))
        .route("/numbers/{msisdn}/imei", get(imei::show).post(imei::request))
        .route("/numbers/{msisdn}/imei/step", get(imei::step))
        .route("/numbers/{msisdn}/esim", get(esim::show))
        .route("/numbers/{msisdn}/esim/issue", post(esim::issue))
        .route("/numbers/{msisdn}/esim/qr.png", get(esim::qr))
        .route("/numbers/{msisdn}/esim/ready", post(esim::ready))
        .route("/numbers/{msisdn}/esim/change", post(esim::change))
        .route("/numbers/{msisdn}/forwarding", get(forwarding::show).post(forwarding::add))
        .route("/numbers/{msisdn}/forwarding/{kind}/remove", get(forwarding::confirm_remove).post(forwarding::remove))
        .route("/numbers/{msisdn}/secret-code/{action}", get(secret_code::confirm).post(secret_code::request))
        .route("/numbers/{msisdn}/{operation}", get(operations::confirm_state).post(operations::request_state))
        .route(
            "/numbers/{msisdn}/services/{code}/{switch}",
            get(operations::confirm_service).post(operations::request_service),
        )
        .route("/numbers/{msisdn}/bans/{ban}/{switch}", get(operations::confirm_ban).post(operations::request_ban))
        .route("/transfer", get(transfer::show).post(transfer::transfer))
        .route("/transfer/confirm", post(transfer::confirm))
        .route("/reports", get(reports::list))
        .route("/reports/{id}/row", get(reports::row_fragment))
        .route("/reports/{id}/download", get(reports::download))
        .route("/reports/actions", get(history::show))
        .route("/reports/actions.xlsx", get(history::xlsx))
        .route("/reports/unallocated", get(unallocated::show))
        .route("/reports/invoice-numbers", get(invoice_search::show))
        .route("/reports/acts", get(acts::show))
        .route("/reports/acts/{file}", get(acts::file))
        .route("/reports/breakdown", get(breakdown::show))
        .route("/reports/register", get(statement_reports::register_form).post(statement_reports::register_request))
        .route(
            "/reports/reconciliation",
            get(statement_reports::reconciliation_form).post(statement_reports::reconciliation_request),
        )
        .route(
            "/reports/company-payments",
            get(statement_reports::payments_form).post(statement_reports::payments_request),
        )
        .route(
            "/reports/roaming-packages",
            get(statement_reports::roaming_packages_form).post(statement_reports::roaming_packages_request),
        )
        .route("/reports/number-list", get(mailed_reports::number_list).post(mailed_reports::request_number_list))
        .route("/reports/devices", get(mailed_reports::devices).post(mailed_reports::request_devices))
        .route("/company", post(company::switch))
        .route("/company/admins", get(company_admins::show).post(company_admins::grant))
        .route("/company/admins/{admin_id}/role", post(company_admins::set_role))
        .route("/company/admins/{admin_id}/remove", post(company_admins::remove))
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route("/account/email", post(account::change_email))
        .route("/account/email/{token}", get(account::confirm_email))
        .route("/account/sessions/end-others", post(account::end_other_sessions))
        .route("/account/companies/{company_id}", post(account::set_alias))
        .route("/selfcare", get(selfcare::show_signin).post(selfcare::sign_in))
        .route("/selfcare/number", get(selfcare::number))
        .route("/selfcare/usage", get(selfcare::usage))
        .route("/selfcare/signout", post(selfcare::sign_out))
        .route("/register/sent", get(register::sent))
        .route("/operator", get(operator::list))
        .route("/operator/signin", get(operator::show_signin).post(operator::sign_in))
        .route("/operator/signout", post(operator::sign_out))
        .route("/operator/requests/{id}", get(operator::show))
        .route("/operator/requests/{id}/letter", get(operator::letter))
        .route("/operator/requests/{id}/approve", post(operator::approve))
        .route("/operator/requests/{id}/reject", post(operator::reject))
        .route("/lang/{code}", get(lang::switch))
        .route("/dev/outbox", get(dev::outbox_page))
        .route("/dev/styleguide", get(dev::styleguide))
        .layer(RequestBodyLimitLayer::new(FORM_LIMIT));
    // Register carries the company's letter: its own, larger limit.
    let uploads = Router::new()
        .route("/register", get(register::show).post(register::submit))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .layer(RequestBodyLimitLayer::new(UPLOAD_LIMIT));
    let pages = pages
        .merge(uploads)
        .fallback(error::not_found)
        .layer(from_fn_with_state(state.clone(), error::error_pages))
        .layer(from_fn_with_state(state.clone(), visitor::visitor_layer));
    let plumbing = Router::new()
        .route("/assets/brand.css", get(assets::brand_css))
        .route("/assets/brand-logo", get(assets::brand_logo))
        .route("/assets/{*path}", get(assets::serve))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .layer(RequestBodyLimitLayer::new(FORM_LIMIT));
    Router::new()
        .merge(pages)
        .merge(plumbing)
        .layer(from_fn(ops::track))
        .layer(from_fn_with_state(state.clone(), ops::security_headers))
        .layer(from_fn_with_state(state.clone(), request::context))
        .with_state(state)
}
