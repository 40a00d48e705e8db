//! Arbitrary bytes as the JSON body of every JSON-taking route (feature `fuzzing`): the driver shared
//! by the `http_json` fuzz target (`fuzz/fuzz_targets/http_json.rs`) and the seed replay test
//! (`tests/fuzz_seeds.rs`), so both check the same thing.
//!
//! Each input gets a fresh [`Fixture`] (memory store, fixed clock, seeded directory, an admin agent
//! token, a customer session, two tickets), so a finding replays on its own. The first byte picks the
//! route from [`ROUTES`]; the rest is the body, sent as `application/json`. The properties: no
//! answer is a server error (a handler panic is one: the router turns it into 500), and every error
//! answer on the API is problem+json.

use crate::router;
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chamado::{
    Actor, Agent, Customer, CustomerUser, Engine, FixedClock, MemoryStore, NewTicket, Role, Service, Timestamp,
};
use chamado_http::HttpConfig;
use chamado_http::auth::{agent_token, session};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tower::ServiceExt;

/// The admin agent's API token in every fixture.
pub const ADMIN_TOKEN: &str = "cha_fuzz-admin-token-0123456789";

/// The fixture's fixed time, so ticket numbers are the same in every run (seeds can name them).
pub const NOW_UNIX_SECONDS: i64 = 1_795_819_072;

/// `alice`'s password.
pub const ALICE_PASSWORD: &str = "correct horse";

/// The hash of [`ALICE_PASSWORD`], computed once per process (Argon2 is slow on purpose).
fn alice_hash() -> Result<&'static str, Finding> {
    static HASH: OnceLock<Result<String, String>> = OnceLock::new();
    match HASH.get_or_init(|| chamado_http::auth::password::hash(ALICE_PASSWORD).map_err(|e| e.to_string())) {
        Ok(h) => Ok(h),
        Err(e) => Err(Finding::Setup(e.clone())),
    }
}

/// Who calls a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// No credentials.
    Anonymous,
    /// The `admin` agent's bearer token.
    Admin,
    /// The customer user `alice`'s session token.
    Customer,
}

/// One route the driver can call. Paths may hold `{ticket}` and `{other}`: the numbers of the
/// fixture's two tickets.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// `POST`, `PATCH` or `PUT`.
    pub method: &'static str,
    /// The path, with placeholders.
    pub path: &'static str,
    /// Whose credentials go with it.
    pub caller: Caller,
    /// Whether to send an `Idempotency-Key` header.
    pub idempotency_key: bool,
}

const fn route(method: &'static str, path: &'static str, caller: Caller) -> Route {
    Route { method, path, caller, idempotency_key: false }
}

/// Every route that takes a JSON body, picked by the input's first byte (modulo the length). Append
/// only: seed files start with their route's index.
pub const ROUTES: &[Route] = &[
    route("POST", "/api/v1/sessions", Caller::Anonymous),
    route("POST", "/api/v1/tickets", Caller::Admin),
    Route { method: "POST", path: "/api/v1/tickets", caller: Caller::Customer, idempotency_key: true },
    route("POST", "/api/v1/tickets/{ticket}/articles", Caller::Admin),
    Route {
        method: "POST",
        path: "/api/v1/tickets/{ticket}/articles",
        caller: Caller::Customer,
        idempotency_key: true,
    },
    route("PATCH", "/api/v1/tickets/{ticket}", Caller::Admin),
    route("PATCH", "/api/v1/tickets/{ticket}", Caller::Customer),
    route("POST", "/api/v1/tickets/{ticket}/merge", Caller::Admin),
    route("POST", "/api/v1/customers", Caller::Admin),
    route("PATCH", "/api/v1/customers/acme", Caller::Admin),
    route("POST", "/api/v1/customer-users", Caller::Admin),
    route("PATCH", "/api/v1/customer-users/alice", Caller::Admin),
    route("POST", "/api/v1/agents", Caller::Admin),
    route("PATCH", "/api/v1/agents/agent2", Caller::Admin),
    route("POST", "/api/v1/groups", Caller::Admin),
    route("POST", "/api/v1/queues", Caller::Admin),
    route("POST", "/api/v1/services", Caller::Admin),
    route("POST", "/api/v1/roles", Caller::Admin),
    route("PUT", "/api/v1/agents/agent2/groups/users", Caller::Admin),
    route("PUT", "/api/v1/roles/helpers/groups/users", Caller::Admin),
    route("PUT", "/api/v1/customer-users/alice/groups/users", Caller::Admin),
    route("PUT", "/api/v1/customers/acme/groups/users", Caller::Admin),
    route("PUT", "/api/v1/default-groups/users", Caller::Admin),
    route("PUT", "/api/v1/import/records", Caller::Admin),
    route("PUT", "/api/v1/import/tickets", Caller::Admin),
    route("POST", "/api/v1/import/numbers", Caller::Admin),
];

/// The route an input selects and the body it sends.
pub fn split_input(data: &[u8]) -> Option<(usize, &Route, &[u8])> {
    let (first, body) = data.split_first()?;
    let index = usize::from(*first) % ROUTES.len();
    Some((index, ROUTES.get(index)?, body))
}

/// A seeded help desk behind the router.
pub struct Fixture {
    /// The router under test.
    pub app: Router,
    /// Its engine.
    pub engine: Engine,
    /// `alice`'s session token.
    pub session: String,
    /// A ticket of `alice`'s in `Raw`.
    pub ticket: String,
    /// Another ticket of `alice`'s (a merge target).
    pub other: String,
}

