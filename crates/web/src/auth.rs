//! Who may do what. Every handler that shows a company's data takes a `Signed` (an
//! administrator past the one-time code) and asks it for the permission it needs; the
//! answer carries the company every query must be scoped by.

use crate::error::WebError;
use crate::visitor::Visitor;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use cabinet_core::{Bin, Locale};
use cabinet_store::sessions::{STAGE_ACTIVE, SessionContext};

/// What an administrator may do in a company. Roles grant sets of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See the company's numbers and their profiles.
    ViewNumbers,
    /// Change numbers: block, unblock, services, SIM, forwarding, devices.
    ManageNumbers,
    /// Read the company's actions history.
    ViewHistory,
    /// Move money between the company's numbers (balance transfer).
    TransferBalance,
    /// See payments and balance changes (payment history).
    ViewPayments,
    /// The accounting documents: invoices, acts, registers, reconciliation statements.
    ViewDocuments,
    /// Grant, change and remove other administrators' access to the company.
    ManageAdmins,
}

/// Which permissions a role grants. `full` is what the operator grants by default.
pub fn role_allows(role: &str, permission: Permission) -> bool {
    match permission {
        Permission::ViewNumbers | Permission::ViewHistory => {
            matches!(role, "full" | "operations" | "read_only" | "accountant")
        }
        Permission::ManageNumbers => matches!(role, "full" | "operations"),
        // Money is the accountant's, not the operations role's (issue 12's roles).
        Permission::TransferBalance => matches!(role, "full" | "accountant"),
        Permission::ViewPayments | Permission::ViewDocuments => matches!(role, "full" | "accountant" | "read_only"),
        Permission::ManageAdmins => role == "full",
    }
}

/// A signed-in administrator (past the one-time code).
#[derive(Debug, Clone)]
pub struct Signed {
    pub visitor: Visitor,
    pub session: SessionContext,
}

/// The company an authorised request works in.
#[derive(Debug, Clone)]
pub struct CompanyScope {
    pub company_id: String,
    pub bin: Bin,
}

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let visitor = parts.extensions.get::<Visitor>().cloned().ok_or(WebError::Internal)?;
        match visitor.session.clone() {
            Some(session) if session.stage == STAGE_ACTIVE => Ok(Signed { visitor, session }),
            _ => Err(WebError::SignInRequired),
        }
    }
}

impl Signed {
    pub fn locale(&self) -> Locale {
        self.visitor.locale
    }

    /// The current company, if the administrator holds the permission there.
    pub fn require(&self, permission: Permission) -> Result<CompanyScope, WebError> {
        let (Some(company_id), Some(bin), Some(role)) =
            (&self.session.company_id, &self.session.company_bin, &self.session.role)
        else {
            return Err(WebError::NoCompany(self.locale()));
        };
        if !role_allows(role, permission) {
            return Err(WebError::Forbidden(self.locale()));
        }
        let bin = Bin::stored(bin).map_err(|_| WebError::Internal)?;
        Ok(CompanyScope { company_id: company_id.clone(), bin })
    }
}

impl Signed {
    /// Who is acting, for the actions history.
    pub fn actor<'a>(&'a self, scope: &'a CompanyScope) -> cabinet_store::actions::Actor<'a> {
        cabinet_store::actions::Actor {
            company_id: &scope.company_id,
            admin_id: &self.session.admin_id,
            admin_name: &self.session.admin_name,
            admin_phone: &self.session.admin_phone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_roles_cannot_change_numbers() {
        for role in ["full", "operations"] {
            assert!(role_allows(role, Permission::ManageNumbers), "{role}");
        }
        for role in ["read_only", "accountant", "unknown"] {
            assert!(!role_allows(role, Permission::ManageNumbers), "{role}");
        }
        assert!(role_allows("accountant", Permission::ViewHistory));
        assert!(!role_allows("unknown", Permission::ViewNumbers));
    }
}
