//! The server-rendered agent and admin console: `/agent` (login, queue view with the escalation clocks,
//! ticket zoom with its actions, clocks, watchers and template pickers, new phone ticket, search,
//! preferences with notifications, "My queues" and the Telegram link, the SLA report) and `/admin` (the
//! directory, queues, mail accounts, texts and notifications, calendars and SLAs).
//!
//! Works without JavaScript; every form carries a CSRF token; all content is escaped. The console
//! decides which actions to *show* by asking the engine's resolver ([`chamado::AgentAccess`]); every
//! change goes through the engine, whose errors answer forged requests (403, 404).

mod admin;
mod age;
mod attachments;
mod customer_form;
mod escalation_box;
mod frame;
mod login;
mod phone;
mod preferences;
mod queue_view;
mod search;
mod session;
mod sla_report;
mod time_left;
mod zoom;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use chamado::{Actor, Queue, Record, RecordKind};
use chamado_http::AppState;
use chamado_http::Problem;

/// Most directory records a console list loads at once.
const MAX_RECORDS: usize = 10_000;

/// The console routes (`/agent/...` and `/admin/...`), to merge into the adapter's router.
pub fn routes() -> Router<chamado_http::AppState> {
    Router::new()
        .route("/agent", get(queue_view::show))
        .route("/agent/login", get(login::show).post(login::submit))
        .route("/agent/logout", post(login::logout))
        .route("/agent/search", get(search::show))
        .route("/agent/reports/sla", get(sla_report::show))
        .route("/agent/preferences", get(preferences::show).post(preferences::save))
        .route("/agent/preferences/notifications", post(preferences::save_notifications))
        .route("/agent/preferences/telegram-code", post(preferences::telegram_code))
        .route("/agent/preferences/telegram-unlink", post(preferences::telegram_unlink))
        // Upload forms read their body under the engine's attachment limits instead of the server's.
        .route("/agent/tickets/new", get(phone::form).post(phone::create).layer(DefaultBodyLimit::disable()))
        .route("/agent/tickets/{number}", get(zoom::show))
        .route("/agent/tickets/{number}/reply", post(zoom::reply).layer(DefaultBodyLimit::disable()))
        .route("/agent/tickets/{number}/note", post(zoom::note).layer(DefaultBodyLimit::disable()))
        .route("/agent/tickets/{number}/{action}", post(zoom::act))
        .route("/agent/tickets/{number}/articles/{article}/attachments/{index}", get(attachments::download))
        .merge(admin::routes())
}

/// Every queue of the directory (a directory read; what an agent may do with them is asked per queue).
async fn all_queues(st: &AppState) -> Result<Vec<Queue>, Problem> {
    Ok(records(st, RecordKind::Queue)
        .await?
        .into_iter()
        .filter_map(|r| match r {
            Record::Queue(q) => Some(q),
            _ => None,
        })
        .collect())
}

/// All records of a kind, read as the system (directory reads only).
async fn records(st: &AppState, kind: RecordKind) -> Result<Vec<Record>, Problem> {
    let admin = st.engine.admin(&Actor::System).await?;
    let mut out: Vec<Record> = Vec::new();
    loop {
        let after = out.last().map(|r| r.key().key);
        let batch = admin.list(kind, after.as_deref(), 500).await?;
        let done = batch.len() < 500;
        out.extend(batch);
        if done || out.len() >= MAX_RECORDS {
            return Ok(out);
        }
    }
}
