//! What every handler shares.

use crate::auth::throttle::Throttle;
use crate::auth::token_logins::TokenLogins;
use crate::config::HttpConfig;
use chamado::Engine;
use chamado_auth::csrf::CsrfKey;
use std::sync::Arc;

/// The state of the router: the engine, the settings and the login throttle.
#[derive(Clone)]
pub struct AppState {
    /// The engine.
    pub engine: Engine,
    /// The settings.
    pub config: Arc<HttpConfig>,
    /// Failed-login bookkeeping.
    pub throttle: Arc<Throttle>,
    /// The agents of API tokens seen before.
    pub token_logins: Arc<TokenLogins>,
    /// The key of the HTML forms' CSRF tokens ([`HttpConfig::csrf_secret`], or random per process).
    pub csrf: Arc<CsrfKey>,
}

impl AppState {
    /// State for `engine` with `config`.
    pub fn new(engine: Engine, config: HttpConfig) -> Self {
        let throttle = Arc::new(Throttle::new(config.login_throttle.clone()));
        let csrf = match &config.csrf_secret {
            Some(secret) => CsrfKey::from_secret(secret),
            // The system random source does not fail on the systems we run on; should it, a key
            // only this process knows still keeps other sites from forging forms.
            None => {
                CsrfKey::random().unwrap_or_else(|_| CsrfKey::from_secret(&format!("{:?}", std::time::Instant::now())))
            }
        };
        AppState { engine, config: Arc::new(config), throttle, token_logins: Arc::default(), csrf: Arc::new(csrf) }
    }
}
