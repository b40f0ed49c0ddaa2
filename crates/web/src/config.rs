//! What the web layer needs to know about this installation.

use cabinet_core::Locale;
use cabinet_core::time::OperatorZone;
use cabinet_store::attempts::Limit;
use cabinet_store::otp::OtpPolicy;

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Shown in the header and in messages (white label).
    pub operator_name: String,
    /// Prefixes (`701`) of the operator's own numbers: their codes go by SMS.
    pub operator_prefixes: Vec<String>,
    /// Developer pages (`/dev/outbox`) are served only in dev mode.
    pub dev_mode: bool,
    /// Set the Secure flag on cookies (the portal is served over TLS).
    pub secure_cookies: bool,
    pub zone: OperatorZone,
    pub otp: OtpPolicy,
    pub default_locale: Locale,
    pub page_size: u32,
    pub session_ttl_ms: i64,
    /// Sign-in attempts allowed per phone number and per client address.
    pub signin_limit_phone: Limit,
    pub signin_limit_ip: Limit,
}

impl WebConfig {
    pub fn is_operator_number(&self, msisdn: &cabinet_core::Msisdn) -> bool {
        self.operator_prefixes.iter().any(|p| p == msisdn.prefix())
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            operator_name: "Cabinet Mobile".into(),
            operator_prefixes: ["701", "702", "775", "778"].map(String::from).to_vec(),
            dev_mode: false,
            secure_cookies: false,
            zone: OperatorZone::named("Asia/Almaty").expect("bundled zone"),
            otp: OtpPolicy::default(),
            default_locale: Locale::Ru,
            page_size: 20,
            session_ttl_ms: 8 * 3600 * 1000,
            signin_limit_phone: Limit { max: 10, window_ms: 15 * 60 * 1000 },
            signin_limit_ip: Limit { max: 50, window_ms: 15 * 60 * 1000 },
        }
    }
}
