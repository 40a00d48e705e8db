//! Forms with files that cannot be forged: [`CsrfMultipart`] reads a `multipart/form-data` form of a
//! signed-in user, checks its CSRF token before it reads any file, keeps the engine's attachment
//! limits, and hands the handler the typed fields and the files.

use crate::csrf::{FormSession, forged_problem, form_fields};
use axum::body::{Body, Bytes};
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use chamado::{Attachment, AttachmentRefusal};
use chamado_http::extract::too_large;
use chamado_http::{AppState, Problem};
use serde::de::DeserializeOwned;

/// The name of the file inputs (`<input type="file" name="files" multiple>`).
pub const FILES_FIELD: &str = "files";

/// A form `T` with files, posted by signed-in user `U` with `U`'s CSRF token (field `csrf`).
///
/// What it does before the handler runs, in order:
/// - the user is extracted first (anonymous visitors go to the login page);
/// - the body may be as large as the engine's per-article file limit
///   ([`chamado::AttachmentLimits::max_article_bytes`]) plus the server's body limit; beyond it 413;
/// - `multipart/form-data`: text parts become the fields of `T` (as if URL-encoded, so `T` is the
///   same struct a [`crate::csrf::CsrfForm`] would take), parts named [`FILES_FIELD`] become
///   [`Attachment`]s (name without any path, a plain `type/subtype` or `application/octet-stream`;
///   the empty part a browser sends for a file input left empty is skipped). The `csrf` part must come
///   before the first file, as it does when the form's hidden `csrf` input is its first field: a wrong
///   or missing token answers 403 before a single file byte is kept;
/// - a URL-encoded body (a client that sends no files) is taken as [`crate::csrf::CsrfForm`] takes it;
/// - too many files answer 422, a file or the files together over the limits 413
///   ([`chamado::AttachmentLimits::check`], the rule the engine applies again when it writes), text
///   fields over the server's body limit 413, fields that do not fit `T` 422.
///
/// Every refusal is an error page of `U`'s surface ([`FormSession::reject`]). Routes taking it lift
/// the server-wide body limit, which it replaces by its own:
///
/// ```ignore
/// .route("/tickets/new", post(create).layer(axum::extract::DefaultBodyLimit::disable()))
/// async fn create(CsrfMultipart { user, form, files }: CsrfMultipart<PortalUser, NewForm>) -> Response
/// ```
pub struct CsrfMultipart<U, T> {
    /// The signed-in user.
    pub user: U,
    /// The text fields.
    pub form: T,
    /// The files, in the order sent.
    pub files: Vec<Attachment>,
}

impl<U, T> FromRequest<AppState> for CsrfMultipart<U, T>
where
    U: FromRequestParts<AppState, Rejection = Response> + FormSession + Send,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let user = U::from_request_parts(&mut parts, state).await?;
        let multipart = is_multipart(&parts.headers);
        let text_limit = state.config.max_body_bytes;
        let limits = state.engine.config().attachments;
        let limit = if multipart {
            usize::try_from(limits.max_article_bytes).unwrap_or(usize::MAX).saturating_add(text_limit)
        } else {
            text_limit
        };
        let req = Request::from_parts(parts, Body::new(http_body_util::Limited::new(body, limit)));
        if !multipart {
            let bytes = Bytes::from_request(req, state).await.map_err(|_| user.reject(&too_large()))?;
            let form = form_fields(&user, &bytes).map_err(|p| user.reject(&p))?;
            return Ok(CsrfMultipart { user, form, files: Vec::new() });
        }
        let mut multipart = Multipart::from_request(req, state).await.map_err(|e| {
            user.reject(
                &Problem::bad_request("malformed_multipart", format!("the form could not be read: {}", e.body_text()))
                    .with_message(chamado_i18n::Message::new("page-form-unreadable")),
            )
        })?;
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut text_bytes = 0usize;
        let mut csrf_ok = false;
        let mut files = Vec::new();
        while let Some(part) = multipart.next_field().await.map_err(|e| user.reject(&multipart_problem(&e)))? {
            let name = part.name().unwrap_or_default().to_string();
            if name != FILES_FIELD {
                let value = part.text().await.map_err(|e| user.reject(&multipart_problem(&e)))?;
                text_bytes = text_bytes.saturating_add(name.len() + value.len());
                if text_bytes > text_limit {
                    return Err(user.reject(&too_large()));
                }
                if name == "csrf" {
                    csrf_ok = !value.is_empty() && user.csrf_ok(&value);
                    if !csrf_ok {
                        return Err(user.reject(&forged_problem()));
                    }
                }
                fields.push((name, value));
                continue;
            }
            if !csrf_ok {
                return Err(user.reject(&forged_problem()));
            }
            let sent_name = part.file_name().unwrap_or_default().to_string();
            let content_type = chamado_http::files::upload_content_type(part.content_type());
            let data = part.bytes().await.map_err(|e| user.reject(&multipart_problem(&e)))?;
            if sent_name.is_empty() && data.is_empty() {
                continue;
            }
            // Counted as they come, so a flood of tiny parts stops at the limit.
            if files.len() >= limits.max_count {
                let refusal = AttachmentRefusal::TooMany { count: files.len() + 1, max: limits.max_count };
                return Err(user.reject(&chamado::Error::from(refusal).into()));
            }
            let name = chamado_http::files::upload_name(Some(&sent_name));
            files.push(Attachment { name, content_type, inline: false, data: data.to_vec() });
        }
        if !csrf_ok {
            return Err(user.reject(&forged_problem()));
        }
        limits.check(&files).map_err(|r| user.reject(&chamado::Error::from(r).into()))?;
        let encoded = serde_urlencoded::to_string(&fields).map_err(|_| user.reject(&too_large()))?;
        let form = serde_urlencoded::from_str::<T>(&encoded).map_err(|e| {
            user.reject(
                &Problem::validation(format!("the form does not fit: {e}"))
                    .with_message(chamado_i18n::Message::new("page-form-mismatch")),
            )
        })?;
        Ok(CsrfMultipart { user, form, files })
    }
}

/// Whether the request says it carries `multipart/form-data`.
fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// A multipart reading error: the body limit is 413, anything else a malformed form.
fn multipart_problem(e: &MultipartError) -> Problem {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        Problem::bad_request("malformed_multipart", format!("the form could not be read: {}", e.body_text()))
            .with_message(chamado_i18n::Message::new("page-form-unreadable"))
    }
}
