//! What every page shares: the frame the layout template draws (site name, surface, signed-in
//! navigation, a notice), rendering a template into a response with the pages' security headers, the
//! error page, and the stylesheet.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chamado_http::Problem;
use chamado_i18n::{Tr, key};

/// Which HTML surface a page belongs to: it picks the home link, the logout form and the look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The customer portal under `/portal`.
    Portal,
    /// The agent and admin console under `/agent` and `/admin`.
    Console,
}

impl Surface {
    /// The `<body>` class the stylesheet keys the surface's look on.
    pub fn class(&self) -> &'static str {
        match self {
            Surface::Portal => "portal",
            Surface::Console => "console",
        }
    }

    /// Where the brand link leads.
    pub fn home(&self) -> &'static str {
        match self {
            Surface::Portal => "/portal/tickets",
            Surface::Console => "/agent",
        }
    }

    /// Where the logout form posts.
    pub fn logout(&self) -> &'static str {
        match self {
            Surface::Portal => "/portal/logout",
            Surface::Console => "/agent/logout",
        }
    }
}

/// A link of the signed-in navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavLink {
    /// Its target.
    pub href: String,
    /// Its text.
    pub label: String,
    /// Marks the link of the page being shown (`aria-current`).
    pub current: bool,
}

/// The signed-in part of the header: the links, who is signed in, and the logout form's CSRF token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nav {
    /// The links, in order.
    pub links: Vec<NavLink>,
    /// The signed-in login.
    pub login: String,
    /// The session's CSRF token, for the logout form.
    pub csrf: String,
}

/// A message above the page's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The message.
    pub text: String,
    /// An error (styled and announced as an alert) rather than a confirmation.
    pub error: bool,
}

/// What the layout template (`templates/layout.html`) draws around every page. Page templates carry
/// it as their `frame` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The site name in the header and the title.
    pub site: String,
    /// The surface.
    pub surface: Surface,
    /// The signed-in navigation; `None` on login and error pages of anonymous visitors.
    pub nav: Option<Nav>,
    /// A message for the top of the page.
    pub notice: Option<Notice>,
    /// The texts of the page's language and the viewer's time zone: templates call
    /// `{{ frame.tr.t(…) }}` with a message key; the layout's `lang` attribute is its language.
    pub tr: Tr,
}

impl Frame {
    /// A frame without navigation or notice, in `tr`'s language.
    pub fn new(surface: Surface, site: impl Into<String>, tr: Tr) -> Self {
        Frame { site: site.into(), surface, nav: None, notice: None, tr }
    }

    /// With the signed-in navigation.
    pub fn with_nav(mut self, nav: Nav) -> Self {
        self.nav = Some(nav);
        self
    }

    /// With a message on top: `error` for a failure, else a confirmation.
    pub fn with_notice(mut self, text: impl Into<String>, error: bool) -> Self {
        self.notice = Some(Notice { text: text.into(), error });
        self
    }
}

/// The security headers of every page: no framing, no inline script or style, forms post only here,
/// and no caching of pages that show tickets.
fn secure(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    res
}

/// Renders `page` as an HTML response with `status` and the pages' security headers. A template that
/// fails to render (it cannot, short of a formatting error in a value) answers 500 without content.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => secure((status, Html(html)).into_response()),
        Err(_) => secure(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}

/// The error page: the problem's title and detail, with its status.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// The frame.
    pub frame: Frame,
    /// The problem's title.
    pub title: String,
    /// The problem's detail.
    pub detail: String,
    /// The text of the link back home.
    pub back: String,
}

/// What a page says about `problem` in `tr`'s language: its translatable message when it has one,
/// else its (English) detail.
pub fn problem_text(tr: &Tr, problem: &Problem) -> String {
    problem.message().map(|m| m.render(tr)).unwrap_or_else(|| problem.detail().to_string())
}

