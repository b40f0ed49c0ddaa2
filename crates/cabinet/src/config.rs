//! Settings, layered: built-in defaults, then `cabinet.toml` (or `--config FILE`), then
//! `CABINET_*` environment variables, then command-line flags. Later layers win.
//!
//! A key that no setting reads is an error, at any depth: after extraction the settings are
//! written back and every key given must appear there. So a new section is just a field of
//! `Settings` (a struct of its own); nothing else needs to know about it.

use anyhow::{Context, Result, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::{Dict, Value};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Address the portal listens on.
    pub listen: String,
    /// Folder for the embedded SQLite store and other files.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://<data_dir>/cabinet.db`.
    pub database_url: String,
    /// Seed a demo operator, companies and administrators into an empty store at start.
    /// Unset: on only when only this machine can reach the portal (`local_only`).
    pub demo: Option<bool>,
    /// Developer pages (the outbox) and the generated secret. Unset: as `demo` when
    /// `local_only`, off otherwise.
    pub dev: Option<bool>,
    /// The operator's time zone: every date is shown and every period cut in it.
    pub time_zone: String,
    /// The operator's name, shown in the header (white label).
    pub operator_name: String,
    /// The operator's colour and logo (`[brand]`, white label).
    #[serde(default)]
    pub brand: BrandSettings,
    /// The operator's legal details on its acts and statements (`[legal]`).
    #[serde(default)]
    pub legal: LegalSettings,
    /// Where customers send the payment allocation register for their unallocated payments
    /// (Documents and reports → Unallocated payments).
    pub payments_email: String,
    /// The operator's own prefixes, comma-separated: their one-time codes go by SMS.
    pub operator_prefixes: String,
    /// Log as JSON lines instead of text.
    pub log_json: bool,
    /// Cookies get Secure and the `__Host-` prefix. Unset: when `public_origin` is https.
    pub secure_cookies: Option<bool>,
    /// Seconds before "Send code again" is allowed.
    pub otp_resend_seconds: i64,
    /// A signed-in session ends after this many minutes without a request (idle timeout).
    pub session_idle_minutes: i64,
    /// and after this many hours in all, however busy (absolute timeout).
    pub session_max_hours: i64,
    /// Language for visitors who have not picked one: ru, en or kk.
    pub default_language: String,
    /// Numbers per page in Number management.
    pub page_size: u32,
    /// The simulated network's delay from request to outcome, in milliseconds.
    pub sim_delay_ms: i64,
    /// The share of simulated requests that fail (0.0 to 1.0).
    pub sim_failure_rate: f64,
    /// How long the simulated billing takes to answer a balance transfer (0: at once).
    pub sim_transfer_delay_ms: i64,
    /// How long a worker holds a job before another process may take it over, in seconds.
    pub job_lease_seconds: i64,
    /// Run the job worker in this process.
    pub worker: bool,
    /// E-mail delivery (`[smtp]`): one-time codes for other operators' numbers, reports.
    /// Required unless dev mode is on (dev mode keeps undelivered messages in the outbox).
    pub smtp: Option<cabinet_delivery::smtp::SmtpSettings>,
    /// SMS delivery through a Kannel-style gateway (`[sms]`): one-time codes, secret codes,
    /// results. Required unless dev mode is on.
    pub sms: Option<cabinet_delivery::sms::SmsSettings>,

    // --- Deployment (issue 8): the server secret, reverse proxies, the public origin ---
    /// The server's secret (keys one-time codes and CSRF tokens), at least 32 characters.
    /// Kept out of the store so that a copy of the database does not reveal it.
    pub secret: Option<Secret>,
    /// A file holding the server's secret (surrounding whitespace ignored).
    pub secret_file: Option<PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Request-Id` are believed: addresses
    /// or networks (`10.0.0.0/8`), as a list or a comma-separated string.
    #[serde(deserialize_with = "list_or_string")]
    pub trusted_proxies: Vec<String>,
    /// Where visitors reach the portal (`https://cabinet.example.kz`): the CSRF Origin check
    /// compares with it; https turns on Secure `__Host-` cookies and HSTS.
    pub public_origin: Option<String>,
}

/// `[legal]`: the operator as a party to its documents. Unset keys keep the demo operator's.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LegalSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The operator's BIN (12 digits with a valid control digit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bik: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signatory: Option<String>,
}

