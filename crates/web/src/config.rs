//! What the web layer needs to know about this installation.

use cabinet_core::Locale;
use cabinet_core::time::OperatorZone;
use cabinet_store::attempts::Limit;
use cabinet_store::otp::OtpPolicy;
use std::net::IpAddr;

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Shown in the header and in messages (white label).
    pub operator_name: String,
    /// Where customers send the payment allocation register (Unallocated payments).
    pub payments_email: String,
    /// The operator as a party to its accounting documents (acts, reconciliation statements).
    pub legal: OperatorLegal,
    /// The operator's colour and logo (white label): `/assets/brand.css` overrides the
    /// design tokens with them.
    pub brand: Brand,
    /// Prefixes (`701`) of the operator's own numbers: their codes go by SMS.
    pub operator_prefixes: Vec<String>,
    /// Developer pages (`/dev/outbox`) are served only in dev mode.
    pub dev_mode: bool,
    /// Cookies get Secure and the `__Host-` prefix (the portal is served over TLS).
    pub secure_cookies: bool,
    pub zone: OperatorZone,
    pub otp: OtpPolicy,
    pub default_locale: Locale,
    pub page_size: u32,
    /// Idle timeout: a session not used for this long ends (each request moves it on).
    pub session_ttl_ms: i64,
    /// Absolute timeout: a session ends this long after its sign-in, however busy.
    pub session_max_ms: i64,
    /// How long a job's claim holds it (`job_lease_seconds`): a transfer's page holds its
    /// safety-net job as long before a worker may ask the operator again.
    pub job_lease_ms: i64,
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
    // Deployment (issue 8).
    /// The configured server secret; None: the one generated into the store (dev only).
    pub secret: Option<ServerSecret>,
    pub trusted_proxies: TrustedProxies,
    pub public_origin: Option<PublicOrigin>,
}

impl WebConfig {
    pub fn is_operator_number(&self, msisdn: &cabinet_core::Msisdn) -> bool {
        self.operator_prefixes.iter().any(|p| p == msisdn.prefix())
    }

    /// Strict-Transport-Security is sent when visitors reach the portal over https.
    pub fn hsts(&self) -> bool {
        self.public_origin.as_ref().is_some_and(PublicOrigin::is_https)
    }
}

const MINUTE: i64 = 60 * 1000;

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            operator_name: "Cabinet Mobile".into(),
            payments_email: "payments@cabinet.example.kz".into(),
            legal: OperatorLegal::default(),
            brand: Brand::default(),
            operator_prefixes: ["701", "702", "775", "778"].map(String::from).to_vec(),
            dev_mode: false,
            secure_cookies: false,
            zone: OperatorZone::named("Asia/Almaty").expect("bundled zone"),
            otp: OtpPolicy::default(),
            default_locale: Locale::Ru,
            page_size: 20,
            session_ttl_ms: 30 * 60 * 1000,
            session_max_ms: 12 * 3600 * 1000,
            job_lease_ms: 6_000,
            signin_limit_ip: Limit { max: 50, window_ms: 15 * MINUTE, lock_ms: 0 },
            signin_limit_pair: Limit { max: 5, window_ms: 15 * MINUTE, lock_ms: 15 * MINUTE },
            signin_limit_phone: Limit { max: 20, window_ms: 15 * MINUTE, lock_ms: 15 * MINUTE },
            signin_limit_device: Limit { max: 5, window_ms: 15 * MINUTE, lock_ms: 15 * MINUTE },
            // Ten wrong codes an hour, then an hour's pause: a guesser who knows the
            // password gets about ten guesses in two hours, not two thousand an hour.
            otp_limit_account: Limit { max: 10, window_ms: 60 * MINUTE, lock_ms: 60 * MINUTE },
            secret: None,
            trusted_proxies: TrustedProxies::default(),
            public_origin: None,
        }
    }
}

// --- White label: the operator's colour and logo ---

