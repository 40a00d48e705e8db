//! What could not come over, and why: the import's report lists every one.

use serde::Serialize;

/// Something of the Znuny database the import leaves out (or brings over changed), with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// What kind of thing: `agent`, `customer_user`, `grant`, `queue`, `ticket`, `article`,
    /// `attachment`, `history`, `setting`, ...
    pub kind: String,
    /// Which one, as Znuny names it (a login, a ticket number, `ticket 2021012710123456 article 7`).
    pub key: String,
    /// Why, and what was done instead if anything.
    pub reason: String,
}

impl Skipped {
    /// A skipped item.
    pub fn new(kind: &str, key: impl Into<String>, reason: impl Into<String>) -> Skipped {
        Skipped { kind: kind.to_string(), key: key.into(), reason: reason.into() }
    }
}
