//! RFC 9457 problem details: every error the adapter answers, with a stable code.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The JSON body of an error (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProblemBody {
    /// A URI naming the kind of problem: `urn:chamado:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this case and what to do about it.
    pub detail: String,
    /// The stable code clients branch on, e.g. `not_found`, `validation`, `rejected`.
    pub code: String,
}

/// An error answer. Build one with the constructors or from a [`chamado::Error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    status: StatusCode,
    code: &'static str,
    title: &'static str,
    detail: String,
    /// The detail as a translatable message, when the one who decided it wrote one: pages show it in
    /// the reader's language; the API keeps the English `detail`.
    // Boxed: most problems have none, and every handler's `Result` carries a `Problem` by value.
    message: Option<Box<chamado_i18n::Message>>,
}

impl Problem {
    /// A problem with a status, a stable code, a title and a detail.
    pub fn new(status: StatusCode, code: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Problem { status, code, title, detail: detail.into(), message: None }
    }

    /// With `message` as the translatable detail; the English `detail` becomes its English text.
    pub fn with_message(mut self, message: chamado_i18n::Message) -> Self {
        self.detail = message.english();
        self.message = Some(Box::new(message));
        self
    }

    /// The translatable detail, when there is one.
    pub fn message(&self) -> Option<&chamado_i18n::Message> {
        self.message.as_deref()
    }

    /// 400: the request is malformed (JSON, parameters, headers).
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, "Bad request", detail)
    }

    /// 401: no valid credentials.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "Authentication required", detail)
    }

    /// 403: the caller may see the thing but not do this.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Permission denied", detail)
    }

    /// 404: nothing there, or nothing the caller may see.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Not found", detail)
    }

    /// 409: a conflict with the current state.
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, "Conflict", detail)
    }

    /// 422: well-formed input that breaks a rule.
    pub fn validation(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid input", detail)
    }

    /// 500: a failure of the server, never of the input.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal error", detail)
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The detail message.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The JSON body.
    pub fn body(&self) -> ProblemBody {
        ProblemBody {
            kind: format!("urn:chamado:problem:{}", self.code),
            title: self.title.to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_string(),
        }
    }
}

impl From<chamado_auth::agent_token::TokenError> for Problem {
    fn from(e: chamado_auth::agent_token::TokenError) -> Self {
        use chamado_auth::agent_token::TokenError;
        match e {
            TokenError::Malformed => Problem::validation(e.to_string()),
            TokenError::Random(e) => Problem::internal(e.to_string()),
            TokenError::Engine(e) => e.into(),
        }
    }
}

impl From<chamado::Error> for Problem {
    fn from(e: chamado::Error) -> Self {
        use chamado::{Error, StoreError};
        // Pages show the engine's message in the reader's language; the API's English detail stays
        // what it always was.
        let message = e.message();
        let problem = match e {
            Error::NotFound(what) if what.message().is_some() => Problem::not_found(what),
            Error::NotFound(what) => Problem::not_found(format!("{what} not found")),
            Error::PermissionDenied(m) => Problem::forbidden(m),
            Error::InvalidTransition(m) => Problem::conflict("invalid_transition", m),
            Error::Conflict(m) => Problem::conflict("conflict", format!("{m}; reload and try again")),
            Error::Validation(m) => Problem::validation(m),
            Error::Rejected(m) => Problem::conflict("rejected", m),
            Error::Attachments(r) if r.is_size() => {
                Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "attachment_too_large", "Payload too large", r.to_string())
            }
            Error::Attachments(r) => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "too_many_attachments", "Invalid input", r.to_string())
            }
            Error::Store(StoreError::Conflict { .. }) => {
                Problem::conflict("conflict", "the ticket changed concurrently; reload and try again")
            }
            Error::Store(StoreError::Duplicate { detail, .. }) => {
                Problem::conflict("duplicate", format!("{detail} already exists"))
            }
            Error::Store(StoreError::Missing(what)) => Problem::not_found(format!("{what} not found")),
            Error::Store(StoreError::Unavailable(m)) => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
                format!("the store cannot serve now ({m}); retry later"),
            ),
            Error::Store(StoreError::Corrupt(m)) => Problem::internal(format!("stored data is unreadable: {m}")),
            // A feature this deployment lacks: the request cannot succeed here, now or later.
            Error::Store(StoreError::Unsupported(what)) => Problem::new(
                StatusCode::BAD_REQUEST,
                "unsupported",
                "Not supported",
                format!("this server's store does not support {what}"),
            ),
        };
        // Not `with_message`: a conflict's detail adds "reload and try again" to the engine's text, and
        // that English must stay as it was while pages show only the translated refusal.
        Problem { message: message.map(Box::new), ..problem }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"chamado\""));
        }
        res
    }
}

