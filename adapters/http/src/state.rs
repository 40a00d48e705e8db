//! What every handler shares.

use crate::auth::throttle::Throttle;
use crate::auth::token_logins::TokenLogins;
use crate::config::HttpConfig;
use chamado::Engine;
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
}

impl AppState {
    /// State for `engine` with `config`.
    pub fn new(engine: Engine, config: HttpConfig) -> Self {
        let throttle = Arc::new(Throttle::new(config.login_throttle.clone()));
        AppState { engine, config: Arc::new(config), throttle, token_logins: Arc::default() }
    }
}