/// A colour given as `#rgb` or `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn parse(s: &str) -> Result<Rgb, String> {
        let bad = || format!("{s:?} is not a colour written as #rrggbb or #rgb");
        let hex = s.trim().strip_prefix('#').ok_or_else(bad)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let digit = |i: usize, w: usize| u8::from_str_radix(&hex[i..i + w], 16).map_err(|_| bad());
        match hex.len() {
            6 => Ok(Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            3 => Ok(Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            _ => Err(bad()),
        }
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance.
    fn luminance(self) -> f64 {
        let c = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * c(self.0) + 0.7152 * c(self.1) + 0.0722 * c(self.2)
    }

    /// WCAG contrast ratio between two colours (1 to 21).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// This colour mixed with `other` (`share` of `other`, 0.0 to 1.0).
    pub fn mix(self, other: Rgb, share: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) * (1.0 - share) + f64::from(b) * share).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

const WHITE: Rgb = Rgb(255, 255, 255);
const BLACK: Rgb = Rgb(0, 0, 0);

/// The operator's logo, read from `brand.logo_file` at start and served at
/// `/assets/brand-logo`.
#[derive(Debug, Clone)]
pub struct Logo {
    pub content_type: &'static str,
    pub bytes: std::sync::Arc<[u8]>,
}

impl Logo {
    /// An SVG or PNG logo file (at most 256 KiB).
    pub fn read(path: &std::path::Path) -> Result<Logo, String> {
        let content_type = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("svg") => "image/svg+xml",
            Some("png") => "image/png",
            _ => return Err(format!("brand.logo_file {} must be an .svg or .png file", path.display())),
        };
        let bytes = std::fs::read(path).map_err(|e| format!("reading brand.logo_file {}: {e}", path.display()))?;
        if bytes.is_empty() || bytes.len() > 256 * 1024 {
            return Err(format!("brand.logo_file {} must hold 1 byte to 256 KiB", path.display()));
        }
        Ok(Logo { content_type, bytes: bytes.into() })
    }
}

/// The white label's look: the primary colour (header, buttons, links, focus) and a logo.
#[derive(Debug, Clone, Default)]
pub struct Brand {
    pub primary: Option<Rgb>,
    pub logo: Option<Logo>,
}

impl Brand {
    /// A primary colour is used for links and buttons on white: it must reach WCAG AA
    /// (4.5:1) against white.
    pub fn check_primary(s: &str) -> Result<Rgb, String> {
        let c = Rgb::parse(s).map_err(|e| format!("brand.primary: {e}"))?;
        let ratio = c.contrast(WHITE);
        if ratio < 4.5 {
            return Err(format!(
                "brand.primary {s} has a contrast of {ratio:.1}:1 against white; links and buttons need at least \
                 4.5:1 (WCAG AA): pick a darker shade"
            ));
        }
        Ok(c)
    }

    /// `/assets/brand.css`: the design tokens the brand overrides (empty without a brand).
    pub fn css(&self) -> String {
        let Some(c) = self.primary else {
            return "/* No brand colours configured: app.css's tokens apply. */\n".to_string();
        };
        let on = if c.contrast(WHITE) >= c.contrast(BLACK) { WHITE } else { BLACK };
        format!(
            "/* Generated from [brand] in the configuration. */\n:root {{\n  --color-brand: {};\n  \
             --color-brand-strong: {};\n  --color-on-brand: {};\n  --color-brand-soft: {};\n  \
             --color-brand-tint: {};\n}}\n",
            c.hex(),
            c.mix(BLACK, 0.2).hex(),
            on.hex(),
            c.mix(WHITE, 0.88).hex(),
            c.mix(WHITE, 0.95).hex(),
        )
    }
}

// --- Deployment (issue 8): the server secret, reverse proxies, the public origin ---

/// The server's secret as configured by the operator (never printed).
#[derive(Clone)]
pub struct ServerSecret(pub String);

impl std::fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecret(…)")
    }
}

/// Reverse proxies whose `X-Forwarded-For` and `X-Request-Id` are believed: addresses and
/// CIDR networks. Empty: no proxy, the peer is the client.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for item in items {
            let item = item.as_ref().trim();
            let (addr, bits) = match item.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (item, None),
            };
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| format!("trusted_proxies: {item:?} is not an IP address or a network like 10.0.0.0/8"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                None => max,
                Some(b) => b
                    .parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("trusted_proxies: {item:?} has a bad prefix length"))?,
            };
            nets.push((addr.to_canonical(), bits));
        }
        Ok(TrustedProxies(nets))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|&(net, bits)| match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(u32::from(n).into(), u32::from(a).into(), bits, 32),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(u128::from(n), u128::from(a), bits, 128),
            _ => false,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether the first `bits` of two `width`-bit addresses agree.
fn prefix_eq(a: u128, b: u128, bits: u8, width: u32) -> bool {
    let shift = width - u32::from(bits);
    shift >= width || (a >> shift) == (b >> shift)
}

/// The scheme, host and port visitors reach the portal at (`https://cabinet.example.kz`),
/// as a browser writes it in `Origin`: the CSRF check compares with it, and an https one
/// turns on Secure `__Host-` cookies and HSTS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicOrigin(String);

