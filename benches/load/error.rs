//! Why a load run stopped.

/// Why a load run stopped.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Bad or missing arguments.
    #[error("{0}")]
    Usage(String),
    /// The TCP connection to the helpdesk failed.
    #[error("connecting to {addr}: {source}")]
    Connect {
        /// Where.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// The HTTP exchange failed.
    #[error("HTTP: {0}")]
    Http(#[from] hyper::Error),
    /// A request could not be built.
    #[error("building a request: {0}")]
    Request(#[from] hyper::http::Error),
    /// A setup request got an unexpected answer.
    #[error("{what} answered {status}: {body}")]
    Status {
        /// The request.
        what: String,
        /// The HTTP status.
        status: u16,
        /// The start of the answer's body.
        body: String,
    },
    /// An answer was not the JSON the API documents.
    #[error("the answer to {what} is not the expected JSON: {detail}")]
    Json {
        /// The request.
        what: String,
        /// What was wrong.
        detail: String,
    },
    /// The state file could not be read or written.
    #[error("state file {path}: {source}")]
    State {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The state file holds a line this tool did not write.
    #[error("state file {path} line {line}: {detail}")]
    StateFormat {
        /// The file.
        path: String,
        /// The 1-based line number.
        line: usize,
        /// What was wrong.
        detail: String,
    },
    /// Too many failures while preloading.
    #[error("preload: {0}")]
    Preload(String),
    /// A task panicked or was cancelled.
    #[error("a task stopped: {0}")]
    Join(#[from] tokio::task::JoinError),
    /// The async runtime could not start.
    #[error("starting the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// The start of a body, for error messages.
pub fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned()
}
