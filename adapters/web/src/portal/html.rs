//! HTML building: escaping and the page frame with its small stylesheet.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a path segment (ticket numbers are digits, but nothing is assumed).
pub fn url_segment(s: &str) -> String {
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
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d232a;background:#f4f6f8}\
header{background:#1f4e79;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}\
header a{color:#fff}header .brand{font-weight:600;text-decoration:none;font-size:1.1rem}\
header form{margin:0}header nav{display:flex;gap:.8rem;align-items:center;flex-wrap:wrap}\
main{max-width:52rem;margin:0 auto;padding:1rem}\
h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.1rem}\
label{display:block;font-weight:600;margin:.8rem 0 .25rem}\
input,select,textarea{width:100%;padding:.55rem;font:inherit;border:1px solid #9aa5b1;border-radius:4px;background:#fff}\
textarea{min-height:8rem}\
button,.button{display:inline-block;margin-top:1rem;padding:.55rem 1.1rem;font:inherit;font-weight:600;color:#fff;background:#1f4e79;border:0;border-radius:4px;cursor:pointer;text-decoration:none}\
header button{margin:0;background:#fff;color:#1f4e79;padding:.3rem .8rem}\
button:focus,a:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f0b429;outline-offset:1px}\
table{width:100%;border-collapse:collapse;background:#fff}\
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #dde3ea;vertical-align:top}\
.card{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:1rem;margin:0 0 1rem}\
.meta{color:#52606d;font-size:.9rem}\
.body{white-space:pre-wrap;word-wrap:break-word;margin:.5rem 0 0}\
.notice{padding:.75rem 1rem;border-radius:4px;margin:0 0 1rem;background:#fff3c4;border:1px solid #f0b429}\
.error{background:#ffe3e3;border-color:#e12d39}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}\
@media (max-width:40rem){thead{display:none}tr{display:block;border-bottom:1px solid #dde3ea;padding:.4rem 0}td{display:block;border:0;padding:.1rem .5rem}td[data-label]::before{content:attr(data-label) ': ';font-weight:600}}\
";

/// The signed-in part of the header: who, and the logout form.
pub struct Nav<'a> {
    /// The customer user's login.
    pub login: &'a str,
    /// The session's CSRF token.
    pub csrf: &'a str,
}

/// A whole page. `title` and `heading` are escaped here; `body` must already be safe HTML.
pub fn page(site: &str, title: &str, nav: Option<Nav<'_>>, body: &str) -> String {
    let nav_html = match nav {
        Some(n) => format!(
            "<nav><a href=\"/portal/tickets\">My tickets</a><a href=\"/portal/tickets/new\">New ticket</a>\
             <span>{login}</span><form method=\"post\" action=\"/portal/logout\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><button type=\"submit\">Log out</button></form></nav>",
            login = esc(n.login),
            csrf = esc(n.csrf)
        ),
        None => String::new(),
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} - {site}</title><style>{STYLE}</style></head>\
         <body><header><a class=\"brand\" href=\"/portal/tickets\">{site}</a>{nav_html}</header>\
         <main>{body}</main></body></html>",
        title = esc(title),
        site = esc(site),
    )
}

/// A page as a response with a status.
pub fn respond(status: StatusCode, html: String) -> Response {
    let mut res = (status, Html(html)).into_response();
    res.headers_mut().insert("x-frame-options", axum::http::HeaderValue::from_static("DENY"));
    res.headers_mut().insert(
        "content-security-policy",
        axum::http::HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(url_segment("20261127/10?x"), "20261127%2F10%3Fx");
    }
}
