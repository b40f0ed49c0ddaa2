//! Operator staff's commands: seed simulated customers, create companies and
//! administrators, grant access, make operator console accounts, decide companies'
//! requests for access, read the outbox, close billing months, record
//! payments and run the day's billing. Each validates its arguments first and
//! changes nothing when one is wrong.

mod admin;
mod billing;
mod company;
mod outbox;
mod payments;
mod requests;
mod seed;
mod staff;

pub use admin::{AdminArgs, AdminArgsOwned, ROLES, admin_create, admin_grant};
pub use billing::{close as billing_close, close_args as billing_close_args};
pub use company::company_create;
pub use outbox::print_outbox;
pub use payments::{
    PayArgs, allocate as billing_allocate, allocate_args as billing_allocate_args, daily as billing_daily,
    pay as billing_pay, pay_args as billing_pay_args,
};
pub use requests::{approve as requests_approve, list as requests_list, reject as requests_reject};
pub use seed::{default_bin, seed, seed_leaving_open};
pub use staff::{staff_create, staff_password, staff_remove};
