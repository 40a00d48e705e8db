//! Extractors that answer malformed requests with problem details instead of axum's plain text.

use crate::problem::Problem;
use axum::extract::rejection::{FormRejection, JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// A JSON body; malformed JSON is 400, a wrong content type 415, a body over the limit 413.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        if !is_json(req.headers()) {
            return Err(not_json());
        }
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => {
                return Err(Problem::bad_request(
                    "malformed_body",
                    format!("the body could not be read: {}", e.body_text()),
                ));
            }
        };
        // Every body of this API is an object; serde would also read a struct from an array of its
        // fields in order, which no schema describes.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(Problem::bad_request("malformed_json", "the body must be a JSON object"));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(json_problem(&e)),
        }
    }
}

/// `application/json` or a `+json` type, as axum's own check.
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn not_json() -> Problem {
    Problem::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "Unsupported media type",
        "send the body as JSON with Content-Type: application/json",
    )
}

fn json_problem(e: &JsonRejection) -> Problem {
    match e {
        JsonRejection::MissingJsonContentType(_) => not_json(),
        JsonRejection::JsonSyntaxError(e) => {
            Problem::bad_request("malformed_json", format!("the body is not valid JSON: {}", e.body_text()))
        }
        JsonRejection::JsonDataError(e) => {
            Problem::bad_request("malformed_json", format!("the JSON does not fit: {}", e.body_text()))
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        other => Problem::bad_request("malformed_body", format!("the body could not be read: {}", other.body_text())),
    }
}

/// The 413 problem.
pub fn too_large() -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "Payload too large",
        "the request body is larger than this server accepts",
    )
}

/// Query parameters; malformed ones are 400.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(Problem::bad_request(
                "malformed_query",
                format!("the query parameters do not fit: {}", e.body_text()),
            )),
            Err(e) => Err(Problem::bad_request("malformed_query", e.body_text())),
        }
    }
}

/// A url-encoded form body (the portal); malformed forms are 400, a body over the limit 413.
pub struct PortalForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for PortalForm<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(PortalForm(v)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(too_large()),
            Err(FormRejection::InvalidFormContentType(_)) => Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Unsupported media type",
                "send the form as application/x-www-form-urlencoded",
            )),
            Err(e) => Err(Problem::bad_request("malformed_form", format!("the form does not fit: {}", e.body_text()))),
        }
    }
}

/// The `Idempotency-Key` header of a POST: a retried request with the same key has the first effect.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let Some(v) = parts.headers.get("idempotency-key") else { return Ok(IdempotencyKey(None)) };
        let key = v
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.len() <= 200 && k.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| {
                Problem::bad_request("malformed_header", "Idempotency-Key must be 1 to 200 visible ASCII characters")
            })?;
        Ok(IdempotencyKey(Some(key.to_string())))
    }
}
