//! What adapters keep between requests — API tokens, sign-in sessions, chat states and link codes,
//! cursors and delivery progress — as typed engine operations over the store's key-value area, which
//! only the engine touches.

mod api_tokens;
mod chat_state;
mod cursors;
mod health;
mod identities;
mod json;
mod keys;
mod link_codes;
mod mail_accounts;
mod password_change;
mod sessions;

pub use chat_state::ChatState;
pub use link_codes::LinkRefusal;
pub use mail_accounts::{MailAccountStatus, MailToken};
pub use password_change::Credential;
pub use sessions::SessionKind;
