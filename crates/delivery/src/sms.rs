//! SMS through an HTTP gateway speaking Kannel's `sendsms` interface:
//! `GET <url>?username=…&password=…&from=…&to=…&text=…&charset=UTF-8&coding=0|2`.
//! Kannel answers 202 ("0: Accepted for delivery", "3: Queued for later delivery") when it
//! takes a message, 4xx when the request is wrong (bad credentials, missing fields) and 5xx
//! when it cannot take messages now.

use crate::{Channel, Envelope, SendError};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// `[sms]` in the configuration.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsSettings {
    /// The gateway's sendsms address, e.g. `http://127.0.0.1:13013/cgi-bin/sendsms`.
    pub url: String,
    pub username: String,
    pub password: String,
    /// The sender name or number shown on the phone; empty leaves it to the gateway.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub coding: Coding,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

/// Without the password.
impl std::fmt::Debug for SmsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsSettings")
            .field("url", &self.url)
            .field("username", &self.username)
            .field("from", &self.from)
            .field("coding", &self.coding)
            .field("timeout_seconds", &self.timeout_seconds)
            .finish_non_exhaustive()
    }
}

fn default_timeout() -> u64 {
    10
}

/// How the text is coded on the air.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Coding {
    /// GSM 7-bit when every character has one, UCS-2 otherwise (Cyrillic, Kazakh letters).
    #[default]
    Auto,
    /// Always GSM 7-bit (`coding=0`).
    Gsm,
    /// Always UCS-2 (`coding=2`).
    Ucs2,
}

impl Coding {
    /// Kannel's `coding` value for `text`.
    pub fn for_text(self, text: &str) -> u8 {
        match self {
            Coding::Gsm => 0,
            Coding::Ucs2 => 2,
            Coding::Auto if text.chars().all(is_gsm7) => 0,
            Coding::Auto => 2,
        }
    }
}

/// In the GSM 03.38 default alphabet (or its extension table).
fn is_gsm7(c: char) -> bool {
    const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const EXTENDED: &str = "^{}\\[~]|€\u{c}";
    BASIC.contains(c) || EXTENDED.contains(c)
}

pub struct SmsGateway {
    client: reqwest::Client,
    url: reqwest::Url,
    settings: SmsSettings,
}

impl SmsGateway {
    pub fn new(s: &SmsSettings) -> Result<SmsGateway, String> {
        crate::install_crypto();
        let url = reqwest::Url::parse(&s.url).map_err(|e| format!("sms.url {:?}: {e}", s.url))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("sms.url {:?} must be http or https", s.url));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(s.timeout_seconds.max(1)))
            .build()
            .map_err(|e| format!("the SMS gateway's HTTP client: {e}"))?;
        Ok(SmsGateway { client, url, settings: s.clone() })
    }
}

#[async_trait]
impl Channel for SmsGateway {
    async fn send(&self, m: &Envelope<'_>) -> Result<(), SendError> {
        let s = &self.settings;
        let coding = s.coding.for_text(m.body).to_string();
        let mut query = vec![
            ("username", s.username.as_str()),
            ("password", s.password.as_str()),
            ("to", m.to),
            ("text", m.body),
            ("charset", "UTF-8"),
            ("coding", coding.as_str()),
        ];
        if !s.from.is_empty() {
            query.push(("from", s.from.as_str()));
        }
        let mut url = self.url.clone();
        url.query_pairs_mut().extend_pairs(&query);
        let answer = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| SendError::Transient(format!("SMS gateway unreachable: {}", without_url(&e))))?;
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        let said = text.trim().chars().take(200).collect::<String>();
        if status.is_success() {
            Ok(())
        } else if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
            Err(SendError::Transient(format!("SMS gateway answered {status}: {said}")))
        } else {
            Err(SendError::Permanent(format!("SMS gateway refused the message ({status}): {said}")))
        }
    }
}

/// reqwest's errors print the URL, which holds the gateway's password.
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    match std::error::Error::source(e) {
        Some(cause) => format!("{kind}: {cause}"),
        None => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coding_follows_the_text() {
        assert_eq!(Coding::Auto.for_text("Code 123456, valid 5 min"), 0);
        assert_eq!(Coding::Auto.for_text("Код для входа: 123456"), 2);
        assert_eq!(Coding::Auto.for_text("Кіру коды: 123456 (Қ, Ә)"), 2);
        assert_eq!(Coding::Auto.for_text("Price: 5€ [ok]"), 0);
        assert_eq!(Coding::Gsm.for_text("Код"), 0);
        assert_eq!(Coding::Ucs2.for_text("Code"), 2);
    }

    #[test]
    fn bad_settings_are_refused() {
        let s = SmsSettings {
            url: "ftp://gw/sendsms".into(),
            username: "u".into(),
            password: "p".into(),
            from: String::new(),
            coding: Coding::Auto,
            timeout_seconds: 5,
        };
        assert!(SmsGateway::new(&s).is_err());
        assert!(SmsGateway::new(&SmsSettings { url: "not a url".into(), ..s.clone() }).is_err());
        assert!(SmsGateway::new(&SmsSettings { url: "http://127.0.0.1:13013/cgi-bin/sendsms".into(), ..s }).is_ok());
    }
}