impl LegalSettings {
    fn details(&self) -> anyhow::Result<cabinet_web::OperatorLegal> {
        let mut d = cabinet_web::OperatorLegal::default();
        if let Some(bin) = &self.bin {
            d.bin = cabinet_core::Bin::parse(bin).map_err(|e| anyhow::anyhow!("legal.bin: {e}"))?.as_str().to_string();
        }
        let text = [
            (&self.name, &mut d.name),
            (&self.address, &mut d.address),
            (&self.bank, &mut d.bank),
            (&self.iban, &mut d.iban),
            (&self.bik, &mut d.bik),
            (&self.signatory, &mut d.signatory),
        ];
        for (value, field) in text {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                *field = v.to_string();
            }
        }
        Ok(d)
    }
}

/// `[brand]`: the white label's look. Unset keys keep the portal's own.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BrandSettings {
    /// The primary colour (`#rrggbb`): header, buttons, links, focus ring. It must have a
    /// contrast of at least 4.5:1 against white.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary: Option<String>,
    /// An SVG or PNG logo shown in the header before the operator's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_file: Option<PathBuf>,
}

/// The server's secret as configured (never printed).
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The shortest secret accepted: 32 characters (`openssl rand -hex 32` makes 64).
pub const MIN_SECRET_LEN: usize = 32;

/// `["10.0.0.1", "10.0.0.0/8"]` in a file, or `10.0.0.1, 10.0.0.0/8` in one variable.
fn list_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrString {
        List(Vec<String>),
        One(String),
    }
    Ok(match ListOrString::deserialize(d)? {
        ListOrString::List(v) => v,
        ListOrString::One(s) => {
            s.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
        }
    })
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: String::new(),
            demo: None,
            dev: None,
            time_zone: "Asia/Almaty".into(),
            operator_name: "Cabinet Mobile".into(),
            brand: BrandSettings::default(),
            legal: LegalSettings::default(),
            payments_email: "payments@cabinet.example.kz".into(),
            operator_prefixes: "701,702,775,778".into(),
            log_json: false,
            secure_cookies: None,
            otp_resend_seconds: 60,
            session_idle_minutes: 30,
            session_max_hours: 12,
            default_language: "ru".into(),
            page_size: 20,
            sim_delay_ms: 3000,
            sim_failure_rate: 0.0,
            sim_transfer_delay_ms: 0,
            job_lease_seconds: 6,
            worker: true,
            smtp: None,
            sms: None,
            secret: None,
            secret_file: None,
            trusted_proxies: Vec::new(),
            public_origin: None,
        }
    }
}

/// Flags given on the command line; only those present override the other layers.
#[derive(Debug, Default, Clone, Serialize)]
pub struct FlagOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dev: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_json: Option<bool>,
}

