//! One file per page (or family of pages): its handlers and its template structs.

pub mod account;
pub mod acts;
pub mod breakdown;
pub mod company;
pub mod dev;
pub mod esim;
pub mod forwarding;
pub mod history;
pub mod imei;
pub mod invoice_search;
pub mod lang;
pub mod mailed_reports;
pub mod number_head;
pub mod numbers;
pub mod operations;
pub mod password_reset;
pub mod payments;
pub mod payments_report;
pub mod profile;
pub mod reports;
pub mod secret_code;
pub mod signin;
pub mod statement_reports;
pub mod transfer;
pub mod unallocated;
pub mod usage;
