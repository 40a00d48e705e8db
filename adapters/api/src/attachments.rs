//! Files over the API: uploads with a new ticket or article (`multipart/form-data`: a `json` part with
//! the request's JSON and `file` parts), and the permission-checked download every attachment in an
//! answer links to (`url`).

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use chamado::{ArticleId, Attachment, AttachmentRef, AttachmentRefusal};
use chamado_http::AppState;
use chamado_http::auth::ApiCaller;
use chamado_http::extract::{ApiJson, too_large};
use chamado_http::{ApiResult, Problem, ProblemBody};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The download route.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download_attachment))
}

/// Where an attachment of an article is downloaded: the `url` of every attachment in API answers.
pub fn attachment_url(number: &str, article: ArticleId, index: usize) -> String {
    let number = utf8_percent_encode(number, PATH_SEGMENT);
    format!("/api/v1/tickets/{number}/articles/{}/attachments/{index}", article.0)
}

/// A request body that may carry files: JSON as before, or `multipart/form-data` with a `json` part
/// holding the same JSON and any number of `file` parts.
pub struct Upload<T> {
    /// The JSON request.
    pub body: T,
    /// The uploaded files, in the order sent.
    pub files: Vec<Attachment>,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Upload<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Problem> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
        // JSON keeps the server's body limit; a form has room for the files the engine takes (it checks
        // them exactly) and the request around them.
        let limit = if multipart {
            let files = state.engine.config().attachments.max_article_bytes;
            usize::try_from(files).unwrap_or(usize::MAX).saturating_add(state.config.max_body_bytes)
        } else {
            state.config.max_body_bytes
        };
        let (head, body) = req.into_parts();
        let req = Request::from_parts(head, Body::new(http_body_util::Limited::new(body, limit)));
        if !multipart {
            let ApiJson(body) = ApiJson::<T>::from_request(req, state).await?;
            return Ok(Upload { body, files: Vec::new() });
        }
        let mut parts = Multipart::from_request(req, state)
            .await
            .map_err(|e| Problem::bad_request("malformed_multipart", e.body_text()))?;
        let max_count = state.engine.config().attachments.max_count;
        let mut body: Option<T> = None;
        let mut files = Vec::new();
        while let Some(part) = parts.next_field().await.map_err(multipart_problem)? {
            match part.name() {
                Some("json") if body.is_some() => {
                    return Err(Problem::bad_request("malformed_multipart", "send one json part"));
                }
                Some("json") => {
                    let bytes = part.bytes().await.map_err(multipart_problem)?;
                    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
                        return Err(Problem::bad_request("malformed_json", "the json part must be a JSON object"));
                    }
                    let parsed = serde_json::from_slice(&bytes).map_err(|e| {
                        Problem::bad_request("malformed_json", format!("the json part does not fit: {e}"))
                    })?;
                    body = Some(parsed);
                }
                Some("file") => {
                    // Counted before reading, so a flood of tiny parts stops at the limit.
                    if files.len() >= max_count {
                        let refusal = AttachmentRefusal::TooMany { count: files.len() + 1, max: max_count };
                        return Err(chamado::Error::from(refusal).into());
                    }
                    let name = chamado_http::files::upload_name(part.file_name());
                    let content_type = chamado_http::files::upload_content_type(part.content_type());
                    let data = part.bytes().await.map_err(multipart_problem)?.to_vec();
                    files.push(Attachment { name, content_type, inline: false, data });
                }
                other => {
                    return Err(Problem::bad_request(
                        "malformed_multipart",
                        format!("unknown part {:?}: send a json part and file parts", other.unwrap_or("")),
                    ));
                }
            }
        }
        let body = body.ok_or_else(|| Problem::bad_request("malformed_multipart", "the json part is missing"))?;
        Ok(Upload { body, files })
    }
}

fn multipart_problem(e: axum::extract::multipart::MultipartError) -> Problem {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        Problem::bad_request("malformed_multipart", e.body_text())
    }
}

/// Characters kept as they are in a path segment (RFC 3986 unreserved); all others are encoded.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Downloads one file of an article. Agents need `ro` on the ticket's queue; customer users get files
/// of articles visible to them only (an internal note's file is 404, like a missing one). The answer
/// is always a download (`Content-Disposition: attachment`), never rendered: `nosniff` and a sandbox
/// policy keep a hostile file from running as this site.
#[utoipa::path(get, path = "/tickets/{number}/articles/{article}/attachments/{index}", tag = "tickets",
    params(("number" = String, Path, description = "Ticket number"),
        ("article" = u64, Path, minimum = 1, maximum = 9007199254740991.0, description = "Article id"),
        ("index" = u32, Path, minimum = 0, maximum = 4294967295.0, description = "The attachment's position in the article's list, from 0")),
    responses((status = 200, description = "The file's bytes, with its stored content type", content_type = "application/octet-stream", body = Vec<u8>),
        (status = "4XX", description = "Problem details", body = ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn download_attachment(
    State(st): State<AppState>,
    caller: ApiCaller,
    Path((number, article, index)): Path<(String, u64, u32)>,
) -> ApiResult<Response> {
    let file =
        st.engine.attachment(&caller.actor, &number, ArticleId(article), AttachmentRef::Index(index as usize)).await?;
    Ok(chamado_http::files::download(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_ticket_article_and_position() {
        assert_eq!(
            attachment_url("2026112710000017", ArticleId(5), 2),
            "/api/v1/tickets/2026112710000017/articles/5/attachments/2"
        );
        assert_eq!(attachment_url("a/b", ArticleId(1), 0), "/api/v1/tickets/a%2Fb/articles/1/attachments/0");
    }
}