/// Result of an API handler.
pub type ApiResult<T> = Result<T, Problem>;

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl std::error::Error for Problem {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_map_to_stable_statuses_and_codes() {
        let cases = [
            (chamado::Error::NotFound("ticket 1".into()), 404, "not_found"),
            (chamado::Error::PermissionDenied("x".into()), 403, "forbidden"),
            (chamado::Error::Validation("x".into()), 422, "validation"),
            (chamado::Error::Rejected("x".into()), 409, "rejected"),
            (chamado::Error::InvalidTransition("x".into()), 409, "invalid_transition"),
            (chamado::Error::Store(chamado::StoreError::Unavailable("disk".into())), 503, "unavailable"),
            (chamado::Error::Store(chamado::StoreError::Unsupported("search".into())), 400, "unsupported"),
            (chamado::AttachmentRefusal::ArticleTooLarge { size: 2, max: 1 }.into(), 413, "attachment_too_large"),
            (chamado::AttachmentRefusal::TooMany { count: 2, max: 1 }.into(), 422, "too_many_attachments"),
        ];
        for (e, status, code) in cases {
            let p = Problem::from(e);
            assert_eq!((p.status().as_u16(), p.code()), (status, code));
            assert_eq!(p.body().kind, format!("urn:chamado:problem:{code}"));
        }
    }

    #[test]
    fn a_translated_engine_refusal_keeps_its_english_detail_and_renders_in_portuguese() {
        use chamado_i18n::{Language, Message, Tr};
        let pt = Tr::new(Language::parse("pt-BR").unwrap());
        let e = chamado::Error::not_found(Message::new("error-ticket-not-found").arg("number", "2026120510000017"));
        let p = Problem::from(e);
        assert_eq!((p.status().as_u16(), p.code()), (404, "not_found"));
        assert_eq!(p.detail(), "ticket 2026120510000017 not found", "the API's detail is unchanged");
        assert_eq!(
            p.message().map(|m| m.render(&pt)).as_deref(),
            Some("O chamado 2026120510000017 não foi encontrado")
        );

        let p = Problem::from(chamado::Error::validation(Message::new("error-title-empty")));
        assert_eq!(p.detail(), "title must not be empty");
        assert_eq!(p.message().map(|m| m.render(&pt)).as_deref(), Some("O título não pode ficar vazio"));

        // A conflict's detail keeps its advice; the page shows the refusal alone.
        let p = Problem::from(chamado::Error::conflict(
            Message::new("error-priority-name-taken").arg("name", "\"urgent\"").arg("level", 5u8),
        ));
        assert_eq!(p.detail(), "priority name \"urgent\" is already level 5's; reload and try again");
        assert_eq!(
            p.message().map(|m| m.render(&pt)).as_deref(),
            Some("O nome de prioridade \"urgent\" já pertence ao nível 5")
        );

        let refusal = chamado::AttachmentRefusal::TooMany { count: 2, max: 1 };
        let p = Problem::from(chamado::Error::from(refusal.clone()));
        assert_eq!(p.detail(), refusal.to_string());
        assert!(p.message().is_some());
    }

    #[test]
    fn plain_engine_errors_keep_their_details_and_carry_no_message() {
        let p = Problem::from(chamado::Error::NotFound("ticket 1".into()));
        assert_eq!(p.detail(), "ticket 1 not found");
        assert!(p.message().is_none());
        let p = Problem::from(chamado::Error::conflict("the request is being processed; retry"));
        assert_eq!(p.detail(), "the request is being processed; retry; reload and try again");
    }
}
