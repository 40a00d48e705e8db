//! `/api/v1/mail-accounts`: the IMAP and POP3 mailboxes the helpdesk pulls mail from (admins). Answers
//! never carry a secret; a refusal's detail is in the language `Accept-Language` asks for, since the
//! admin who reads it typed the field it names.

use crate::admin_common::{ListParams, admin, must_not_exist};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use chamado::{Admin, MailAccount, RecordKind};
pub use chamado_api_types::mail_accounts::{
    MailAccountChanges, MailAccountIn, MailAccountList, MailAccountOut, MailAccountPatch, NewMailAccount,
};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::{ApiJson, ApiQuery};
use chamado_http::{ApiResult, Problem, ProblemBody};
use chamado_i18n::{Language, Tr};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The mail account routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_mail_account, list_mail_accounts)).routes(routes!(
        get_mail_account,
        patch_mail_account,
        delete_mail_account
    ))
}

/// `p` with its detail in the language `Accept-Language` asks for, when the one who refused wrote a
/// translatable message; the stable code and status stay.
pub(crate) fn localized(p: Problem, headers: &HeaderMap) -> Problem {
    let language = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Language::negotiate);
    let (Some(language), Some(message)) = (language, p.message()) else { return p };
    let detail = message.render(&Tr::new(language));
    let title = match p.status() {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Permission denied",
        StatusCode::CONFLICT => "Conflict",
        StatusCode::UNPROCESSABLE_ENTITY => "Invalid input",
        StatusCode::BAD_REQUEST => "Bad request",
        StatusCode::TOO_MANY_REQUESTS => "Too many requests",
        _ => return p,
    };
    Problem::new(p.status(), p.code(), title, detail)
}

/// 409 for a change the account's other settings refuse, with the engine's reason.
fn clash(e: chamado::Error) -> Problem {
    match e.message() {
        Some(m) => Problem::conflict("conflict", m.english()).with_message(m),
        None => e.into(),
    }
}

/// The account as shown, with its status.
async fn shown(st: &AppState, account: MailAccount) -> ApiResult<MailAccountOut> {
    let status = st.engine.mail_account_status(&account.name).await?;
    Ok(MailAccountOut::new(account, status))
}

/// 404 for a name no account can have (the engine would refuse it as a key, a 422 for what is only a
/// missing account).
fn missing_unless_named(name: &str) -> ApiResult<()> {
    if name.is_empty() || name.len() > 64 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
        return Err(Problem::not_found(format!("mail account {name:?} not found")));
    }
    Ok(())
}

async fn load(st: &AppState, name: &str) -> ApiResult<MailAccount> {
    missing_unless_named(name)?;
    st.engine.mail_account(name).await?.ok_or_else(|| Problem::not_found(format!("mail account {name:?} not found")))
}

/// Adds a mail account (admins). Its queue must exist; 409 when the name is taken.
#[utoipa::path(post, path = "/mail-accounts", tag = "admin", request_body = NewMailAccount,
    responses((status = 201, description = "Created (no secret is shown)", body = MailAccountOut),
        (status = 400, description = "Malformed JSON or unknown fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "No valid credentials", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "The queue does not exist", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A mail account of that name exists", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule (the detail follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create_mail_account(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    ApiJson(body): ApiJson<MailAccountIn>,
) -> ApiResult<(StatusCode, Json<MailAccountOut>)> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let account = body.into_account()?;
        must_not_exist(&admin, RecordKind::MailAccount, &account.name, "mail account").await?;
        admin.put_mail_account(account.clone()).await?;
        Ok((StatusCode::CREATED, Json(shown(&st, account).await?)))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Lists mail accounts (admins), in name order, each with its status.
#[utoipa::path(get, path = "/mail-accounts", tag = "admin", params(ListParams),
    responses((status = 200, description = "Mail accounts (no secret is shown)", body = MailAccountList),
        (status = 400, description = "Malformed parameters", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "No valid credentials", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list_mail_accounts(
    State(st): State<AppState>,
    caller: ApiCaller,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<MailAccountList>> {
    let admin = admin(&st, &caller).await?;
    let mut out = Vec::new();
    for account in page(&admin, &p).await? {
        out.push(shown(&st, account).await?);
    }
    Ok(Json(MailAccountList { mail_accounts: out }))
}

/// The accounts a listing asks for: searched, or a page after a name, in name order.
async fn page(admin: &Admin<'_>, p: &ListParams) -> ApiResult<Vec<MailAccount>> {
    let records = crate::admin_common::list_records(admin, RecordKind::MailAccount, p).await?;
    Ok(records
        .into_iter()
        .filter_map(|r| if let chamado::Record::MailAccount(m) = r { Some(m) } else { None })
        .collect())
}

/// One mail account (admins), with its status.
#[utoipa::path(get, path = "/mail-accounts/{name}", tag = "admin", params(("name" = String, Path, description = "Account name")),
    responses((status = 200, description = "The account (no secret is shown)", body = MailAccountOut),
        (status = 401, description = "No valid credentials", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn get_mail_account(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> ApiResult<Json<MailAccountOut>> {
    admin(&st, &caller).await?;
    let account = load(&st, &name).await?;
    Ok(Json(shown(&st, account).await?))
}

/// Changes a mail account (admins; JSON merge patch): absent fields stay, secrets too unless new ones
/// are given, whatever else changes.
#[utoipa::path(patch, path = "/mail-accounts/{name}", tag = "admin", request_body = MailAccountChanges,
    params(("name" = String, Path, description = "Account name")),
    responses((status = 200, description = "The changed account (no secret is shown)", body = MailAccountOut),
        (status = 400, description = "Malformed JSON or unknown fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "No valid credentials", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account, or its new queue does not exist", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The change clashes with the account's other settings (the detail follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A field of the patch breaks a rule (the detail follows Accept-Language)", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn patch_mail_account(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(name): Path<String>,
    ApiJson(p): ApiJson<MailAccountPatch>,
) -> ApiResult<Json<MailAccountOut>> {
    let run = async {
        let admin = admin(&st, &caller).await?;
        let mut account = load(&st, &name).await?;
        // The patch's own faults are 422s; a sound patch that clashes with the account's other
        // settings (no TLS to a remote host, POP3 with its IMAP folders) is a conflict with what is stored.
        p.check_alone()?;
        p.apply(&mut account).and_then(|()| account.validate()).map_err(clash)?;
        admin.put_mail_account(account.clone()).await?;
        Ok(Json(shown(&st, account).await?))
    };
    run.await.map_err(|p| localized(p, &headers))
}

/// Removes a mail account (admins), with its status and OAuth2 tokens; its checkpoints stay, so the
/// same account added again does not take its mail twice.
#[utoipa::path(delete, path = "/mail-accounts/{name}", tag = "admin", params(("name" = String, Path, description = "Account name")),
    responses((status = 204, description = "Removed"),
        (status = 401, description = "No valid credentials", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = ProblemBody, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete_mail_account(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    let admin = admin(&st, &caller).await?;
    missing_unless_named(&name)?;
    admin.delete_mail_account(&name).await?;
    Ok(StatusCode::NO_CONTENT)
}
