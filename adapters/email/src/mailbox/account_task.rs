//! One account's task: holds the lease (on several nodes), obtains the secret, runs the protocol
//! session, records its status and reconnects with backoff after every error. An account's trouble
//! stays in its task.

use super::metrics::MailboxMetrics;
use super::oauth::TokenClient;
use super::puller::{AccountLease, AccountLeases};
use super::run_session::run_session;
use super::{MailboxError, Progress, Secret, SessionContext, SessionLimits};
use crate::MailIntake;
use crate::auth::MailAuth;
use chamado::{Engine, MailAccount, MailAccountStatus, MailCredential};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tracing::{info, warn};

/// How long to wait before asking again for a lease another node holds.
const LEASE_RETRY: Duration = Duration::from_secs(5);
/// The first reconnection delay; it doubles up to [`BACKOFF_MAX`].
const BACKOFF_MIN: Duration = Duration::from_secs(1);
/// The longest reconnection delay.
const BACKOFF_MAX: Duration = Duration::from_secs(300);

/// What every account's task shares.
pub(crate) struct Shared {
    pub intake: MailIntake,
    pub tls: Arc<rustls::ClientConfig>,
    pub limits: SessionLimits,
    pub leases: Option<Arc<dyn AccountLeases>>,
    pub metrics: MailboxMetrics,
    pub tokens: TokenClient,
}

/// Exponential backoff with jitter: 1 s, 2 s, 4 s … 5 min, each ±25 %.
struct Backoff {
    next: Duration,
}

impl Backoff {
    fn new() -> Self {
        Backoff { next: BACKOFF_MIN }
    }

    fn reset(&mut self) {
        self.next = BACKOFF_MIN;
    }

    fn delay(&mut self) -> Duration {
        let base = self.next;
        self.next = (self.next * 2).min(BACKOFF_MAX);
        // Accounts on one failing server do not all knock again at the same moment.
        base.mul_f64(0.75 + fastrand::f64() * 0.5)
    }
}

/// The account's status as shown on its page: kept in memory by the puller across the restarts of
/// the account's task (so an unfinished pass's counts are not lost), written to the store by the
/// task's writer when a pass completes or an error happens (not for every message).
pub(crate) struct Status {
    engine: Engine,
    name: String,
    current: Mutex<MailAccountStatus>,
    dirty: Notify,
}

impl Status {
    fn update(&self, f: impl FnOnce(&mut MailAccountStatus)) {
        let mut s = self.current.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut s);
    }

    fn snapshot(&self) -> MailAccountStatus {
        self.current.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The status kept for `name`, or a fresh one.
    pub(crate) async fn load(engine: &Engine, name: &str) -> Arc<Status> {
        let initial = match engine.mail_account_status(name).await {
            Ok(s) => s.unwrap_or_default(),
            Err(e) => {
                warn!(account = %name, error = %e, "mailbox: reading the account's status failed; counting from zero");
                MailAccountStatus::default()
            }
        };
        Arc::new(Status {
            engine: engine.clone(),
            name: name.to_string(),
            current: Mutex::new(initial),
            dirty: Notify::new(),
        })
    }

    /// Takes the stored status as the current one: on several nodes, the node that held the account's
    /// lease before wrote it last, and its counts go on from there.
    async fn reload(&self) {
        match self.engine.mail_account_status(&self.name).await {
            Ok(stored) => *self.current.lock().unwrap_or_else(|e| e.into_inner()) = stored.unwrap_or_default(),
            Err(e) => warn!(account = %self.name, error = %e, "mailbox: reading the account's status failed"),
        }
    }

    /// Writes the status now (at shutdown).
    pub(crate) async fn flush(&self) {
        let snap = self.snapshot();
        if let Err(e) = self.engine.set_mail_account_status(&self.name, Some(&snap)).await {
            warn!(account = %self.name, error = %e, "mailbox: recording the account's status failed");
        }
    }

    async fn write_loop(self: Arc<Self>) {
        loop {
            self.dirty.notified().await;
            let snap = self.snapshot();
            if let Err(e) = self.engine.set_mail_account_status(&self.name, Some(&snap)).await {
                warn!(account = %self.name, error = %e, "mailbox: recording the account's status failed");
            }
        }
    }
}

/// The [`Progress`] of one account: counts, status and metrics.
struct AccountProgress {
    status: Arc<Status>,
    metrics: MailboxMetrics,
    /// A pass completed during the current session (the backoff starts again from its minimum).
    passed: AtomicBool,
}

impl Progress for AccountProgress {
    fn imported(&self, _folder: &str) {
        self.status.update(|s| s.imported = s.imported.saturating_add(1));
        self.metrics.imported.get_or_create(&MailboxMetrics::labels(&self.status.name)).inc();
    }

    fn failed(&self, folder: &str, reason: &str) {
        warn!(account = %self.status.name, folder, reason, "mailbox: message refused, left on the server");
        self.status.update(|s| s.failed = s.failed.saturating_add(1));
        self.metrics.failed.get_or_create(&MailboxMetrics::labels(&self.status.name)).inc();
    }