/// Why a login was refused, other than a wrong password, in `tr`'s language: how long to wait when
/// throttled, else the problem's text.
pub fn login_refusal_text(tr: &Tr, refusal: &chamado_http::auth::LoginRefusal) -> String {
    match refusal.retry_after_secs() {
        Some(secs) => tr.t1("page-login-throttled", "seconds", secs),
        None => problem_text(tr, &refusal.problem()),
    }
}

/// The title of the error page for a problem with `code` (its stable code), in `tr`'s language.
pub fn problem_title(tr: &Tr, code: &str) -> String {
    tr.t(match code {
        "not_found" | "no_route" => key("page-problem-not-found"),
        "forbidden" => key("page-problem-forbidden"),
        "unauthorized" => key("page-problem-unauthorized"),
        "validation" | "too_many_attachments" => key("page-problem-validation"),
        "conflict" | "duplicate" => key("page-problem-conflict"),
        "invalid_transition" => key("page-problem-invalid-transition"),
        "rejected" => key("page-problem-rejected"),
        "attachment_too_large" => key("page-problem-too-large"),
        "too_many_attempts" => key("page-problem-too-many-attempts"),
        "unavailable" => key("page-problem-unavailable"),
        "unsupported" => key("page-problem-unsupported"),
        "malformed_body"
        | "malformed_form"
        | "malformed_header"
        | "malformed_json"
        | "malformed_multipart"
        | "malformed_query" => key("page-problem-malformed"),
        "internal" => key("page-problem-internal"),
        _ => key("page-problem-other"),
    })
}

/// `problem` as an error page of `frame`'s surface, in the frame's language.
pub fn error(frame: Frame, problem: &Problem) -> Response {
    let back = frame.tr.t(match frame.surface {
        Surface::Portal => key("page-back-portal"),
        Surface::Console => key("page-back-console"),
    });
    let title = problem_title(&frame.tr, problem.code());
    let detail = problem_text(&frame.tr, problem);
    let page = ErrorPage { frame, title, detail, back };
    render(problem.status(), &page)
}

/// `GET /static/style.css`: the stylesheet, compiled into the binary.
pub async fn stylesheet() -> Response {
    let css = include_str!("../static/style.css");
    let mut res = ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], css).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_escapes_what_it_shows() {
        let nav = Nav {
            links: vec![NavLink { href: "/portal/tickets".into(), label: "Mine".into(), current: true }],
            login: "<b>eve</b>".into(),
            csrf: "\"tok".into(),
        };
        let frame = Frame::new(Surface::Portal, "<Site>", Tr::new(chamado_i18n::Language::english()))
            .with_nav(nav)
            .with_notice("<script>", true);
        let problem = Problem::not_found("<img src=x>");
        let res = error(frame, &problem);
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let page = ErrorPage {
            frame: Frame::new(Surface::Portal, "<Site>", Tr::new(chamado_i18n::Language::english())),
            title: "<t>".into(),
            detail: "<img src=x>".into(),
            back: "Back".into(),
        };
        let html = page.render().unwrap_or_default();
        assert!(html.contains("&#60;Site&#62;") && html.contains("&#60;img src=x&#62;"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[tokio::test]
    async fn error_pages_speak_the_frame_language() {
        let pt = Tr::new(chamado_i18n::Language::parse("pt-BR").unwrap_or_else(chamado_i18n::Language::english));
        let frame = Frame::new(Surface::Portal, "Desk", pt.clone());
        let res = error(frame, &Problem::not_found("ticket 9"));
        let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap_or_default();
        let html = String::from_utf8_lossy(&body).to_string();
        assert!(html.contains("lang=\"pt-BR\""), "{html}");
        assert!(html.contains(&pt.t("page-problem-not-found")) && html.contains(&pt.t("page-back-portal")), "{html}");
        assert_eq!(problem_title(&pt, "something_new"), pt.t("page-problem-other"));
    }
}
