//! Shared state of the running portal.

use crate::WebConfig;
use cabinet_core::operator::OperatorPort;
use cabinet_store::Db;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub operator: Arc<dyn OperatorPort>,
    pub config: WebConfig,
    /// Keys CSRF tokens and one-time-code MACs; shared by all instances through the store.
    pub secret: String,
    pub metrics: Option<PrometheusHandle>,
}

impl AppState {
    pub async fn new(
        db: Db,
        operator: Arc<dyn OperatorPort>,
        config: WebConfig,
        metrics: Option<PrometheusHandle>,
    ) -> Result<AppState, cabinet_store::StoreError> {
        let secret = cabinet_store::settings::server_secret(&db).await?;
        Ok(AppState(Arc::new(Inner {
            db,
            operator,
            config,
            secret,
            metrics,
        })))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
