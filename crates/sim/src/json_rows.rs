//! A number's small child tables read beside its row, in the same statement: each table as
//! one column holding a JSON array of its rows (arrays of their columns), from a scalar
//! subquery. On PostgreSQL each statement is a round trip, which costs more than these
//! lookups themselves; the profile and the usage details each read their number in one.

use crate::SimError;
use cabinet_store::Dialect;

/// The scalar subquery giving `columns` of the rows of `from` (a table and its WHERE) as a
/// JSON array, NULL when there are none. The rows come in no particular order.
pub(crate) fn column(dialect: Dialect, columns: &str, from: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("(SELECT json_group_array(json_array({columns})) FROM {from})"),
        Dialect::Postgres => format!("(SELECT CAST(json_agg(json_build_array({columns})) AS TEXT) FROM {from})"),
    }
}

/// One such column's rows, or none (PostgreSQL's aggregate of no rows is NULL).
pub(crate) fn parse<T: serde::de::DeserializeOwned>(json: Option<String>) -> Result<Vec<T>, SimError> {
    match json {
        None => Ok(Vec::new()),
        Some(j) => serde_json::from_str(&j).map_err(|e| SimError::BadData(format!("child rows: {e}"))),
    }
}
