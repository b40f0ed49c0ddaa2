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
    /// Password attempts from one client address (IPv6: its /64), right or wrong.
    pub signin_limit_ip: Limit,
    /// Wrong passwords for one phone from one address (unknown devices).
    pub signin_limit_pair: Limit,
    /// Wrong passwords for one phone from unknown devices, all addresses together: higher
    /// than the pair's, so that only an attack from many addresses reaches it.
    pub signin_limit_phone: Limit,
    /// Wrong passwords from one known device (a browser that signed in as this phone).
    pub signin_limit_device: Limit,
    /// Wrong one-time codes per account, across its codes, resends and sign-ins.
    pub otp_limit_account: Limit,
}

impl WebConfig {
    pub fn is_operator_number(&self, msisdn: &cabinet_core::Msisdn) -> bool {
        self.operator_prefixes.iter().any(|p| p == msisdn.prefix())
    }
}

const MINUTE: i64 = 60 * 1000;

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
            signin_limit_ip: Limit { max: 50, window_ms: 15 * MINUTE, lock_ms: 0 },
            signin_limit_pair: Limit { max: 5, window_ms: 15 * MINUTE, lock_ms: 15 * MINUTE },
            signin_limit_phone: Limit { max: 20, window_ms: 15 * MINUTE, lock_ms: 15 * MINUTE },
            signin_limit_device: Limit { max: 5, window_ms: 15 * MINUTE, lock_ms: 15 * MINUTE },
            // Ten wrong codes an hour, then an hour's pause: a guesser who knows the
            // password gets about ten guesses in two hours, not two thousand an hour.
            otp_limit_account: Limit { max: 10, window_ms: 60 * MINUTE, lock_ms: 60 * MINUTE },
        }
    }
}
