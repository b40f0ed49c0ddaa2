//! One file per page (or family of pages): its handlers and its template structs.

pub mod company;
pub mod dev;
pub mod lang;
pub mod numbers;
pub mod profile;
pub mod signin;
