//! Cabinet's channels to people. The job worker hands each outbox message to one of them:
//! e-mail over SMTP (`smtp`), SMS through an HTTP gateway that speaks Kannel's `sendsms`
//! (`sms`). They know nothing of the store: a message comes in, and the answer says whether
//! it was accepted, may be tried again, or never will be.

pub mod sms;
pub mod smtp;

use async_trait::async_trait;
use std::sync::Arc;

/// One message as a channel sends it.
#[derive(Debug, Clone)]
pub struct Envelope<'a> {
    /// The outbox row's id: the e-mail's Message-ID, so that a resend after a crash is
    /// recognisable as the same message.
    pub id: &'a str,
    /// A phone number (digits, `7…`) or an e-mail address.
    pub to: &'a str,
    pub subject: Option<&'a str>,
    pub body: &'a str,
    pub attachments: &'a [FileAttachment],
}

#[derive(Debug, Clone)]
pub struct FileAttachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The channel could not take it now (down, busy, timed out): try again later.
    #[error("{0}")]
    Transient(String),
    /// The channel refused it for good (bad address, bad credentials): do not try again.
    #[error("{0}")]
    Permanent(String),
}

#[async_trait]
pub trait Channel: Send + Sync {
    async fn send(&self, message: &Envelope<'_>) -> Result<(), SendError>;
}

/// The configured channels; None where none is configured (dev mode keeps such messages in
/// the outbox).
#[derive(Clone, Default)]
pub struct Channels {
    pub sms: Option<Arc<dyn Channel>>,
    pub email: Option<Arc<dyn Channel>>,
}

/// Makes rustls use ring (the provider sqlx and lettre use) in this process. Called once at
/// start; a second call is harmless.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
