//! The rows seeding writes, as plain values between generation and the database.

use cabinet_core::operator::{AllowanceKind, BillingMethod, NumberState};

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AccountRow {
    pub account_no: String,
    pub account_type: &'static str,
    pub billing: BillingMethod,
    pub credit_limit: Option<i64>,
    pub period_charges: i64,
    pub past_debt: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SubscriberRow {
    pub msisdn: String,
    pub account_no: String,
    pub tariff_code: &'static str,
    pub state: NumberState,
    pub state_changed_ms: i64,
    pub individual_limit: Option<i64>,
    pub period_spent: i64,
    pub balance: i64,
    pub roaming_debt: i64,
    pub registration_form: String,
    pub esim: bool,
    pub ban_ussd: bool,
    pub ban_selfcare_details: bool,
    pub ban_selfcare: bool,
    pub subscription_block: bool,
    pub hidden_caller_id: bool,
    pub in_roaming: bool,
    pub iccid: String,
    pub pin1: String,
    pub pin2: String,
    pub puk1: String,
    pub puk2: String,
    pub sim_replaced_ms: Option<i64>,
    pub last_imei: Option<String>,
    pub created_ms: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ServiceRow {
    pub msisdn: String,
    pub code: &'static str,
    pub activated_ms: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AllowanceRow {
    pub msisdn: String,
    /// "tariff" or the package's service code.
    pub source: &'static str,
    pub kind: AllowanceKind,
    pub unlimited: bool,
    pub available: i64,
    pub total: i64,
    pub connected_ms: i64,
    pub until_ms: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PhoneRow {
    pub msisdn: String,
    pub seq: i64,
    pub device_name: &'static str,
    pub device_type: &'static str,
    pub active: bool,
    pub activated_ms: i64,
    pub terminates_ms: i64,
    pub term_months: i64,
    pub monthly_payment: i64,
    pub contract_price: i64,
    pub promotion: &'static str,
}

/// A top-up of an advance number's balance.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PaymentRow {
    pub msisdn: String,
    /// kaspi | card | terminal
    pub channel: &'static str,
    pub reference: String,
    pub amount: i64,
    pub received_ms: i64,
}

/// Accounts with all their numbers and what hangs off them: one write transaction.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub accounts: Vec<AccountRow>,
    pub subscribers: Vec<SubscriberRow>,
    pub services: Vec<ServiceRow>,
    pub allowances: Vec<AllowanceRow>,
    pub phones: Vec<PhoneRow>,
    pub payments: Vec<PaymentRow>,
}
