//! Forms with files that cannot be forged: [`CsrfMultipart`] reads a `multipart/form-data` form of a
//! signed-in user, checks its CSRF token as soon as the `csrf` field arrives (so no file of a forged
//! form is ever buffered), and hands the handler the typed text fields and the files.

use crate::csrf::{CsrfForm, FormSession, forged_problem};
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::response::Response;
use chamado::{Attachment, AttachmentRefusal};
use chamado_http::{AppState, Problem, files};
use serde::de::DeserializeOwned;

/// The name of the form's file inputs (`<input type="file" name="files" multiple>`).
pub const FILES_FIELD: &str = "files";

/// A form `T` with files posted by signed-in user `U`: the user is extracted first (anonymous
/// visitors go to the login page), a missing or wrong `csrf` field answers 403 before any file is read,
/// a body over the engine's per-message limit ([`chamado::AttachmentLimits`], plus the server's body
/// limit for the text) 413 as soon as it passes it, more files than the engine takes 422 before the
/// next one is read, and text fields that do not fit `T` 422, all before the handler runs. The engine
/// checks each file against its limits exactly when the files reach it. File inputs left empty are
/// skipped. A URL-encoded form (no files) is taken too, so a form works
/// whichever way it is sent.
pub struct CsrfMultipart<U, T>(pub U, pub T, pub Vec<Attachment>);

impl<U, T> FromRequest<AppState> for CsrfMultipart<U, T>
where
    U: FromRequestParts<AppState, Rejection = Response> + FormSession + Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let Ok(boundary) = multer::parse_boundary(content_type) else {
            let CsrfForm(user, form) = CsrfForm::<U, T>::from_request(req, state).await?;
            return Ok(CsrfMultipart(user, form, Vec::new()));
        };
        let (mut parts, body) = req.into_parts();
        let user = U::from_request_parts(&mut parts, state).await?;
        let limits = state.engine.config().attachments;
        let text = u64::try_from(state.config.max_body_bytes).unwrap_or(u64::MAX);
        let cap = limits.max_article_bytes.saturating_add(text);
        let (fields, files) = read(&user, body, boundary, cap, limits.max_count).await?;
        // The token was checked on the way; the text fields get the URL-encoded forms' typed parse.
        let form = serde_urlencoded::to_string(&fields)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_urlencoded::from_str::<T>(&text).map_err(|e| e.to_string()))
            .map_err(|e| user.reject(&Problem::validation(format!("the form does not fit: {e}"))))?;
        Ok(CsrfMultipart(user, form, files))
    }
}

/// The text fields and the files of a multipart body, the token checked on the way.
async fn read<U: FormSession + Sync>(
    user: &U,
    body: Body,
    boundary: String,
    cap: u64,
    max_files: usize,
) -> Result<(Vec<(String, String)>, Vec<Attachment>), Response> {
    let limits = multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(cap));
    let mut parts = multer::Multipart::with_constraints(body.into_data_stream(), boundary, limits);
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut files = Vec::new();
    let mut verified = false;
    let fail = |e: multer::Error| user.reject(&problem_of(e));
    while let Some(part) = parts.next_field().await.map_err(fail)? {
        let name = part.name().unwrap_or("").to_string();
        if name == FILES_FIELD {
            if !verified {
                return Err(user.reject(&forged_problem()));
            }
            let file_name = part.file_name().map(str::to_string);
            let content_type = files::content_type(part.content_type().map(|m| m.essence_str()));
            // Counted before reading, so a flood of small files stops at the limit.
            if files.len() >= max_files {
                let refusal = AttachmentRefusal::TooMany { count: files.len() + 1, max: max_files };
                return Err(user.reject(&chamado::Error::from(refusal).into()));
            }
            let data = part.bytes().await.map_err(fail)?;
            // An empty file input sends an unnamed, empty part.
            if data.is_empty() && file_name.as_deref().unwrap_or("").is_empty() {
                continue;
            }
            files.push(Attachment {
                name: files::file_name(file_name.as_deref()),
                content_type,
                inline: false,
                data: data.to_vec(),
            });
            continue;
        }
        let value = part.text().await.map_err(fail)?;
        if name == "csrf" {
            if value.is_empty() || !user.csrf_ok(&value) {
                return Err(user.reject(&forged_problem()));
            }
            verified = true;
        }
        fields.push((name, value));
    }
    if !verified {
        return Err(user.reject(&forged_problem()));
    }
    Ok((fields, files))
}

/// A malformed or oversized multipart body as a problem: 413 past the size limit, else 400.
fn problem_of(e: multer::Error) -> Problem {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            chamado_http::extract::too_large()
        }
        e => Problem::bad_request("malformed_multipart", format!("the form could not be read: {e}")),
    }
}
