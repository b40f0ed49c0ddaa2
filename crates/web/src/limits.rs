//! Sign-in limits: which counters a password or a code is charged to, and the known-device
//! cookie that keeps an administrator's own browser apart from strangers.
//!
//! A password is charged to its client address (every attempt), then either to the known
//! device it comes from, or — from an unknown device — to the pair (phone, address) and to
//! the phone across all addresses (a higher limit, against many addresses at once). So an
//! attacker who knows a phone locks only his own address, and even an attack from many
//! addresses does not lock the owner's own browser. A code is charged to the account,
//! across its codes, resends and parallel sign-ins. Counters are charged before the check
//! and given back when it succeeds, so that only failures count and attempts made at once
//! are all counted.

use crate::AppState;
use cabinet_core::Msisdn;
use cabinet_store::attempts::{self, Limit, Take};
use cabinet_store::{StoreError, ids};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::net::IpAddr;
use subtle::ConstantTimeEq;

pub const DEVICE_COOKIE: &str = "cabinet_device";
/// How long a browser stays known after a complete sign-in.
pub const DEVICE_TTL_MS: i64 = 180 * 24 * 3600 * 1000;

/// The network a limit is kept for: an IPv4 address, or an IPv6 /64 (one subscriber's
/// network: counting each of its addresses apart would give an attacker 2^64 tries).
pub fn network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

fn device_mac(secret: &str, device: &str, expires_ms: i64, phone: &Msisdn) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    m.update(format!("device:{device}:{expires_ms}:{phone}").as_bytes());
    ids::hex(&m.finalize().into_bytes())
}

/// The value of the known-device cookie for a browser that has just signed in as `phone`:
/// a random device id, its expiry and an HMAC binding both to the phone (which the cookie
/// does not carry). Nobody can make one without the server secret.
pub fn device_cookie(secret: &str, phone: &Msisdn, now_ms: i64) -> String {
    let device = ids::random_hex(16);
    let expires = now_ms + DEVICE_TTL_MS;
    format!("{device}.{expires}.{}", device_mac(secret, &device, expires, phone))
}

/// The device id, when `cookie` was set by a sign-in as `phone` and has not expired.
pub fn known_device(secret: &str, cookie: &str, phone: &Msisdn, now_ms: i64) -> Option<String> {
    let mut parts = cookie.split('.');
    let (device, expires, mac) = (parts.next()?, parts.next()?, parts.next()?);
    let expires: i64 = expires.parse().ok()?;
    if parts.next().is_some() || device.len() != 32 || expires <= now_ms {
        return None;
    }
    let good = device_mac(secret, device, expires, phone);
    bool::from(good.as_bytes().ct_eq(mac.as_bytes())).then(|| device.to_string())
}

/// A counter charged for an attempt, to give back if the attempt succeeds.
pub struct Charged {
    keys: Vec<String>,
}

/// Why an attempt was refused: the counter that is locked, and until when.
pub struct Refusal {
    pub scope: &'static str,
    pub until_ms: i64,
    /// This attempt locked it (log the lockout once).
    pub first: bool,
}

/// Charges `key`; on refusal gives back what `charged` holds (the attempt was not made).
async fn charge(
    state: &AppState,
    charged: &mut Charged,
    scope: &'static str,
    key: String,
    limit: Limit,
    now_ms: i64,
    give_back: bool,
) -> Result<Option<Refusal>, StoreError> {
    match attempts::take(&state.db, &key, limit, now_ms).await? {
        Take::Allowed => {
            if give_back {
                charged.keys.push(key);
            }
            Ok(None)
        }
        Take::Locked { until_ms, first } => {
            charged.give_back(state, now_ms).await?;
            Ok(Some(Refusal { scope, until_ms, first }))
        }
    }
}

impl Charged {
    /// The attempt succeeded: it does not count against the owner.
    pub async fn give_back(&mut self, state: &AppState, now_ms: i64) -> Result<(), StoreError> {
        for key in self.keys.drain(..) {
            attempts::give_back(&state.db, &key, now_ms).await?;
        }
        Ok(())
    }
}