    fn pass_done(&self, _folder: &str, pending: u64) {
        let now = self.status.engine.now();
        self.status.update(|s| {
            s.last_success = Some(now);
            s.pending = Some(pending);
            s.last_error = None;
        });
        let labels = MailboxMetrics::labels(&self.status.name);
        self.metrics.last_success.get_or_create(&labels).set(now.0 / 1000);
        self.metrics.pending.get_or_create(&labels).set(i64::try_from(pending).unwrap_or(i64::MAX));
        self.passed.store(true, Ordering::Relaxed);
        self.status.dirty.notify_one();
    }
}

/// Aborts the status writer when the account's task ends (or is aborted).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Pulls `account` until the task is aborted.
pub(crate) async fn run_account(account: MailAccount, shared: Arc<Shared>, status: Arc<Status>) {
    let engine = shared.intake.engine().clone();
    let _writer = AbortOnDrop(tokio::spawn(status.clone().write_loop()));
    let progress = Arc::new(AccountProgress {
        status: status.clone(),
        metrics: shared.metrics.clone(),
        passed: AtomicBool::new(false),
    });
    let intake = match account.authserv_id.trim() {
        "" => shared.intake.clone(),
        // The provider's own `Authentication-Results` say who sent mail in this mailbox. Pulled mail
        // has no SMTP client, so the verifier plays no part.
        id => shared.intake.clone().with_auth(MailAuth { verifier: None, trusted_authserv_id: Some(id.to_string()) }),
    };
    let mut backoff = Backoff::new();
    info!(account = %account.name, protocol = account.protocol.as_str(), host = %account.host, port = account.port, "mailbox: account started");
    loop {
        let mut lease = match &shared.leases {
            Some(leases) => {
                let lease = acquire(leases.as_ref(), &account.name).await;
                status.reload().await;
                Some(lease)
            }
            None => None,
        };
        progress.passed.store(false, Ordering::Relaxed);
        let error = match secret(&shared, &engine, &account).await {
            Err(e) => e,
            Ok(secret) => {
                let ctx = SessionContext {
                    account: account.clone(),
                    intake: intake.clone(),
                    tls: shared.tls.clone(),
                    secret,
                    limits: shared.limits.clone(),
                    progress: progress.clone(),
                };
                let session = run_session(ctx);
                match lease.as_mut() {
                    Some(lease) => tokio::select! {
                        r = session => match r { Err(e) => e, Ok(never) => match never {} },
                        () = lease.lost() => {
                            warn!(account = %account.name, "mailbox: lease lost, stopping the session");
                            // The next holder goes on from these counts.
                            status.flush().await;
                            continue;
                        }
                    },
                    None => match session.await {
                        Err(e) => e,
                        Ok(never) => match never {},
                    },
                }
            }
        };
        // Another node may take the account while this one waits.
        drop(lease);
        if progress.passed.load(Ordering::Relaxed) {
            backoff.reset();
        }
        let delay = backoff.delay();
        warn!(account = %account.name, error = %error, retry_in_ms = delay.as_millis() as u64, "mailbox: session ended");
        let now = engine.now();
        status.update(|s| {
            s.last_error = Some(error.to_string());
            s.last_error_at = Some(now);
        });
        status.dirty.notify_one();
        tokio::time::sleep(delay).await;
    }
}

/// Waits for the account's lease, asking again every few seconds while another node holds it.
async fn acquire(leases: &dyn AccountLeases, name: &str) -> Box<dyn AccountLease> {
    let mut told = false;
    loop {
        match leases.acquire(name).await {
            Ok(Some(lease)) => return lease,
            Ok(None) => {
                if !told {
                    info!(account = %name, "mailbox: another node pulls this account; waiting for its lease");
                    told = true;
                }
            }
            Err(e) => warn!(account = %name, error = %e, "mailbox: asking for the account's lease failed"),
        }
        tokio::time::sleep(LEASE_RETRY).await;
    }
}

/// What the session logs in with.
async fn secret(shared: &Shared, engine: &Engine, account: &MailAccount) -> Result<Secret, MailboxError> {
    match &account.credential {
        MailCredential::Password { password } => Ok(Secret::Password(password.clone())),
        MailCredential::Xoauth2 { .. } => shared
            .tokens
            .access_token(engine, account)
            .await
            .map(Secret::AccessToken)
            .map_err(|e| MailboxError::Token(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_five_minutes_and_resets() {
        let mut b = Backoff::new();
        let first = b.delay();
        assert!(first >= Duration::from_millis(750) && first <= Duration::from_millis(1250), "{first:?}");
        for _ in 0..20 {
            b.delay();
        }
        let capped = b.delay();
        assert!(capped <= BACKOFF_MAX.mul_f64(1.25) && capped >= BACKOFF_MAX.mul_f64(0.75), "{capped:?}");
        b.reset();
        assert!(b.delay() <= Duration::from_millis(1250));
    }
}
