//! Shared state of the running portal.

use crate::WebConfig;
use crate::cache::TtlCache;
use cabinet_core::operator::OperatorPort;
use cabinet_store::Db;
use cabinet_store::admins::GrantedCompany;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub operator: Arc<dyn OperatorPort>,
    pub config: WebConfig,
    /// Keys CSRF tokens and one-time-code MACs: the configured one, or (dev) the one
    /// generated into the store.
    pub secret: String,
    pub metrics: Option<PrometheusHandle>,
    /// The companies each administrator may switch to (header of every page).
    pub companies: TtlCache<String, Vec<GrantedCompany>>,
    /// How many numbers each customer has (Number management's count).
    pub number_counts: TtlCache<String, u64>,
    /// How many of a customer's numbers a search's digits match, by (BIN, digits): numbers
    /// and accounts are only ever added, so a count seconds old is still right, and a
    /// three-digit count costs more than the page it is shown on.
    pub match_counts: TtlCache<(String, String), cabinet_core::operator::MatchCount>,
    /// Per company: the numbers with a request waiting (None: too many to list), with the
    /// `actions::processing_changes()` they were read at. Kept one second.
    pub pending: TtlCache<String, (u64, Option<Vec<String>>)>,
    /// Wakes this process's job worker when a job is enqueued.
    pub jobs_wake: Arc<Notify>,
    /// This process's job worker's sign of life, for `/readyz`.
    pub worker_pulse: crate::ops::WorkerPulse,
}

impl AppState {
    /// Puts a message that carries a secret (a code, a link) in the outbox — its body is
    /// erased once delivered — and wakes this process's worker to deliver it.
    pub(crate) async fn send_secret(
        &self,
        channel: &str,
        recipient: &str,
        subject: Option<&str>,
        body: &str,
        now_ms: i64,
    ) -> Result<(), cabinet_store::StoreError> {
        let message =
            cabinet_store::outbox::Outgoing { channel, recipient, subject, body, sensitive: true, attachments: &[] };
        cabinet_store::outbox::enqueue(&self.db, &message, now_ms).await?;
        self.jobs_wake.notify_one();
        Ok(())
    }

    pub async fn new(
        db: Db,
        operator: Arc<dyn OperatorPort>,
        config: WebConfig,
        metrics: Option<PrometheusHandle>,
        jobs_wake: Arc<Notify>,
    ) -> Result<AppState, cabinet_store::StoreError> {
        // A configured secret is never written to the store: a copy of the database alone
        // must not reveal it. The generated one is the dev fallback.
        let secret = match &config.secret {
            Some(s) => s.0.clone(),
            None => cabinet_store::settings::server_secret(&db).await?,
        };
        let companies = TtlCache::new(Duration::from_secs(10), 10_000);
        let number_counts = TtlCache::new(Duration::from_secs(10), 10_000);
        let match_counts = TtlCache::new(Duration::from_secs(10), 10_000);
        let pending = TtlCache::new(Duration::from_secs(1), 10_000);
        let worker_pulse = crate::ops::WorkerPulse::default();
        Ok(AppState(Arc::new(Inner {
            db,
            operator,
            config,
            secret,
            metrics,
            companies,
            number_counts,
            match_counts,
            pending,
            jobs_wake,
            worker_pulse,
        })))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl Inner {
    /// The administrator's companies, for the switcher.
    pub async fn companies_of(&self, admin_id: &str) -> Result<Vec<GrantedCompany>, cabinet_store::StoreError> {
        if let Some(c) = self.companies.get(&admin_id.to_string()) {
            return Ok(c);
        }
        let list = cabinet_store::admins::companies_of(&self.db, admin_id).await?;
        self.companies.put(admin_id.to_string(), list.clone());
        Ok(list)
    }

    /// The customer's number count, as the operator reported it a few seconds ago at most.
    pub async fn number_count(&self, bin: &cabinet_core::Bin) -> cabinet_core::operator::OperatorResult<u64> {
        if let Some(n) = self.number_counts.get(&bin.to_string()) {
            return Ok(n);
        }
        let n = self.operator.number_count(bin).await?;
        self.number_counts.put(bin.to_string(), n);
        Ok(n)
    }
}
