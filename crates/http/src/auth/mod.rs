//! Authentication: agent API tokens, customer sessions, passwords and the failed-login throttle.
//! The adapter only establishes *who* calls; what they may do is the engine's decision.

pub use chamado_auth::agent_token;
mod agent_password;
mod caller;
mod csrf_secret;
mod login;
pub use chamado_auth::password;
mod rehash;
pub mod session;
pub mod session_kind;
pub mod throttle;
pub use chamado_auth::token_logins;

pub use agent_password::set_agent_password;
pub use caller::ApiCaller;
pub use csrf_secret::{CsrfSecretError, stored_csrf_secret};
pub use login::{LoginRefusal, agent_login, customer_login, customer_login_check};
