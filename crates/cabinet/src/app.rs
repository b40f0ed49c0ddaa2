//! Wiring: open the store, migrate, put the simulator behind the operator port, and serve
//! the web layer.

use crate::config::Settings;
use crate::worker::Worker;
use anyhow::{Context, Result};
use cabinet_core::operator::OperatorPort;
use cabinet_sim::{Behaviour, Simulator};
use cabinet_store::Db;
use cabinet_web::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// Opens and migrates the store (Cabinet's schema and the simulator's).
pub async fn open_store(settings: &Settings) -> Result<Db> {
    let url = settings.database_url()?;
    let db = Db::connect(&url).await.with_context(|| format!("opening the store at {}", redact(&url)))?;
    db.migrate().await.context("migrating Cabinet's schema")?;
    Simulator::new(db.clone()).migrate().await.context("migrating the simulator's schema")?;
    Ok(db)
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

/// A portal bound to its address, ready to serve, with its job worker.
pub struct Portal {
    pub addr: SocketAddr,
    pub db: Db,
    pub worker: Option<Worker>,
    listener: TcpListener,
    router: axum::Router,
}

/// The simulator as the settings describe its network.
pub fn simulator(settings: &Settings, db: Db) -> Simulator {
    let sim = Simulator::new(db).with_behaviour(Behaviour {
        delay_ms: settings.sim_delay_ms,
        failure_rate: settings.sim_failure_rate,
        transfer_delay_ms: settings.sim_transfer_delay_ms,
    });
    // Days and billing months are cut where the portal cuts its periods (checked at start).
    match cabinet_core::time::OperatorZone::named(&settings.time_zone) {
        Ok(zone) => sim.with_zone(zone),
        Err(_) => sim,
    }
}

impl Portal {
    pub async fn bind(settings: &Settings, db: Db) -> Result<Portal> {
        let operator: Arc<dyn OperatorPort> = Arc::new(simulator(settings, db.clone()));
        let wake = Arc::new(Notify::new());
        let web_config = settings.web_config()?;
        let (zone, legal) = (web_config.zone.clone(), web_config.legal.clone());
        let state =
            AppState::new(db.clone(), operator.clone(), web_config, crate::telemetry::metrics(), wake.clone()).await?;
        let listener =
            TcpListener::bind(&settings.listen).await.with_context(|| format!("listening on {}", settings.listen))?;
        let addr = listener.local_addr()?;
        let channels = settings.channels()?;
        let worker = settings.worker.then(|| Worker {
            db: db.clone(),
            operator,
            channels,
            id: format!("{}-{}", std::process::id(), cabinet_store::ids::random_hex(4)),
            lease_ms: settings.job_lease_seconds * 1000,
            poll_ms: 250,
            wake,
            pulse: state.worker_pulse.clone(),
            zone,
            legal,
        });
        Ok(Portal { addr, db, worker, listener, router: cabinet_web::router(state) })
    }

    /// Serves until `shutdown` resolves.
    pub async fn serve(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> Result<()> {
        if let Some(w) = self.worker {
            w.spawn();
        }
        let app = self.router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app).with_graceful_shutdown(shutdown).await?;
        Ok(())
    }

    /// Serves in the background (tests); the portal stops with the runtime.
    pub fn spawn(self) -> SocketAddr {
        let addr = self.addr;
        tokio::spawn(self.serve(std::future::pending()));
        addr
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://./data/cabinet.db"), "sqlite://./data/cabinet.db");
    }
}
