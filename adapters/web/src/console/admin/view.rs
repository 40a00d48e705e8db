//! What every admin page shares: the console frame with the admin link marked current, the heading,
//! the admin section the page belongs to (marked in the admin menu), the session's CSRF token for the
//! page's forms, and the `done` notice after a change.

use super::AgentUser;
use crate::page::{self, Frame};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use chamado_http::Problem;

/// The part of an admin page below the console's frame: drawn by `templates/admin/base.html`.
#[derive(Debug, Clone)]
pub struct Head {
    /// The page's heading and title.
    pub heading: String,
    /// The admin menu entry of this page (its path under `/admin`, e.g. `groups`).
    pub section: &'static str,
    /// The session's CSRF token, for the page's forms.
    pub csrf: String,
}

/// The console frame of an admin page for `user`, with the notice a `done` query asks for.
pub fn frame(user: &AgentUser, done: &str) -> Frame {
    // The console's own navigation, with the admin link marked: one list of links for every console page.
    let frame = crate::console::frame::of(user, "/admin");
    match done {
        "" => frame,
        "saved" => {
            let text = frame.tr.t("admin-notice-saved");
            frame.with_notice(text, false)
        }
        _ => {
            let text = frame.tr.t("admin-notice-done");
            frame.with_notice(text, false)
        }
    }
}

/// The frame and head of an admin page.
pub fn chrome(user: &AgentUser, heading: impl Into<String>, section: &'static str, done: &str) -> (Frame, Head) {
    (frame(user, done), Head { heading: heading.into(), section, csrf: user.csrf.clone() })
}

/// `page` with 200.
pub fn show<T: Template>(page: &T) -> Response {
    page::render(StatusCode::OK, page)
}

/// `problem` as the console's error page for `user`.
pub fn bad(user: &AgentUser, problem: &Problem) -> Response {
    page::error(frame(user, ""), problem)
}

/// `frame` with the problem as an error notice in the viewer's language (its English detail when it
/// carries no translatable message): an edit screen shown again after the engine refused a change.
pub fn refused(frame: Frame, problem: &Problem) -> Frame {
    let text = page::problem_text(&frame.tr, problem);
    frame.with_notice(text, true)
}
