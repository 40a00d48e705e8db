//! The admin screens' HTML building until they move to templates: escaping (the portal's), the old page
//! frame with its small stylesheet, and page responses with security headers. The agent's screens use
//! the templates and [`crate::page`]; delete this file when the admin screens do too.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

pub use crate::portal::esc;

/// Percent-encodes a path or query segment.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d232a;background:#f3f5f7}\
header{background:#243b53;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}\
header a{color:#fff}header .brand{font-weight:700;text-decoration:none;margin-right:auto}\
header nav{display:flex;gap:.8rem;flex-wrap:wrap;align-items:center}header form{margin:0}\
main{max-width:72rem;margin:0 auto;padding:1rem}\
h1{font-size:1.35rem;margin:.4rem 0 1rem}h2{font-size:1.1rem;margin:1.2rem 0 .5rem}\
label{display:block;font-weight:600;margin:.6rem 0 .2rem}\
input,select,textarea{width:100%;padding:.45rem;font:inherit;border:1px solid #9aa5b1;border-radius:4px;background:#fff}\
input[type=checkbox]{width:auto;transform:scale(1.3)}\
textarea{min-height:6rem}\
button,.button{display:inline-block;margin:.6rem .4rem 0 0;padding:.45rem 1rem;font:inherit;font-weight:600;color:#fff;background:#2f6f9f;border:0;border-radius:4px;cursor:pointer;text-decoration:none}\
button.secondary{background:#52606d}header button{margin:0;background:#fff;color:#243b53;padding:.25rem .7rem}\
a:focus,summary:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f0b429;outline-offset:1px}\
table{width:100%;border-collapse:collapse;background:#fff;margin:0 0 1rem}\
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #dde3ea;vertical-align:top}\
th a{color:inherit}\
.card{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:.8rem 1rem;margin:0 0 1rem}\
.internal{background:#fff8e1;border-color:#f0b429}\
.tag{display:inline-block;font-size:.8rem;font-weight:700;padding:0 .4rem;border-radius:3px;background:#f0b429;color:#1d232a}\
.meta{color:#52606d;font-size:.9rem}\
.body{white-space:pre-wrap;word-wrap:break-word;margin:.4rem 0 0}\
.notice{padding:.6rem 1rem;border-radius:4px;margin:0 0 1rem;background:#e3f8e8;border:1px solid #3f9142}\
.error{background:#ffe3e3;border-color:#e12d39}\
.cols{display:grid;grid-template-columns:16rem 1fr;gap:1rem}\
.actions{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:0 1rem;align-items:start}#act-reply,#act-note{grid-column:1/-1}\
.pager a{margin-right:1rem}.inline{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end}.inline>*{flex:1 1 10rem}\
.tabs{display:flex;gap:1.2rem;flex-wrap:wrap;margin:0 0 .5rem}[aria-current]{font-weight:700;color:#1d232a}\
caption{text-align:left;padding:.3rem 0}\
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
details.card>summary{cursor:pointer;font-weight:600}details.card[open]>summary{margin-bottom:.4rem}\
.zoom{grid-template-columns:1fr 22rem}.zoom aside{order:2}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}\
@media (max-width:48rem){.cols,.zoom{grid-template-columns:1fr}.zoom aside{order:0}thead{display:none}tr{display:block;border-bottom:1px solid #dde3ea;padding:.3rem 0}\
td{display:block;border:0;padding:.1rem .5rem}td[data-label]::before{content:attr(data-label) ': ';font-weight:600}}\
";

/// The signed-in part of the header.
pub struct Nav<'a> {
    /// The agent's login.
    pub login: &'a str,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// Whether to link the admin screens.
    pub admin: bool,
}

/// A whole page. `title` is escaped here; `body` must already be safe HTML.
pub fn page(title: &str, nav: Option<&Nav<'_>>, body: &str) -> String {
    let nav_html = match nav {
        Some(n) => format!(
            "<nav aria-label=\"Main\"><a href=\"/agent\">Queue view</a><a href=\"/agent/tickets/new\">New phone ticket</a>\
             <a href=\"/agent/search\">Search</a>{admin}<span>{login}</span>\
             <form method=\"post\" action=\"/agent/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <button type=\"submit\">Log out</button></form></nav>",
            admin = if n.admin { "<a href=\"/admin\">Admin</a>" } else { "" },
            login = esc(n.login),
            csrf = esc(n.csrf)
        ),
        None => String::new(),
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} - chamado</title><style>{STYLE}</style></head>\
         <body><header><a class=\"brand\" href=\"/agent\">chamado</a>{nav_html}</header>\
         <main>{body}</main></body></html>",
        title = esc(title),
    )
}

/// A page as a response with a status and security headers.
pub fn respond(status: StatusCode, html: String) -> Response {
    let mut res = (status, Html(html)).into_response();
    let h = res.headers_mut();
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("cache-control", HeaderValue::from_static("no-store"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    res
}

/// A notice paragraph (`error` styles it as an error).
pub fn notice(message: Option<&str>, error: bool) -> String {
    let class = if error { "notice error" } else { "notice" };
    let role = if error { "alert" } else { "status" };
    message.map(|m| format!("<p class=\"{class}\" role=\"{role}\">{}</p>", esc(m))).unwrap_or_default()
}

/// The hidden CSRF field of a form.
pub fn csrf_field(csrf: &str) -> String {
    format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", esc(csrf))
}

/// `<option>`s for `(value, label)` pairs, `selected` preselected.
pub fn options<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, selected: &str) -> String {
    items
        .into_iter()
        .map(|(v, l)| {
            let sel = if v == selected { " selected" } else { "" };
            format!("<option value=\"{}\"{sel}>{}</option>", esc(v), esc(l))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_escapes() {
        assert_eq!(enc("a b/ç"), "a%20b%2F%C3%A7");
        assert!(page("<x>", None, "").contains("&lt;x&gt;"));
        assert_eq!(options([("a\"", "<b>")], "a\""), "<option value=\"a&quot;\" selected>&lt;b&gt;</option>");
    }
}
