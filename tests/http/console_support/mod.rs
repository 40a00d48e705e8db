//! Console test helpers: agent passwords, a cookie-carrying session over the router, form posts.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::{Harness, Resp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamado::{Actor, Engine};

/// Gives agent `login` the console password `pw`.
pub async fn set_password(engine: &Engine, login: &str, pw: &str) {
    let admin = engine.admin(&Actor::System).await.unwrap();
    chamado_http::auth::set_agent_password(engine, &admin, login, Some(pw)).await.unwrap();
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The value of the first `name="csrf" value="..."` in a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).unwrap_or_else(|| panic!("no csrf field in {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// `name=value` of a `Set-Cookie` named `name`.
pub fn set_cookie(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

/// A logged-in console session.
pub struct Console<'a> {
    pub h: &'a Harness,
    pub cookie: String,
    pub csrf: String,
}

/// A GET with an optional cookie.
pub async fn get(h: &Harness, path: &str, cookie: Option<&str>) -> Resp {
    let mut b = Request::builder().method("GET").uri(path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    h.raw(b.body(Body::empty()).unwrap()).await
}

/// The host the test requests name, as every HTTP/1.1 request does.
pub const HOST: &str = "desk.test";

/// A url-encoded POST with an optional cookie.
pub async fn post(h: &Harness, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Resp {
    post_from(h, path, cookie, fields, None).await
}

/// A url-encoded POST with an optional cookie, sent by a page of `origin` when given (its `Origin`).
pub async fn post_from(
    h: &Harness,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    origin: Option<&str>,
) -> Resp {
    let body = fields.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&");
    let mut b = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    if let Some(o) = origin {
        b = b.header(header::ORIGIN, o);
    }
    h.raw(b.body(Body::from(body)).unwrap()).await
}

/// An attribute value as the page meant it: the entities templates write for `&` undone.
pub fn attr(value: &str) -> String {
    value.replace("&#38;", "&").replace("&amp;", "&")
}

/// Logs in through the form, as a browser on the login page sends it (with this site's `Origin`);
/// returns the login attempt's response and the session if it worked.
pub async fn try_login<'a>(h: &'a Harness, login: &str, pw: &str) -> (Resp, Option<Console<'a>>) {
    let form = get(h, "/agent/login", None).await;
    assert_eq!(form.status, StatusCode::OK);
    let origin = format!("http://{HOST}");
    let r = post_from(h, "/agent/login", None, &[("login", login), ("password", pw)], Some(&origin)).await;
    let Some(cookie) = set_cookie(&r, "chamado_agent_session").filter(|c| c.len() > "chamado_agent_session=".len())
    else {
        return (r, None);
    };
    let page = get(h, "/agent", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let csrf = csrf_of(&page.text);
    (r, Some(Console { h, cookie, csrf }))
}

/// Logs in, asserting success.
pub async fn login<'a>(h: &'a Harness, login: &str, pw: &str) -> Console<'a> {
    let (r, c) = try_login(h, login, pw).await;
    c.unwrap_or_else(|| panic!("login of {login} failed: {} {}", r.status, r.text))
}

/// A file for a multipart form: field name, file name, content type, bytes.
pub type FilePart<'a> = (&'a str, &'a str, &'a str, &'a [u8]);

/// A `multipart/form-data` body of text `fields` then `files`, as a browser sends a form with file
/// inputs (fields in document order), and its boundary.
pub fn multipart(fields: &[(&str, &str)], files: &[FilePart<'_>]) -> (Vec<u8>, String) {
    let boundary = "----chamado-test-boundary-7MA4YWxkTrZu0gW".to_string();
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    for (name, file, content_type, data) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (body, boundary)
}

impl Console<'_> {
    /// POSTs a multipart form: this session's CSRF token first (unless `csrf` is false), then `fields`,
    /// then `files`.
    pub async fn post_files(&self, path: &str, csrf: bool, fields: &[(&str, &str)], files: &[FilePart<'_>]) -> Resp {
        let mut all = Vec::new();
        if csrf {
            all.push(("csrf", self.csrf.as_str()));
        }
        all.extend_from_slice(fields);
        let (body, boundary) = multipart(&all, files);
        let req = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::HOST, HOST)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .unwrap();
        self.h.raw(req).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        get(self.h, path, Some(&self.cookie)).await
    }

    /// POSTs the fields with this session's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        post(self.h, path, Some(&self.cookie), &all).await
    }

    /// POSTs the fields without any CSRF token.
    pub async fn post_without_csrf(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        post(self.h, path, Some(&self.cookie), fields).await
    }
}

/// The `Location` of a redirect.
pub fn location(r: &Resp) -> String {
    r.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}
