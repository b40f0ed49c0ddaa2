//! Settings, layered: built-in defaults, then `cabinet.toml` (or `--config FILE`), then
//! `CABINET_*` environment variables, then command-line flags. Later layers win.

use anyhow::{Context, Result, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
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
    pub demo: bool,
    /// Developer pages (the outbox). Defaults to the value of `demo`.
    pub dev: Option<bool>,
    /// The operator's time zone: every date is shown and every period cut in it.
    pub time_zone: String,
    /// The operator's name, shown in the header (white label).
    pub operator_name: String,
    /// The operator's own prefixes, comma-separated: their one-time codes go by SMS.
    pub operator_prefixes: String,
    /// Log as JSON lines instead of text.
    pub log_json: bool,
    /// Mark cookies Secure (set when the portal is served over HTTPS).
    pub secure_cookies: bool,
    /// Seconds before "Send code again" is allowed.
    pub otp_resend_seconds: i64,
    /// Language for visitors who have not picked one: ru, en or kk.
    pub default_language: String,
    /// Numbers per page in Number management.
    pub page_size: u32,
    /// The simulated network's delay from request to outcome, in milliseconds.
    pub sim_delay_ms: i64,
    /// The share of simulated requests that fail (0.0 to 1.0).
    pub sim_failure_rate: f64,
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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: String::new(),
            demo: true,
            dev: None,
            time_zone: "Asia/Almaty".into(),
            operator_name: "Cabinet Mobile".into(),
            operator_prefixes: "701,702,775,778".into(),
            log_json: false,
            secure_cookies: false,
            otp_resend_seconds: 60,
            default_language: "ru".into(),
            page_size: 20,
            sim_delay_ms: 3000,
            sim_failure_rate: 0.0,
            job_lease_seconds: 6,
            worker: true,
            smtp: None,
            sms: None,
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
        let settings: Settings = fig
            .merge(Env::prefixed("CABINET_").split("__"))
            .merge(Serialized::defaults(flags))
            .extract()
            .context("reading the configuration")?;
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
        if !(1..=500).contains(&self.page_size) {
            bail!("page_size must be between 1 and 500");
        }
        if !(0.0..=1.0).contains(&self.sim_failure_rate) {
            bail!("sim_failure_rate must be between 0.0 and 1.0");
        }
        if self.sim_delay_ms < 0 || self.job_lease_seconds < 1 {
            bail!("sim_delay_ms must be 0 or more and job_lease_seconds 1 or more");
        }
        self.channels().map(|_| ())
    }

    /// The delivery channels these settings describe. Without dev mode both must be
    /// configured: a portal that cannot deliver codes would accept sign-ins that can never
    /// finish.
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

    pub fn dev_mode(&self) -> bool {
        self.dev.unwrap_or(self.demo)
    }

    /// The store's URL: the configured one, or the SQLite file in the data folder.
    pub fn database_url(&self) -> Result<String> {
        if !self.database_url.is_empty() {
            return Ok(self.database_url.clone());
        }
        std::fs::create_dir_all(&self.data_dir).with_context(|| format!("creating {}", self.data_dir.display()))?;
        Ok(format!("sqlite://{}", self.data_dir.join("cabinet.db").display()))
    }

    /// The web layer's view of these settings.
    pub fn web_config(&self) -> Result<cabinet_web::WebConfig> {
        let mut c = cabinet_web::WebConfig {
            operator_name: self.operator_name.clone(),
            operator_prefixes: self.prefixes(),
            dev_mode: self.dev_mode(),
            secure_cookies: self.secure_cookies,
            zone: cabinet_core::time::OperatorZone::named(&self.time_zone)?,
            default_locale: cabinet_core::Locale::from_code(&self.default_language).unwrap_or_default(),
            page_size: self.page_size,
            ..cabinet_web::WebConfig::default()
        };
        c.otp.resend_after_ms = self.otp_resend_seconds * 1000;
        Ok(c)
    }
}