impl Settings {
    pub fn load(config_file: Option<&PathBuf>, flags: &FlagOverrides) -> Result<Settings> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        match config_file {
            Some(path) => {
                if !path.exists() {
                    bail!("configuration file {} does not exist", path.display());
                }
                fig = fig.merge(Toml::file(path));
            }
            None => fig = fig.merge(Toml::file("cabinet.toml")),
        }
        // Other CABINET_* variables exist (CABINET_LOG, CABINET_ADMIN_PASSWORD, test
        // variables): only the names of settings are taken. Nested keys: CABINET_A__B.
        let known = known_keys(&Settings::default());
        let env = Env::prefixed("CABINET_").split("__").filter(move |k| {
            k.as_str().split('.').next().is_some_and(|top| known.iter().any(|n| n.eq_ignore_ascii_case(top)))
        });
        Settings::extract(fig.merge(env).merge(Serialized::defaults(flags)))
    }

    /// Settings from a figment; refuses keys that no setting reads, and bad values.
    pub fn extract(fig: Figment) -> Result<Settings> {
        let settings: Settings = extract_strict(&fig)?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<()> {
        if cabinet_core::Locale::from_code(&self.default_language).is_none() {
            bail!("default_language must be ru, en or kk, not {:?}", self.default_language);
        }
        cabinet_core::time::OperatorZone::named(&self.time_zone)
            .with_context(|| format!("unknown time zone {:?}", self.time_zone))?;
        for p in self.prefixes() {
            if p.len() != 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                bail!("operator_prefixes must be three-digit prefixes like 701, not {p:?}");
            }
        }
        if !(1..=1440).contains(&self.session_idle_minutes) || !(1..=168).contains(&self.session_max_hours) {
            bail!("session_idle_minutes must be 1 to 1440 and session_max_hours 1 to 168");
        }
        if self.session_idle_minutes > self.session_max_hours * 60 {
            bail!("session_idle_minutes cannot be longer than session_max_hours");
        }
        if !(1..=500).contains(&self.page_size) {
            bail!("page_size must be between 1 and 500");
        }
        if !(0.0..=1.0).contains(&self.sim_failure_rate) {
            bail!("sim_failure_rate must be between 0.0 and 1.0");
        }
        if self.sim_delay_ms < 0 || self.sim_transfer_delay_ms < 0 || self.job_lease_seconds < 1 {
            bail!("sim_delay_ms and sim_transfer_delay_ms must be 0 or more, job_lease_seconds 1 or more");
        }
        cabinet_web::TrustedProxies::parse(&self.trusted_proxies).map_err(anyhow::Error::msg)?;
        if let Some(p) = &self.brand.primary {
            cabinet_web::Brand::check_primary(p).map_err(anyhow::Error::msg)?;
        }
        self.legal.details()?;
        let origin = self
            .public_origin
            .as_deref()
            .map(cabinet_web::PublicOrigin::parse)
            .transpose()
            .map_err(anyhow::Error::msg)?;
        self.secure_cookies(origin.as_ref())?;
        Ok(())
    }

    /// The delivery channels these settings describe. Without dev mode both must be
    /// configured: a portal that cannot deliver codes would accept sign-ins that can never
    /// finish. Checked when serving, not for the operator-staff commands.
    pub fn channels(&self) -> Result<cabinet_delivery::Channels> {
        use cabinet_delivery::{Channels, sms::SmsGateway, smtp::SmtpChannel};
        let mut missing = Vec::new();
        if self.sms.is_none() {
            missing.push("[sms] (url, username, password of the SMS gateway)");
        }
        if self.smtp.is_none() {
            missing.push("[smtp] (host, port, security, user, password, from)");
        }
        if !self.dev_mode() && !missing.is_empty() {
            bail!(
                "dev mode is off, so one-time codes must really be delivered, but {} {} not configured: \
                 set them in cabinet.toml (see cabinet.example.toml) or as CABINET_SMS__URL, CABINET_SMTP__HOST, …; \
                 or run with --dev true to keep messages in the outbox",
                missing.join(" and "),
                if missing.len() == 1 { "is" } else { "are" }
            );
        }
        // Links in mails (password recovery, e-mail confirmation) must point at the address
        // users reach; a Host header is trusted only on loopback (`cabinet_web` links.rs).
        if !self.dev_mode() && !self.local_only() && self.public_origin.is_none() {
            bail!(
                "dev mode is off and other machines can reach the portal, so set public_origin \
                 (e.g. https://cabinet.example.kz, or CABINET_PUBLIC_ORIGIN): password-recovery and \
                 e-mail confirmation links point at it"
            );
        }
        let sms = match &self.sms {
            Some(s) => Some(std::sync::Arc::new(SmsGateway::new(s).map_err(anyhow::Error::msg)?) as _),
            None => None,
        };
        let email = match &self.smtp {
            Some(s) => Some(std::sync::Arc::new(SmtpChannel::new(s).map_err(anyhow::Error::msg)?) as _),
            None => None,
        };
        Ok(Channels { sms, email })
    }

    pub fn prefixes(&self) -> Vec<String> {
        self.operator_prefixes.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
    }

    /// Whether only this machine can reach the portal: `listen` is a loopback address (a
    /// name other than localhost counts as reachable) and no reverse proxy is configured
    /// (behind one, a loopback address serves the world).
    pub fn local_only(&self) -> bool {
        let loopback = match self.listen.parse::<SocketAddr>() {
            Ok(a) => a.ip().is_loopback(),
            Err(_) => self.listen.rsplit_once(':').is_some_and(|(host, _)| host.eq_ignore_ascii_case("localhost")),
        };
        loopback && self.public_origin.is_none() && self.trusted_proxies.is_empty()
    }

    /// Demo data: as set, else only when local.
    pub fn demo(&self) -> bool {
        self.demo.unwrap_or_else(|| self.local_only())
    }

    /// Developer pages and the generated secret: as set, else as `demo` when local; never
    /// by default otherwise.
    pub fn dev_mode(&self) -> bool {
        self.dev.unwrap_or_else(|| self.local_only() && self.demo())
    }

    /// The configured server secret, from `secret` or `secret_file`; None when neither is
    /// set (then only dev mode may run, on the store's generated one).
    pub fn server_secret(&self) -> Result<Option<String>> {
        let (secret, from) = match (&self.secret, &self.secret_file) {
            (Some(_), Some(_)) => bail!("set either secret or secret_file, not both"),
            (Some(s), None) => (s.0.trim().to_string(), "secret (or CABINET_SECRET)".to_string()),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading the server secret from secret_file {}", path.display()))?;
                (text.trim().to_string(), format!("secret_file {}", path.display()))
            }
            (None, None) => return Ok(None),
        };
        let len = secret.chars().count();
        if len < MIN_SECRET_LEN {
            bail!(
                "the server secret from {from} is {len} characters long; it must have at least {MIN_SECRET_LEN} \
                 (make one with `openssl rand -hex 32`)"
            );
        }
        Ok(Some(secret))
    }

    /// Cookies are Secure (with the `__Host-` prefix) when set so, or when visitors come
    /// over https.
    fn secure_cookies(&self, origin: Option<&cabinet_web::PublicOrigin>) -> Result<bool> {
        let https = origin.is_some_and(cabinet_web::PublicOrigin::is_https);
        match self.secure_cookies {
            Some(false) if https => bail!("secure_cookies = false contradicts the https public_origin"),
            Some(v) => Ok(v),
            None => Ok(https),
        }
    }

    /// The store's URL: the configured one, or the SQLite file in the data folder.
    pub fn database_url(&self) -> Result<String> {
        if !self.database_url.is_empty() {
            return Ok(self.database_url.clone());
        }
        std::fs::create_dir_all(&self.data_dir).with_context(|| format!("creating {}", self.data_dir.display()))?;
        Ok(format!("sqlite://{}", self.data_dir.join("cabinet.db").display()))
    }

    /// The web layer's view of these settings. Refuses to serve outside dev mode without a
    /// configured secret.
    pub fn web_config(&self) -> Result<cabinet_web::WebConfig> {
        let secret = self.server_secret()?;
        if secret.is_none() && !self.dev_mode() {
            bail!(
                "no server secret is configured: set secret_file to a file holding at least {MIN_SECRET_LEN} \
                 random characters (`openssl rand -hex 32 > /etc/cabinet/secret`), or secret / CABINET_SECRET. \
                 The secret generated into the store is used only in dev mode (dev = true)"
            );
        }
        let public_origin = self
            .public_origin
            .as_deref()
            .map(cabinet_web::PublicOrigin::parse)
            .transpose()
            .map_err(anyhow::Error::msg)?;
        let brand = cabinet_web::Brand {
            primary: self
                .brand
                .primary
                .as_deref()
                .map(cabinet_web::Brand::check_primary)
                .transpose()
                .map_err(anyhow::Error::msg)?,
            logo: self
                .brand
                .logo_file
                .as_deref()
                .map(cabinet_web::Logo::read)
                .transpose()
                .map_err(anyhow::Error::msg)?,
        };
        let mut c = cabinet_web::WebConfig {
            operator_name: self.operator_name.clone(),
            payments_email: self.payments_email.trim().to_string(),
            legal: self.legal.details()?,
            brand,
            operator_prefixes: self.prefixes(),
            dev_mode: self.dev_mode(),
            secure_cookies: self.secure_cookies(public_origin.as_ref())?,
            secret: secret.map(cabinet_web::ServerSecret),
            trusted_proxies: cabinet_web::TrustedProxies::parse(&self.trusted_proxies).map_err(anyhow::Error::msg)?,
            public_origin,
            zone: cabinet_core::time::OperatorZone::named(&self.time_zone)?,
            default_locale: cabinet_core::Locale::from_code(&self.default_language).unwrap_or_default(),
            page_size: self.page_size,
            job_lease_ms: self.job_lease_seconds * 1000,
            ..cabinet_web::WebConfig::default()
        };
        c.otp.resend_after_ms = self.otp_resend_seconds * 1000;
        c.session_ttl_ms = self.session_idle_minutes * 60_000;
        c.session_max_ms = self.session_max_hours * 3_600_000;
        Ok(c)
    }
}

