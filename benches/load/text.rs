//! Ticket and mail text: words from a small help-desk vocabulary, so titles differ and a search for one
//! word has hits.

use crate::rng::Rng;

/// The words titles, bodies and searches are made of.
pub const WORDS: &[&str] = &[
    "printer",
    "vpn",
    "mailbox",
    "password",
    "laptop",
    "monitor",
    "invoice",
    "license",
    "backup",
    "network",
    "wifi",
    "keyboard",
    "server",
    "database",
    "upgrade",
    "outage",
    "access",
    "account",
    "phone",
    "headset",
    "calendar",
    "meeting",
    "report",
    "export",
    "import",
    "certificate",
    "firewall",
    "router",
    "scanner",
    "toner",
    "badge",
    "door",
    "payroll",
    "contract",
    "shipment",
    "delivery",
    "refund",
    "order",
    "quote",
    "warranty",
    "install",
    "crash",
    "slow",
    "error",
    "login",
    "reset",
    "locked",
    "quota",
    "storage",
    "sync",
];

/// One random word.
pub fn word(rng: &mut Rng) -> &'static str {
    WORDS[rng.below(WORDS.len())]
}

/// A ticket title of three words.
pub fn title(rng: &mut Rng) -> String {
    format!("{} {} {}", word(rng), word(rng), word(rng))
}

/// A message body of about 250 bytes.
pub fn body(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(320);
    for i in 0..40 {
        if i > 0 {
            s.push(if i % 10 == 0 { '\n' } else { ' ' });
        }
        s.push_str(word(rng));
    }
    s
}
