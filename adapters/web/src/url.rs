//! User data in URLs built in Rust (redirects): percent-encoded by the same encoder as the templates'
//! `|urlencode_strict` filter, so there is one encoder for every link and redirect.

/// `s` percent-encoded for one path segment or query value: everything but ASCII letters, digits and
/// `-._~` is encoded, `/`, `?`, `&` and `#` included.
///
/// ```
/// assert_eq!(chamado_web::url::path_segment("a b/ç?"), "a%20b%2F%C3%A7%3F");
/// ```
pub fn path_segment(s: &str) -> String {
    match askama::filters::urlencode_strict(s) {
        Ok(encoded) => encoded.to_string(),
        // The filter's error type is `Infallible`.
        Err(never) => match never {},
    }
}