/// `T` from a figment, refusing any key (at any depth) that `T` does not read back.
fn extract_strict<T: DeserializeOwned + Serialize>(fig: &Figment) -> Result<T> {
    let value: T = fig.extract().context("reading the configuration")?;
    let given: Dict = fig.extract().context("reading the configuration")?;
    let read = match Value::serialize(&value) {
        Ok(Value::Dict(_, d)) => d,
        _ => bail!("the settings could not be written back"),
    };
    let mut unknown = Vec::new();
    unknown_keys(&given, &read, "", &mut unknown);
    if let Some(key) = unknown.first() {
        let from = fig.find_metadata(key).map(|m| match &m.source {
            Some(source) => format!(" (in {} {source})", m.name),
            None => format!(" (in {})", m.name),
        });
        bail!("unknown setting `{key}`{}: every setting is listed in cabinet.example.toml", from.unwrap_or_default());
    }
    Ok(value)
}

/// The top-level keys that settings have (for the environment's filter).
fn known_keys(settings: &Settings) -> Vec<String> {
    match Value::serialize(settings) {
        Ok(Value::Dict(_, d)) => d.into_keys().collect(),
        _ => Vec::new(),
    }
}

/// The dotted paths of keys in `given` that `read` (the settings written back) lacks.
fn unknown_keys(given: &Dict, read: &Dict, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in given {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match (read.get(key), value) {
            (None, _) => out.push(path),
            (Some(Value::Dict(_, inner_read)), Value::Dict(_, inner_given)) => {
                unknown_keys(inner_given, inner_read, &path, out)
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A tokio test: lettre's connection pool lives on the runtime.
    #[tokio::test]
    async fn the_example_delivery_sections_are_real_settings() {
        // The [sms] and [smtp] examples are commented out in the file: uncommented, they parse.
        let example = include_str!("../../../cabinet.example.toml");
        let start = example.find("# [sms]").expect("an [sms] example");
        let sections: String = example[start..]
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .filter(|l| l.starts_with('[') || l.contains(" = "))
            .map(|l| format!("{l}\n"))
            .collect();
        let s = from_toml(&sections).unwrap();
        assert_eq!(s.sms.as_ref().unwrap().url, "http://127.0.0.1:13013/cgi-bin/sendsms");
        assert_eq!(s.smtp.as_ref().unwrap().port, Some(587));
        assert!(s.smtp.as_ref().unwrap().ca_file.is_some());
        let err = s.channels().err().expect("the example's CA file is not on this machine").to_string();
        assert!(err.contains("smtp.ca_file"), "{err}");
        let mut s = s;
        s.smtp.as_mut().unwrap().ca_file = None;
        assert!(s.channels().is_ok());
        assert!(from_toml("[smtp]\nhost = \"h\"\nfrom = \"a@b.kz\"\nsecurity = \"ssl\"").is_err(), "unknown security");
        assert!(from_toml("[sms]\nurl = \"http://gw\"\nusername = \"u\"\npassword = \"p\"\ncodng = \"gsm\"").is_err());
    }

    fn from_toml(toml: &str) -> Result<Settings> {
        Settings::extract(Figment::from(Serialized::defaults(Settings::default())).merge(Toml::string(toml)))
    }

    fn with(f: impl FnOnce(&mut Settings)) -> Settings {
        let mut s = Settings::default();
        f(&mut s);
        s
    }

    #[test]
    fn unknown_keys_are_refused_and_named() {
        let err = from_toml("listen = \"127.0.0.1:9000\"\nlistn = \"0.0.0.0:80\"\n").unwrap_err().to_string();
        assert!(err.contains("unknown setting `listn`"), "{err}");
        assert!(err.contains("TOML"), "says where: {err}");
        assert_eq!(from_toml("listen = \"127.0.0.1:9000\"").unwrap().listen, "127.0.0.1:9000");
    }

    #[test]
    fn legal_details_are_checked_and_default_to_the_demo_operators() {
        let s = from_toml("[legal]\nname = \"АО «Оператор»\"\nbin = \"940740000015\"\n").unwrap();
        let web = s.web_config().unwrap();
        assert_eq!((web.legal.name.as_str(), web.legal.bin.as_str()), ("АО «Оператор»", "940740000015"));
        assert_eq!(web.legal.bank, cabinet_web::OperatorLegal::default().bank, "unset keys keep the default");
        assert!(cabinet_core::Bin::parse(&cabinet_web::OperatorLegal::default().bin).is_ok(), "the demo BIN is valid");
        let err = from_toml("[legal]\nbin = \"940740000016\"\n").unwrap_err().to_string();
        assert!(err.contains("legal.bin"), "{err}");
        let err = from_toml("[legal]\ninn = \"1\"\n").unwrap_err().to_string();
        assert!(err.contains("unknown setting `legal.inn`"), "{err}");
    }

    #[test]
    fn session_timeouts_are_checked_and_reach_the_portal() {
        let s = from_toml("session_idle_minutes = 15\nsession_max_hours = 8\n").unwrap();
        let web = s.web_config().unwrap();
        assert_eq!((web.session_ttl_ms, web.session_max_ms), (15 * 60_000, 8 * 3_600_000));
        let err = from_toml("session_idle_minutes = 0\n").unwrap_err().to_string();
        assert!(err.contains("session_idle_minutes"), "{err}");
        let err = from_toml("session_idle_minutes = 600\nsession_max_hours = 2\n").unwrap_err().to_string();
        assert!(err.contains("cannot be longer"), "{err}");
    }

    #[test]
    fn brand_keys_are_checked() {
        let s = from_toml("[brand]\nprimary = \"#005a9c\"\n").unwrap();
        assert_eq!(s.brand.primary.as_deref(), Some("#005a9c"));
        let err = from_toml("[brand]\ncolour = \"#005a9c\"\n").unwrap_err().to_string();
        assert!(err.contains("unknown setting `brand.colour`"), "{err}");
        let err = from_toml("[brand]\nprimary = \"#ffff00\"\n").unwrap_err().to_string();
        assert!(err.contains("4.5:1"), "{err}");
        let err = with(|s| s.brand.logo_file = Some("/nonexistent/logo.svg".into())).web_config().unwrap_err();
        assert!(err.to_string().contains("brand.logo_file"), "{err}");
    }

    #[test]
    fn the_example_file_holds_only_real_settings() {
        let s = from_toml(include_str!("../../../cabinet.example.toml")).unwrap();
        assert!(s.dev_mode(), "as shipped it is the loopback demo");
    }

    #[test]
    fn unknown_keys_in_nested_tables_are_refused_too() {
        // A section is a field holding a struct: nothing else is needed for its keys to be
        // checked.
        #[derive(Serialize, Deserialize, Default)]
        struct Smtp {
            host: String,
            port: u16,
        }
        #[derive(Serialize, Deserialize, Default)]
        struct WithSection {
            listen: String,
            smtp: Smtp,
        }
        let fig = |toml: &str| Figment::from(Serialized::defaults(WithSection::default())).merge(Toml::string(toml));
        let ok: WithSection = extract_strict(&fig("[smtp]\nhost = \"mail\"\nport = 25\n")).unwrap();
        assert_eq!((ok.smtp.host.as_str(), ok.smtp.port), ("mail", 25));
        let err = extract_strict::<WithSection>(&fig("[smtp]\nhots = \"mail\"\n")).err().unwrap().to_string();
        assert!(err.contains("unknown setting `smtp.hots`"), "{err}");
        let err = extract_strict::<WithSection>(&fig("[sms]\nurl = \"x\"\n")).err().unwrap().to_string();
        assert!(err.contains("unknown setting `sms`"), "{err}");
    }

    #[test]
    fn demo_and_dev_are_on_by_default_only_when_local() {
        let local = Settings::default();
        assert!(local.local_only() && local.demo() && local.dev_mode(), "the README's first run");
        for addr in ["[::1]:8080", "localhost:8080", "127.0.0.2:80"] {
            assert!(with(|s| s.listen = addr.into()).dev_mode(), "{addr}");
        }
        for addr in ["0.0.0.0:8080", "[::]:8080", "10.0.0.5:8080", "cabinet.internal:8080"] {
            let s = with(|s| s.listen = addr.into());
            assert!(!s.local_only() && !s.demo() && !s.dev_mode(), "{addr}");
        }
        // Behind a reverse proxy a loopback address serves the world.
        let proxied = with(|s| s.trusted_proxies = vec!["127.0.0.1".into()]);
        assert!(!proxied.demo() && !proxied.dev_mode());
        let public = with(|s| s.public_origin = Some("https://cabinet.example.kz".into()));
        assert!(!public.demo() && !public.dev_mode());
        // Asked for: on, but dev pages only when asked for themselves.
        let s = with(|s| {
            s.listen = "0.0.0.0:8080".into();
            s.demo = Some(true);
        });
        assert!(s.demo() && !s.dev_mode());
        assert!(with(|s| s.dev = Some(false)).demo(), "dev off leaves the demo on loopback");
        assert!(!with(|s| s.demo = Some(false)).dev_mode(), "dev follows the demo on loopback");
    }

    #[test]
    fn the_secret_comes_from_settings_or_a_file_and_must_be_long() {
        let long = "0123456789abcdef0123456789abcdef";
        assert_eq!(with(|s| s.secret = Some(Secret(long.into()))).server_secret().unwrap().as_deref(), Some(long));
        let err = with(|s| s.secret = Some(Secret("short".into()))).server_secret().unwrap_err().to_string();
        assert!(err.contains("at least 32") && err.contains("5 characters"), "{err}");

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret");
        std::fs::write(&file, format!("{long}\n")).unwrap();
        let from_file = with(|s| s.secret_file = Some(file.clone()));
        assert_eq!(from_file.server_secret().unwrap().as_deref(), Some(long), "the newline is not part of it");
        let both = with(|s| {
            s.secret_file = Some(file.clone());
            s.secret = Some(Secret(long.into()));
        });
        assert!(both.server_secret().is_err());
        let missing = with(|s| s.secret_file = Some(dir.path().join("nope")));
        assert!(missing.server_secret().unwrap_err().to_string().contains("secret_file"));
        assert!(!format!("{:?}", with(|s| s.secret = Some(Secret(long.into())))).contains(long), "never printed");
    }

    #[test]
    fn without_dev_mode_a_configured_secret_is_required() {
        let prod = with(|s| s.listen = "0.0.0.0:8080".into());
        let err = prod.web_config().unwrap_err().to_string();
        assert!(err.contains("secret_file") && err.contains("CABINET_SECRET"), "{err}");
        let prod = with(|s| {
            s.listen = "0.0.0.0:8080".into();
            s.secret = Some(Secret("0123456789abcdef0123456789abcdef".into()));
        });
        assert!(prod.web_config().unwrap().secret.is_some());
        assert!(Settings::default().web_config().unwrap().secret.is_none(), "dev falls back to the store's");
    }

    #[test]
    fn an_https_public_origin_makes_cookies_secure() {
        let secret = "secret = \"0123456789abcdef0123456789abcdef\"\n";
        let s = from_toml(&format!("{secret}public_origin = \"https://cabinet.example.kz\"")).unwrap();
        let web = s.web_config().unwrap();
        assert!(web.secure_cookies && web.hsts());
        assert_eq!(web.public_origin.unwrap().as_str(), "https://cabinet.example.kz");
        let plain = from_toml(&format!("{secret}public_origin = \"http://10.0.0.5:8080\"")).unwrap();
        let plain = plain.web_config().unwrap();
        assert!(!plain.secure_cookies && !plain.hsts());
        assert!(from_toml("secure_cookies = true").unwrap().web_config().unwrap().secure_cookies);
        let err = from_toml("public_origin = \"https://x.kz\"\nsecure_cookies = false").unwrap_err().to_string();
        assert!(err.contains("contradicts"), "{err}");
        assert!(from_toml("public_origin = \"cabinet.example.kz\"").unwrap_err().to_string().contains("public_origin"));
    }

    #[test]
    fn trusted_proxies_are_a_list_or_one_string() {
        let list = from_toml("trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]").unwrap();
        let string = from_toml("trusted_proxies = \"127.0.0.1, 10.0.0.0/8\"").unwrap();
        assert_eq!(list.trusted_proxies, ["127.0.0.1", "10.0.0.0/8"]);
        assert_eq!(string.trusted_proxies, list.trusted_proxies);
        assert!(from_toml("trusted_proxies = \"10.0.0.0/40\"").unwrap_err().to_string().contains("trusted_proxies"));
    }
}
