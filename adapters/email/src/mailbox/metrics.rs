//! Per-account metrics of mailbox pulling. The adapter owns the families; the host registers them in
//! its Prometheus registry ([`MailboxMetrics::register`], or one by one with the names and help texts
//! here, e.g. through a registry wrapper that registers each name once).

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

/// The label set: the account's name.
pub type AccountLabels = Vec<(String, String)>;

/// The families, cheap to clone (clones share their values).
#[derive(Clone, Debug, Default)]
pub struct MailboxMetrics {
    /// `chamado_mailbox_imported_total{account}`: messages taken.
    pub imported: Family<AccountLabels, Counter>,
    /// `chamado_mailbox_failed_total{account}`: messages refused and passed over.
    pub failed: Family<AccountLabels, Counter>,
    /// `chamado_mailbox_last_success_timestamp_seconds{account}`: when a pass last completed.
    pub last_success: Family<AccountLabels, Gauge>,
    /// `chamado_mailbox_pending{account}`: messages on the server not yet taken, as last counted.
    pub pending: Family<AccountLabels, Gauge>,
}

impl MailboxMetrics {
    /// Registry name of [`MailboxMetrics::imported`] (the registry appends `_total`).
    pub const IMPORTED: &'static str = "chamado_mailbox_imported";
    /// Help text of [`MailboxMetrics::imported`].
    pub const IMPORTED_HELP: &'static str = "Messages taken from the mailbox";
    /// Registry name of [`MailboxMetrics::failed`] (the registry appends `_total`).
    pub const FAILED: &'static str = "chamado_mailbox_failed";
    /// Help text of [`MailboxMetrics::failed`].
    pub const FAILED_HELP: &'static str = "Messages refused and passed over";
    /// Registry name of [`MailboxMetrics::last_success`].
    pub const LAST_SUCCESS: &'static str = "chamado_mailbox_last_success_timestamp_seconds";
    /// Help text of [`MailboxMetrics::last_success`].
    pub const LAST_SUCCESS_HELP: &'static str = "When a pass over the mailbox last completed (Unix seconds)";
    /// Registry name of [`MailboxMetrics::pending`].
    pub const PENDING: &'static str = "chamado_mailbox_pending";
    /// Help text of [`MailboxMetrics::pending`].
    pub const PENDING_HELP: &'static str = "Messages on the server not yet taken, as last counted";

    /// Registers the four families in `registry`.
    pub fn register(&self, registry: &mut Registry) {
        registry.register(Self::IMPORTED, Self::IMPORTED_HELP, self.imported.clone());
        registry.register(Self::FAILED, Self::FAILED_HELP, self.failed.clone());
        registry.register(Self::LAST_SUCCESS, Self::LAST_SUCCESS_HELP, self.last_success.clone());
        registry.register(Self::PENDING, Self::PENDING_HELP, self.pending.clone());
    }

    /// The labels of `account`.
    pub fn labels(account: &str) -> AccountLabels {
        vec![("account".to_string(), account.to_string())]
    }

    /// Forgets a removed account's series.
    pub fn forget(&self, account: &str) {
        let labels = Self::labels(account);
        self.imported.remove(&labels);
        self.failed.remove(&labels);
        self.last_success.remove(&labels);
        self.pending.remove(&labels);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_render_per_account() {
        let m = MailboxMetrics::default();
        let mut registry = Registry::default();
        m.register(&mut registry);
        m.imported.get_or_create(&MailboxMetrics::labels("support")).inc_by(3);
        m.pending.get_or_create(&MailboxMetrics::labels("support")).set(7);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &registry).unwrap();
        assert!(out.contains("chamado_mailbox_imported_total{account=\"support\"} 3"), "{out}");
        assert!(out.contains("chamado_mailbox_pending{account=\"support\"} 7"), "{out}");
        m.forget("support");
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &registry).unwrap();
        assert!(!out.contains("account=\"support\""), "{out}");
    }
}
