//! Cabinet's web layer: the routes, server-rendered pages, sessions, CSRF and languages.
//! Handlers are thin: they parse input into domain types, ask the store or the operator
//! port, and render a template. `router.rs` lists every route.

mod assets;
mod auth;
mod cache;
mod config;
mod csrf;
pub mod documents;
mod employee;
mod error;
mod export;
mod i18n;
pub mod invoice_files;
mod limits;
mod links;
mod lists;
pub mod ops;
mod pages;
pub mod registration;
mod render;
mod request;
mod router;
mod staff;
mod state;
pub mod statements;
mod visitor;

pub use config::{Brand, Logo, OperatorLegal, PublicOrigin, ServerSecret, TrustedProxies, WebConfig};
pub use export::Format;
pub use i18n::{Tr, catalog_keys};
/// What the actions history records of a transfer (the page and the transfer job agree).
pub use pages::transfer::recorded as transfer_recorded;
pub use router::router;
pub use state::AppState;
