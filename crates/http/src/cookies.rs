//! The cookies of the portal and the console, read and set in one place through axum-extra's
//! [`CookieJar`]: always HttpOnly, with the surface's path and SameSite, and `Secure` when
//! [`crate::HttpConfig::cookies_secure`] says the server is reached over HTTPS.

use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use std::time::Duration;

/// Where a surface's cookies go and to whom they are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieScope {
    /// The `Path` they are sent for.
    pub path: &'static str,
    /// Their `SameSite`.
    pub same_site: SameSite,
}

/// The customer portal's cookies: under `/portal`, sent on links from other sites (SameSite=Lax) so a
/// link from a notification mail opens the ticket; every form carries a CSRF token besides.
pub const PORTAL: CookieScope = CookieScope { path: "/portal", same_site: SameSite::Lax };

/// The agent console's cookies: for `/agent` and `/admin` (path `/`), never sent from other sites.
pub const CONSOLE: CookieScope = CookieScope { path: "/", same_site: SameSite::Strict };

impl CookieScope {
    /// A cookie's value from the request; empty values count as absent.
    pub fn get(&self, jar: &CookieJar, name: &str) -> Option<String> {
        jar.get(name).map(|c| c.value().to_string()).filter(|v| !v.is_empty())
    }

    /// `jar` with the cookie `name` set to `value` for `max_age`.
    pub fn set(&self, jar: CookieJar, name: &'static str, value: String, max_age: Duration, secure: bool) -> CookieJar {
        let seconds = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
        let cookie = Cookie::build((name, value))
            .path(self.path)
            .http_only(true)
            .same_site(self.same_site)
            .secure(secure)
            .max_age(cookie::time::Duration::seconds(seconds));
        jar.add(cookie)
    }

    /// `jar` with the cookie `name` removed from the browser (an empty one that has expired), whether
    /// or not the request carried it.
    pub fn clear(&self, jar: CookieJar, name: &'static str, secure: bool) -> CookieJar {
        self.set(jar, name, String::new(), Duration::ZERO, secure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue, header};
    use axum::response::IntoResponse;

    fn set_cookies(jar: CookieJar) -> Vec<String> {
        let res = jar.into_response();
        res.headers().get_all(header::SET_COOKIE).iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into()).collect()
    }

    #[test]
    fn cookies_carry_the_scope_and_secure_only_when_asked() {
        let set = set_cookies(PORTAL.set(CookieJar::new(), "s", "v1".into(), Duration::from_secs(60), true));
        let [c] = set.as_slice() else { unreachable!("one cookie: {set:?}") };
        for part in ["s=v1", "HttpOnly", "SameSite=Lax", "Path=/portal", "Max-Age=60", "Secure"] {
            assert!(c.split("; ").any(|p| p == part), "{part} in {c}");
        }
        let set = set_cookies(CONSOLE.set(CookieJar::new(), "a", "v2".into(), Duration::from_secs(5), false));
        assert!(set[0].contains("SameSite=Strict") && set[0].contains("Path=/") && !set[0].contains("Secure"));
        let cleared = set_cookies(CONSOLE.clear(CookieJar::new(), "a", false));
        assert!(cleared[0].starts_with("a=;") && cleared[0].contains("Max-Age=0"), "{cleared:?}");
    }

    #[test]
    fn reads_the_named_cookie_and_ignores_empty_ones() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("x=1; s=abc; e="));
        let jar = CookieJar::from_headers(&headers);
        assert_eq!(PORTAL.get(&jar, "s").as_deref(), Some("abc"));
        assert_eq!(PORTAL.get(&jar, "e"), None);
        assert_eq!(PORTAL.get(&jar, "missing"), None);
    }
}