/// What went wrong: the fixture could not be built (a bug of the driver), or a property failed.
#[derive(Debug, thiserror::Error)]
pub enum Finding {
    /// Building the fixture failed.
    #[error("building the fixture: {0}")]
    Setup(String),
    /// A server error answer.
    #[error("{method} {path} answered {status}: {body}")]
    ServerError {
        /// The method.
        method: &'static str,
        /// The path called.
        path: String,
        /// The status.
        status: StatusCode,
        /// The body, lossily as text.
        body: String,
    },
    /// An API error answer that is not problem+json.
    #[error("{method} {path} answered {status} as {content_type:?}, not problem+json: {body}")]
    NotProblem {
        /// The method.
        method: &'static str,
        /// The path called.
        path: String,
        /// The status.
        status: StatusCode,
        /// Its content type.
        content_type: String,
        /// The body, lossily as text.
        body: String,
    },
}

fn setup<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> Finding + '_ {
    move |e| Finding::Setup(format!("{what}: {e}"))
}

impl Fixture {
    /// An engine on a memory store at [`NOW_UNIX_SECONDS`], seeded with OTRS's defaults; the admin
    /// agent with [`ADMIN_TOKEN`]; customer `acme` with customer user `alice` (password
    /// [`ALICE_PASSWORD`], a session open); agent `agent2`, role `helpers`, service `printing`; two tickets of `alice` in `Raw`.
    pub async fn new() -> Result<Fixture, Finding> {
        let clock = Arc::new(FixedClock::new(Timestamp::from_unix_seconds(NOW_UNIX_SECONDS)));
        let engine = Engine::builder(MemoryStore::new()).clock(clock).build().map_err(setup("engine"))?;
        engine.seed_defaults("admin").await.map_err(setup("seed"))?;
        let admin = engine.admin(&Actor::System).await.map_err(setup("admin"))?;
        agent_token::install(&admin, "admin", ADMIN_TOKEN)
            .await
            .map_err(|p| Finding::Setup(format!("token: {p:?}")))?;
        admin.put_customer(Customer::new("acme", "Acme Inc.")).await.map_err(setup("customer"))?;
        let mut alice = CustomerUser::new("alice", "alice@acme.example", "acme");
        alice.password_hash = Some(alice_hash()?.to_string());
        admin.put_customer_user(alice).await.map_err(setup("customer user"))?;
        admin.put_agent(Agent::new("agent2")).await.map_err(setup("agent"))?;
        admin.put_role(Role::new("helpers")).await.map_err(setup("role"))?;
        admin.put_service(Service::new("printing")).await.map_err(setup("service"))?;
        let session = session::open(&engine, "alice", Duration::from_secs(3600))
            .await
            .map_err(|p| Finding::Setup(format!("session: {p:?}")))?
            .token;
        let alice = Actor::customer("alice");
        let ticket = engine
            .create_ticket(&alice, NewTicket::new("Printer jams", "On tray 2.", "Raw"))
            .await
            .map_err(setup("ticket"))?
            .ticket
            .number;
        let other = engine
            .create_ticket(&alice, NewTicket::new("VPN down", "Since 9 am.", "Raw"))
            .await
            .map_err(setup("ticket"))?
            .ticket
            .number;
        let app = router(engine.clone(), HttpConfig::default());
        Ok(Fixture { app, engine, session, ticket, other })
    }

    /// A route's path with the fixture's ticket numbers.
    pub fn path(&self, route: &Route) -> String {
        route.path.replace("{ticket}", &self.ticket).replace("{other}", &self.other)
    }

    /// Sends `body` to `route`; the status, or the finding.
    pub async fn call(&self, route: &Route, body: &[u8]) -> Result<StatusCode, Finding> {
        let path = self.path(route);
        let method = Method::from_bytes(route.method.as_bytes()).map_err(setup("method"))?;
        let mut req = Request::builder().method(method).uri(&path).header(header::CONTENT_TYPE, "application/json");
        match route.caller {
            Caller::Anonymous => {}
            Caller::Admin => req = req.header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}")),
            Caller::Customer => req = req.header(header::AUTHORIZATION, format!("Bearer {}", self.session)),
        }
        if route.idempotency_key {
            req = req.header("idempotency-key", "fuzz-key-1");
        }
        let req = req.body(Body::from(body.to_vec())).map_err(setup("request"))?;
        let res = match self.app.clone().oneshot(req).await {
            Ok(res) => res,
            Err(never) => match never {},
        };
        let status = res.status();
        let content_type =
            res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        if status.is_server_error() {
            return Err(Finding::ServerError { method: route.method, path, status, body: text(res).await });
        }
        if status.is_client_error() && !content_type.starts_with("application/problem+json") {
            let body = text(res).await;
            return Err(Finding::NotProblem { method: route.method, path, status, content_type, body });
        }
        Ok(status)
    }
}

/// An answer's body, lossily as text (for findings).
async fn text(res: axum::response::Response) -> String {
    axum::body::to_bytes(res.into_body(), 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// What one input did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exercised {
    /// The index in [`ROUTES`].
    pub route: usize,
    /// The answer's status.
    pub status: StatusCode,
}

/// Runs one input on a fresh fixture: `None` for an empty input, else the route and status, or the
/// finding.
pub async fn exercise(data: &[u8]) -> Result<Option<Exercised>, Finding> {
    let Some((index, route, body)) = split_input(data) else { return Ok(None) };
    let fixture = Fixture::new().await?;
    let status = fixture.call(route, body).await?;
    Ok(Some(Exercised { route: index, status }))
}
