//! E-mail over SMTP (lettre, rustls with ring: no OpenSSL), with attachments.

use crate::{Channel, Envelope, SendError};
use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// `[smtp]` in the configuration.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    /// Defaults by `security`: 587 for STARTTLS, 465 for TLS, 25 for none.
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub security: Security,
    /// Empty: no authentication.
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub password: String,
    /// The sender, `Cabinet <cabinet@operator.kz>` or a bare address.
    pub from: String,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// A PEM file with the certificate authority of a private relay (an operator's internal
    /// CA); unset: the public web roots.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
}

/// Without the password.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("from", &self.from)
            .field("timeout_seconds", &self.timeout_seconds)
            .field("ca_file", &self.ca_file)
            .finish_non_exhaustive()
    }
}

fn default_timeout() -> u64 {
    20
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (required, not opportunistic).
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
    /// No encryption: only for a relay on the same host or a test server.
    None,
}

pub struct SmtpChannel {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain of the Message-ID.
    domain: String,
}

impl SmtpChannel {
    /// Checks the settings (the sender must be an address) and prepares the connection pool;
    /// nothing connects until the first message.
    pub fn new(s: &SmtpSettings) -> Result<SmtpChannel, String> {
        crate::install_crypto();
        let from: Mailbox =
            s.from.parse().map_err(|e| format!("smtp.from {:?} is not an e-mail address: {e}", s.from))?;
        if s.host.trim().is_empty() {
            return Err("smtp.host is empty".into());
        }
        let tls = match (s.security, &s.ca_file) {
            (Security::None, _) => Tls::None,
            (security, ca_file) => {
                let mut params = TlsParameters::builder(s.host.clone());
                if let Some(path) = ca_file {
                    let pem = std::fs::read(path).map_err(|e| format!("smtp.ca_file {}: {e}", path.display()))?;
                    let ca = Certificate::from_pem(&pem)
                        .map_err(|e| format!("smtp.ca_file {} is not a PEM certificate: {e}", path.display()))?;
                    params = params.add_root_certificate(ca);
                }
                let params = params.build_rustls().map_err(|e| format!("smtp TLS settings: {e}"))?;
                // STARTTLS is required, never opportunistic: a relay that does not offer it
                // is refused rather than spoken to in the clear.
                if security == Security::Starttls { Tls::Required(params) } else { Tls::Wrapper(params) }
            }
        };
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host).tls(tls);
        let port = s.port.unwrap_or(match s.security {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        });
        let mut builder = builder.port(port).timeout(Some(Duration::from_secs(s.timeout_seconds.max(1))));
        if !s.user.is_empty() {
            builder = builder.credentials(Credentials::new(s.user.clone(), s.password.clone()));
        }
        let domain = from.email.domain().to_string();
        Ok(SmtpChannel { transport: builder.build(), from, domain })
    }

    fn message(&self, m: &Envelope<'_>) -> Result<Message, SendError> {
        let to: Mailbox = m.to.parse().map_err(|e| SendError::Permanent(format!("bad recipient address: {e}")))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.unwrap_or_default())
            .message_id(Some(format!("<{}@{}>", m.id, self.domain)));
        let built = if m.attachments.is_empty() {
            builder.header(ContentType::TEXT_PLAIN).body(m.body.to_string())
        } else {
            let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(m.body.to_string()));
            for a in m.attachments {
                let kind = ContentType::parse(&a.content_type)
                    .unwrap_or_else(|_| ContentType::parse("application/octet-stream").expect("a valid type"));
                parts = parts.singlepart(Attachment::new(a.file_name.clone()).body(a.content.clone(), kind));
            }
            builder.multipart(parts)
        };
        built.map_err(|e| SendError::Permanent(format!("could not build the message: {e}")))
    }
}

#[async_trait]
impl Channel for SmtpChannel {
    async fn send(&self, m: &Envelope<'_>) -> Result<(), SendError> {
        let message = self.message(m)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            // 5xx answers (unknown mailbox, refused sender, bad credentials) will not change.
            Err(e) if e.is_permanent() => Err(SendError::Permanent(format!("SMTP: {e}"))),
            Err(e) => Err(SendError::Transient(format!("SMTP: {e}"))),
        }
    }
}
