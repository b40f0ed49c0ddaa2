//! The `cabinet` binary's library half: configuration, wiring of the store, the operator
//! simulator and the web layer, and the operator-staff commands. `main.rs` only parses
//! the command line and calls into here, so that tests can start the same portal.

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
mod deliver;
pub mod demo;
pub mod housekeeping;
mod report;
pub mod telemetry;
pub mod worker;
