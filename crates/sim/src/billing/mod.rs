//! Billing months: closing month M makes one invoice per account (per number: the tariff's
//! subscription, usage beyond the allowances by kind, services' monthly fees, packages
//! connected in M), with VAT at the rate in force for M, and posts it to the books in the
//! same store transaction.
//!
//! In the books an invoice is one transaction (kind `invoice`, key
//! `invoice:<account>:<YYYY-MM>`), net to `op:revenue` and VAT to `op:vat`, against:
//! - an advance account: each number's balance (`number:<msisdn>`), by its lines with their
//!   VAT less what its packages took from the balance when they were connected (charged
//!   then, without VAT). The invoice is settled so at once; a balance may go below zero, and
//!   that is the number's debt.
//! - a credit account: `account:<account_no>`, whose balance is minus the account's unpaid
//!   charges of past periods (`sim_accounts.past_debt`, the profile's past-period debt).
//!   The invoice stays unpaid until payments settle it.
//!
//! Payments (`payments`) go to a credit account through any channel, or wait at the
//! customer level (`customer:<bin>:unallocated`) until allocated to one; `daily` blocks
//! what is overdue every day.
//!
//! VAT is rounded half up per line (each line of an electronic invoice carries its own VAT);
//! an invoice's VAT is the sum of its lines', so every number's share is exact in tiyn.

pub(crate) mod charges;
pub(crate) mod close;
mod daily;
mod debt;
mod numbering;
pub(crate) mod payments;
pub(crate) mod post;
mod read;
mod statements;
pub(crate) mod usage_charges;
pub(crate) mod vat;

pub use close::{CloseReport, close_month};
pub use daily::{DailyReport, daily, daily_by_hand, daily_once};
pub use debt::{AccountPayment, block_overdue, pay_account};
pub(crate) use numbering::system_no;
pub use payments::{
    Allocated, IncomingPayment, PayTo, PaymentRefusal, Received, allocate, receive, unallocated_account,
};
pub(crate) use read::{invoice, invoices};
pub(crate) use statements::{register, settlement};