/// A counter an attempt is charged to: its scope (for the log), key, limit, and whether it
/// is given back when the attempt succeeds.
type Step = (&'static str, String, Limit, bool);

/// Charges each step's counter in turn; the first one locked refuses the attempt (and what
/// was charged before it is given back).
async fn charge_steps(state: &AppState, steps: Vec<Step>, now_ms: i64) -> Result<Result<Charged, Refusal>, StoreError> {
    let mut charged = Charged { keys: Vec::new() };
    for (scope, key, limit, give_back) in steps {
        if let Some(refusal) = charge(state, &mut charged, scope, key, limit, now_ms, give_back).await? {
            return Ok(Err(refusal));
        }
    }
    Ok(Ok(charged))
}

/// Charges a password attempt for `phone` from `ip` (and `device`, when the browser is
/// known for this phone).
pub async fn charge_password(
    state: &AppState,
    phone: &Msisdn,
    ip: IpAddr,
    device: Option<&str>,
    now_ms: i64,
) -> Result<Result<Charged, Refusal>, StoreError> {
    let c = &state.config;
    let net = network(ip);
    // Every attempt from an address counts, right or wrong (spraying many phones).
    let mut steps = vec![("address", format!("signin-ip:{net}"), c.signin_limit_ip, false)];
    match device {
        Some(d) => steps.push(("device", format!("signin-device:{d}"), c.signin_limit_device, true)),
        None => {
            steps.push(("phone+address", format!("signin-pair:{phone}:{net}"), c.signin_limit_pair, true));
            steps.push(("phone", format!("signin-phone:{phone}"), c.signin_limit_phone, true));
        }
    }
    charge_steps(state, steps, now_ms).await
}

fn code_key(admin_id: &str) -> String {
    format!("otp-account:{admin_id}")
}

/// Wrong current passwords on My profile per account, then a pause: a session left open
/// must not let its finder guess the password.
const ACCOUNT_PASSWORD_LIMIT: Limit = Limit { max: 5, window_ms: 900_000, lock_ms: 900_000 };

/// Charges a check of the current password on My profile to the account.
pub async fn charge_account_password(
    state: &AppState,
    admin_id: &str,
    now_ms: i64,
) -> Result<Result<Charged, Refusal>, StoreError> {
    let key = format!("account-password:{admin_id}");
    charge_steps(state, vec![("account password", key, ACCOUNT_PASSWORD_LIMIT, true)], now_ms).await
}

/// Password recoveries asked for from one address in an hour (each sends an SMS or a mail).
const RESET_LIMIT_ADDRESS: Limit = Limit { max: 20, window_ms: 3_600_000, lock_ms: 0 };
/// Password recoveries of one phone in an hour, from anywhere.
const RESET_LIMIT_PHONE: Limit = Limit { max: 5, window_ms: 3_600_000, lock_ms: 0 };

/// Charges a request for a password recovery of `phone` from `ip` (every request counts:
/// each costs a message).
pub async fn charge_reset(
    state: &AppState,
    phone: &Msisdn,
    ip: IpAddr,
    now_ms: i64,
) -> Result<Result<Charged, Refusal>, StoreError> {
    let steps = vec![
        ("reset address", format!("reset-ip:{}", network(ip)), RESET_LIMIT_ADDRESS, false),
        ("reset phone", format!("reset-phone:{phone}"), RESET_LIMIT_PHONE, false),
    ];
    charge_steps(state, steps, now_ms).await
}

/// Self-care sign-ins from one address, right or wrong, before a pause (many numbers tried).
const SELFCARE_LIMIT_ADDRESS: Limit = Limit { max: 30, window_ms: 900_000, lock_ms: 900_000 };
/// Wrong secret codes for one number, from anywhere, before a pause: eight digits would
/// otherwise fall to a patient guesser.
const SELFCARE_LIMIT_NUMBER: Limit = Limit { max: 5, window_ms: 900_000, lock_ms: 900_000 };

/// Charges a self-care sign-in with `msisdn` from `ip`: every attempt to the address, and
/// to the number until the code proves right (given back then).
pub async fn charge_selfcare(
    state: &AppState,
    msisdn: &Msisdn,
    ip: IpAddr,
    now_ms: i64,
) -> Result<Result<Charged, Refusal>, StoreError> {
    let steps = vec![
        ("self-care address", format!("selfcare-ip:{}", network(ip)), SELFCARE_LIMIT_ADDRESS, false),
        ("self-care number", format!("selfcare-number:{msisdn}"), SELFCARE_LIMIT_NUMBER, true),
    ];
    charge_steps(state, steps, now_ms).await
}

/// Requests for access sent from one address in an hour (each stores a letter of up to 5 MB).
const REGISTER_LIMIT_ADDRESS: Limit = Limit { max: 10, window_ms: 3_600_000, lock_ms: 0 };

/// Charges a request for access (Register) to the client's address.
pub async fn charge_register(state: &AppState, ip: IpAddr, now_ms: i64) -> Result<Result<(), Refusal>, StoreError> {
    let key = format!("register-ip:{}", network(ip));
    Ok(charge_steps(state, vec![("register address", key, REGISTER_LIMIT_ADDRESS, false)], now_ms).await?.map(|_| ()))
}

/// Staff sign-ins from one address, right or wrong, before a pause.
const STAFF_LIMIT_ADDRESS: Limit = Limit { max: 20, window_ms: 900_000, lock_ms: 900_000 };
/// Wrong passwords for one staff login, from anywhere, before a pause.
const STAFF_LIMIT_LOGIN: Limit = Limit { max: 5, window_ms: 900_000, lock_ms: 900_000 };

/// Charges an operator console sign-in as `login` from `ip` (the login's counter is given
/// back when the password is right).
pub async fn charge_staff(
    state: &AppState,
    login: &str,
    ip: IpAddr,
    now_ms: i64,
) -> Result<Result<Charged, Refusal>, StoreError> {
    let steps = vec![
        ("staff address", format!("staff-ip:{}", network(ip)), STAFF_LIMIT_ADDRESS, false),
        ("staff login", format!("staff-login:{}", login.to_lowercase()), STAFF_LIMIT_LOGIN, true),
    ];
    charge_steps(state, steps, now_ms).await
}

/// Charges a code attempt to the administrator's account.
pub async fn charge_code(
    state: &AppState,
    admin_id: &str,
    now_ms: i64,
) -> Result<Result<Charged, Refusal>, StoreError> {
    let steps = vec![("account codes", code_key(admin_id), state.config.otp_limit_account, true)];
    charge_steps(state, steps, now_ms).await
}

/// Until when the account's code entry is locked, if it is (no code is sent meanwhile).
pub async fn codes_locked_until(state: &AppState, admin_id: &str, now_ms: i64) -> Result<Option<i64>, StoreError> {
    attempts::locked_until(&state.db, &code_key(admin_id), now_ms).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_limited_by_its_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(network(a), network(b));
        assert_eq!(network(a), "2001:db8:1:2::/64");
        assert_eq!(network("::ffff:10.0.0.7".parse().unwrap()), "10.0.0.7");
        assert_eq!(network("10.0.0.7".parse().unwrap()), "10.0.0.7");
    }

    #[test]
    fn a_device_cookie_is_known_only_for_its_phone_until_it_expires() {
        let alice = Msisdn::parse("77012112101").unwrap();
        let bob = Msisdn::parse("77752223344").unwrap();
        let cookie = device_cookie("secret", &alice, 1_000);
        let device = known_device("secret", &cookie, &alice, 2_000).expect("known for Alice");
        assert!(cookie.starts_with(&device));
        assert_eq!(known_device("secret", &cookie, &bob, 2_000), None, "not for another phone");
        assert_eq!(known_device("other", &cookie, &alice, 2_000), None, "not under another secret");
        assert_eq!(known_device("secret", &cookie, &alice, 1_000 + DEVICE_TTL_MS), None, "expired");
        let forged = cookie.replace(&format!(".{}.", 1_000 + DEVICE_TTL_MS), &format!(".{}.", 9_000 + DEVICE_TTL_MS));
        assert_eq!(known_device("secret", &forged, &alice, 2_000), None, "a longer life cannot be forged");
    }
}
