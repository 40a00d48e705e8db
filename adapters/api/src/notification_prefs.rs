//! `/api/v1/preferences/notifications` and `/api/v1/preferences/telegram-link`: what the calling agent
//! chooses about being told ("My queues", the channels per notification kind where the admins let
//! agents choose) and the Telegram chat its notifications go to. No admin right is needed.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chamado::{Actor, NotificationChoice};
pub use chamado_api_types::texts::{NotificationPrefIn, NotificationPrefsIn, NotificationPrefsOut, TelegramLinkCode};
use chamado_http::auth::ApiCaller;
use chamado_http::extract::ApiJson;
use chamado_http::random::secret;
use chamado_http::{ApiResult, AppState, Problem, ProblemBody};
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The chat network the Telegram adapter redeems agents' link codes under.
const NETWORK: &str = "telegram";
/// How long a link code works.
const TTL: Duration = Duration::from_secs(15 * 60);
/// Characters of a code: capitals and digits without look-alikes (0/O, 1/I/L), as the portal's and
/// the bot's codes; the bot reads codes in capitals whatever the person typed.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Length of a code.
const CODE_LEN: usize = 10;

/// The notification preference routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_notification_prefs, put_notification_prefs))
        .routes(routes!(create_telegram_link, delete_telegram_link))
}

async fn current(st: &AppState, actor: &Actor) -> ApiResult<NotificationPrefsOut> {
    Ok(st.engine.notification_settings(actor).await?.into())
}

/// The calling agent's notification settings: "My queues", the channels of each notification kind
/// (with whether the agent may change them) and whether a Telegram chat is linked. Customer users
/// are 403.
#[utoipa::path(get, path = "/preferences/notifications", tag = "sessions",
    responses((status = 200, description = "The agent's notification settings", body = NotificationPrefsOut),
        (status = 403, description = "Not an agent", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_notification_prefs(
    State(st): State<AppState>,
    caller: ApiCaller,
) -> ApiResult<Json<NotificationPrefsOut>> {
    Ok(Json(current(&st, &caller.actor).await?))
}

/// Sets the calling agent's "My queues" and channels; absent fields stay. A queue the agent cannot
/// read is 404; a choice for a kind whose channels the admins set is 403 unless it is what they set.
#[utoipa::path(put, path = "/preferences/notifications", tag = "sessions", request_body = NotificationPrefsIn,
    responses((status = 200, description = "The agent's notification settings as stored", body = NotificationPrefsOut),
        (status = 400, description = "Malformed JSON or unknown fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an agent, or a kind the admins set", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "A queue that does not exist or the agent cannot read", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn put_notification_prefs(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiJson(b): ApiJson<NotificationPrefsIn>,
) -> ApiResult<Json<NotificationPrefsOut>> {
    let my_queues = match b.my_queues {
        Some(q) => q,
        None => st.engine.notification_settings(&caller.actor).await?.my_queues,
    };
    let choices = b.notifications.map(|n| n.iter().map(NotificationChoice::from).collect());
    st.engine.set_notification_settings(&caller.actor, my_queues, choices).await?;
    Ok(Json(current(&st, &caller.actor).await?))
}

/// A fresh one-time code for the calling agent to send the helpdesk's Telegram bot as `/link CODE`
/// (within 15 minutes): the chat it comes from then gets the agent's Telegram notifications.
#[utoipa::path(post, path = "/preferences/telegram-link", tag = "sessions",
    responses((status = 201, description = "A fresh code", body = TelegramLinkCode),
        (status = 403, description = "Not an agent", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_telegram_link(
    State(st): State<AppState>,
    caller: ApiCaller,
) -> ApiResult<(StatusCode, Json<TelegramLinkCode>)> {
    let Actor::Agent(login) = &caller.actor else {
        return Err(Problem::forbidden("only agents link a Telegram chat for notifications"));
    };
    let code = new_code()?;
    let expires_at = st.engine.issue_agent_link_code(NETWORK, login, &code, TTL).await?;
    let command = format!("/link {code}");
    Ok((StatusCode::CREATED, Json(TelegramLinkCode { code, command, expires_at: expires_at.to_string() })))
}

/// Unlinks the calling agent's Telegram chat: Telegram notifications stop. Unlinking when none is
/// linked changes nothing.
#[utoipa::path(delete, path = "/preferences/telegram-link", tag = "sessions",
    responses((status = 204, description = "No chat is linked"),
        (status = 403, description = "Not an agent", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_telegram_link(State(st): State<AppState>, caller: ApiCaller) -> ApiResult<StatusCode> {
    st.engine.unlink_agent_chat(&caller.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A fresh random code of [`CODE_LEN`] characters of [`ALPHABET`], from a 256-bit secret's bytes.
fn new_code() -> ApiResult<String> {
    let hex = secret("").map_err(|e| Problem::internal(e.to_string()))?;
    let code: String = hex
        .as_bytes()
        .chunks(2)
        .filter_map(|pair| std::str::from_utf8(pair).ok().and_then(|p| u8::from_str_radix(p, 16).ok()))
        .take(CODE_LEN)
        .filter_map(|b| ALPHABET.get(usize::from(b) % ALPHABET.len()).map(|c| char::from(*c)))
        .collect();
    if code.len() == CODE_LEN { Ok(code) } else { Err(Problem::internal("no randomness for a link code")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_random_capitals_and_digits_without_look_alikes() {
        let (a, b) = (new_code().unwrap_or_default(), new_code().unwrap_or_default());
        assert_eq!(a.len(), CODE_LEN);
        assert_ne!(a, b);
        assert!(a.bytes().chain(b.bytes()).all(|c| ALPHABET.contains(&c)), "{a} {b}");
    }
}
