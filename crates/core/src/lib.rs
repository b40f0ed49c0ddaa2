//! Cabinet's domain: the values a user types and reads (numbers, BIN/IIN, ICCID, IMEI,
//! money, dates), the languages, and the operator port — everything Cabinet asks of the
//! operator's billing and network. No I/O lives here: the store, the simulator and the web
//! layer depend on this crate, never the other way round.

pub mod email;
pub mod ids;
pub mod locale;
pub mod money;
pub mod operator;
pub mod password_rules;
pub mod rules;
pub mod time;

pub use ids::{Bin, BinError, Iccid, IccidError, IdError, Imei, ImeiError, Msisdn, MsisdnError};
pub use locale::{Locale, Localized};
pub use money::Money;
