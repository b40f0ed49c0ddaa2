//! Integration tests: the real portal on a random loopback port, spoken to over HTTP, on
//! the store that CABINET_TEST_DATABASE_URL names (SQLite by default, or PostgreSQL).

mod access;
mod account;
mod cli;
mod company_admins;
mod delivery;
mod deploy;
mod documents;
mod fuzz;
mod gateways;
mod helpers;
mod inputs;
mod jobs;
mod lists;
mod numbers;
mod observability;
mod operations;
mod ops;
mod password_reset;
mod payments;
mod registration;
mod reports;
mod roles;
mod scoping;
mod security;
mod selfcare;
mod signin;
mod transfer;
mod unallocated;
mod usage;
mod worker;