impl PublicOrigin {
    pub fn parse(s: &str) -> Result<PublicOrigin, String> {
        let bad = || format!("public_origin must look like https://cabinet.example.kz (scheme, host, port), not {s:?}");
        let (scheme, rest) = s.trim().split_once("://").ok_or_else(bad)?;
        let scheme = scheme.to_ascii_lowercase();
        let authority = rest.strip_suffix('/').unwrap_or(rest).to_ascii_lowercase();
        if !matches!(scheme.as_str(), "http" | "https")
            || authority.is_empty()
            || authority.contains(['/', '?', '#', '@', ' '])
        {
            return Err(bad());
        }
        // A browser leaves the scheme's default port out of Origin.
        let authority = match authority.rsplit_once(':') {
            Some((host, port)) if !host.is_empty() && !port.contains(']') => {
                let port: u16 = port.parse().map_err(|_| bad())?;
                let default = if scheme == "https" { 443 } else { 80 };
                if port == default { host.to_string() } else { format!("{host}:{port}") }
            }
            _ => authority,
        };
        Ok(PublicOrigin(format!("{scheme}://{authority}")))
    }

    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether a request's `Origin` header names this origin.
    pub fn matches(&self, origin: &str) -> bool {
        PublicOrigin::parse(origin).is_ok_and(|o| o == *self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brand_colours_are_checked_and_become_tokens() {
        assert_eq!(Rgb::parse("#5B2D8E"), Ok(Rgb(0x5b, 0x2d, 0x8e)));
        assert_eq!(Rgb::parse("#fff"), Ok(Rgb(255, 255, 255)));
        for bad in ["5b2d8e", "#5b2d8", "#ggg", "red", "#5b2d8e; } body { x", ""] {
            assert!(Rgb::parse(bad).is_err(), "{bad}");
        }
        // Yellow on white cannot carry links.
        assert!(Brand::check_primary("#ffd400").unwrap_err().contains("4.5:1"));
        let brand = Brand { primary: Some(Brand::check_primary("#005a9c").unwrap()), logo: None };
        let css = brand.css();
        assert!(css.contains("--color-brand: #005a9c;"), "{css}");
        assert!(css.contains("--color-on-brand: #ffffff;"), "{css}");
        assert!(!Brand::default().css().contains("--color-brand"));
    }

    #[test]
    fn trusted_proxies_match_addresses_and_networks() {
        let p = TrustedProxies::parse(&["127.0.0.1", "10.0.0.0/8", "fd00::/8"]).unwrap();
        for yes in ["127.0.0.1", "10.1.2.3", "fd12::1", "::ffff:10.9.9.9"] {
            assert!(p.contains(yes.parse().unwrap()), "{yes}");
        }
        for no in ["127.0.0.2", "11.0.0.1", "fe80::1", "::1"] {
            assert!(!p.contains(no.parse().unwrap()), "{no}");
        }
        assert!(TrustedProxies::parse(&["0.0.0.0/0"]).unwrap().contains("203.0.113.9".parse().unwrap()));
        assert!(TrustedProxies::parse(&["10.0.0.0/33"]).is_err());
        assert!(TrustedProxies::parse(&["proxy.local"]).is_err());
    }

    #[test]
    fn public_origins_are_written_as_browsers_write_origin() {
        let o = PublicOrigin::parse("HTTPS://Cabinet.Example.kz:443/").unwrap();
        assert_eq!(o.as_str(), "https://cabinet.example.kz");
        assert!(o.is_https());
        assert!(o.matches("https://cabinet.example.kz"));
        assert!(!o.matches("http://cabinet.example.kz"));
        assert!(!o.matches("https://cabinet.example.kz.evil.com"));
        assert!(!o.matches("null"));
        assert_eq!(PublicOrigin::parse("http://10.0.0.5:8080").unwrap().as_str(), "http://10.0.0.5:8080");
        assert_eq!(PublicOrigin::parse("https://[::1]:8443").unwrap().as_str(), "https://[::1]:8443");
        for bad in ["cabinet.example.kz", "ftp://x", "https://x/cabinet", "https://u@x", "https://x:99999", "https://"]
        {
            assert!(PublicOrigin::parse(bad).is_err(), "{bad}");
        }
    }
}

/// The operator's legal details, as its acts and statements name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorLegal {
    pub name: String,
    pub bin: String,
    pub address: String,
    pub bank: String,
    /// The account (IBAN) payments go to.
    pub iban: String,
    pub bik: String,
    /// Who signs documents for the operator.
    pub signatory: String,
}

impl Default for OperatorLegal {
    /// A made-up operator for the demo: replaced by the real one's in `[legal]`.
    fn default() -> Self {
        OperatorLegal {
            name: "АО «Кабинет Мобайл»".into(),
            bin: "990140000136".into(),
            address: "050000, г. Алматы, пр. Абая, 1".into(),
            bank: "АО «Народный Банк Казахстана»".into(),
            iban: "KZ836010002000000001".into(),
            bik: "HSBKKZKX".into(),
            signatory: "Ахметов А. А.".into(),
        }
    }
}
