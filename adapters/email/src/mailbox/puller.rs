//! The supervisor of mailbox pulling: reads the accounts from the store every few seconds and keeps one
//! task per valid account running, restarting a changed one and stopping a removed or invalid one.

use super::account_task::{Shared, Status, run_account};
use super::metrics::MailboxMetrics;
use super::oauth::{OAuthError, TokenClient};
use super::settings::MailboxSettings;
use super::tls::{TlsConfigError, client_config};
use crate::MailIntake;
use chamado::MailAccount;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tracing::{info, warn};

/// The right to pull one account, held by one node at a time (several nodes on one store).
pub trait AccountLease: Send {
    /// Resolves when the lease is lost (the node's hold on it broke); the session then stops.
    fn lost(&mut self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// Hands out [`AccountLease`]s; without it (one process, e.g. redb) this node pulls every account.
#[async_trait::async_trait]
pub trait AccountLeases: Send + Sync {
    /// Tries, without waiting, to take the lease of `account`: `None` while another node holds it.
    async fn acquire(&self, account: &str) -> Result<Option<Box<dyn AccountLease>>, String>;
}

/// Why the puller could not start.
#[derive(Debug, thiserror::Error)]
pub enum PullerError {
    /// The TLS settings (the CA file).
    #[error(transparent)]
    Tls(#[from] TlsConfigError),
    /// The HTTP client for OAuth2 token endpoints.
    #[error(transparent)]
    OAuth(#[from] OAuthError),
}

/// Pulls mail from every account in the store, each on its own task.
pub struct MailboxPuller {
    intake: MailIntake,
    settings: MailboxSettings,
    leases: Option<Arc<dyn AccountLeases>>,
    metrics: MailboxMetrics,
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl MailboxPuller {
    /// A puller delivering into `intake`, with `settings`' limits and CA file.
    pub fn new(intake: MailIntake, settings: MailboxSettings) -> Self {
        MailboxPuller { intake, settings, leases: None, metrics: MailboxMetrics::default(), tls: None }
    }

    /// Pulls an account only while holding its lease from `leases` (several nodes on one store).
    pub fn with_leases(mut self, leases: Arc<dyn AccountLeases>) -> Self {
        self.leases = Some(leases);
        self
    }

    /// Counts into `metrics` (families the host registered) instead of private ones.
    pub fn with_metrics(mut self, metrics: MailboxMetrics) -> Self {
        self.metrics = metrics;
        self
    }

    /// Uses these TLS client settings instead of the Mozilla roots plus the settings' CA file.
    pub fn with_tls(mut self, tls: Arc<rustls::ClientConfig>) -> Self {
        self.tls = Some(tls);
        self
    }

    /// The metric families this puller counts into.
    pub fn metrics(&self) -> &MailboxMetrics {
        &self.metrics
    }

    /// Runs until `shutdown` resolves: reads the accounts every `reload_seconds` and keeps their tasks
    /// in step. Fails only at the start (TLS settings); a store that cannot be read is logged and the
    /// running tasks go on.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), PullerError> {
        let tls = match self.tls {
            Some(tls) => tls,
            None => client_config(self.settings.ca_file.as_deref())?,
        };
        let limits = self.settings.limits();
        let tokens = TokenClient::new(limits.connect_timeout.min(Duration::from_secs(60)))?;
        let shared =
            Arc::new(Shared { intake: self.intake, tls, limits, leases: self.leases, metrics: self.metrics, tokens });
        let every = self.settings.reload_every();
        let mut running = Running::default();
        tokio::pin!(shutdown);
        loop {
            reconcile(&shared, &mut running).await;
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(every) => {}
            }
        }
        for (_, (_, task)) in running.tasks.drain() {
            task.abort();
            let _ = task.await;
        }
        // Counts of an unfinished pass are kept for the next start.
        for status in running.statuses.values() {
            status.flush().await;
        }
        info!("mailbox: pulling stopped");
        Ok(())
    }
}

/// The account tasks, and each account's status (kept across its task's restarts).
#[derive(Default)]
struct Running {
    tasks: HashMap<String, (MailAccount, JoinHandle<()>)>,
    statuses: HashMap<String, Arc<Status>>,
}

/// Starts, restarts and stops account tasks to match the store.
async fn reconcile(shared: &Arc<Shared>, running: &mut Running) {
    let accounts = match shared.intake.engine().mail_accounts().await {
        Ok(a) => a,
        Err(e) => {
            warn!(error = %e, "mailbox: reading the accounts failed; the running ones go on");
            return;
        }
    };
    let mut wanted: HashMap<String, MailAccount> = HashMap::new();
    for account in accounts {
        if !account.valid {
            continue;
        }
        if let Err(e) = account.validate() {
            warn!(account = %account.name, error = %e, "mailbox: account not pulled: its settings are invalid");
            continue;
        }
        wanted.insert(account.name.clone(), account);
    }
    running.tasks.retain(|name, (account, task)| {
        let keep = wanted.get(name).is_some_and(|w| w == account) && !task.is_finished();
        if !keep {
            task.abort();
            if !wanted.contains_key(name) {
                shared.metrics.forget(name);
                running.statuses.remove(name);
                info!(account = %name, "mailbox: account stopped");
            } else {
                info!(account = %name, "mailbox: account changed; restarting it");
            }
        }
        keep
    });
    for (name, account) in wanted {
        if running.tasks.contains_key(&name) {
            continue;
        }
        let status = match running.statuses.get(&name) {
            Some(s) => s.clone(),
            None => {
                let s = Status::load(shared.intake.engine(), &name).await;
                running.statuses.insert(name.clone(), s.clone());
                s
            }
        };
        let task = tokio::spawn(run_account(account.clone(), shared.clone(), status));
        running.tasks.insert(name, (account, task));
    }
}
