//! `/portal/link-telegram`: a one-time code that links the customer user's Telegram account. The
//! engine keeps the code ([`chamado::Engine::issue_link_code`]); the person sends `/link CODE` to the
//! bot, whose adapter redeems it under the same chat network.

use super::frame::{Section, error, signed_in};
use super::login::NoFields;
use super::session::PortalUser;
use crate::csrf::CsrfForm;
use crate::page::{Frame, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chamado::Timestamp;
use chamado_http::random::secret;
use chamado_http::{AppState, Problem};
use std::time::Duration;

/// The chat network the Telegram adapter redeems link codes under.
pub(crate) const NETWORK: &str = "telegram";
/// How long a code works: the Telegram adapter's default for the codes it issues itself.
pub(crate) const TTL: Duration = Duration::from_secs(15 * 60);
/// Characters of a code: capitals and digits without look-alikes (0/O, 1/I/L), as the bot's own codes;
/// the bot reads codes in capitals whatever the person typed.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Length of a code.
const CODE_LEN: usize = 10;

/// A code just issued.
pub struct Issued {
    /// The code to send with `/link`.
    pub code: String,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// The Telegram link page.
#[derive(Template)]
#[template(path = "portal/link_telegram.html")]
pub struct LinkTelegramPage {
    /// The frame.
    pub frame: Frame,
    /// The code issued by this request.
    pub issued: Option<Issued>,
    /// The form's CSRF token.
    pub csrf: String,
}

/// What the page says and the button that asks for a code.
pub async fn show(user: PortalUser) -> Response {
    let page =
        LinkTelegramPage { frame: signed_in(&user, Section::LinkTelegram), issued: None, csrf: user.csrf.clone() };
    render(StatusCode::OK, &page)
}

/// Issues a code for the signed-in customer user and shows it with its expiry.
pub async fn issue(
    State(st): State<AppState>,
    CsrfForm(user, NoFields {}): CsrfForm<PortalUser, NoFields>,
) -> Response {
    let code = match new_code() {
        Ok(c) => c,
        Err(p) => return error(&user, &p),
    };
    let expires_at = match st.engine.issue_link_code(NETWORK, &user.login, &code, TTL).await {
        Ok(at) => at,
        Err(e) => return error(&user, &e.into()),
    };
    let page = LinkTelegramPage {
        frame: signed_in(&user, Section::LinkTelegram),
        issued: Some(Issued { code, expires_at }),
        csrf: user.csrf.clone(),
    };
    render(StatusCode::OK, &page)
}

/// A fresh random code of [`CODE_LEN`] characters of [`ALPHABET`], from a 256-bit secret's bytes.
pub(crate) fn new_code() -> Result<String, Problem> {
    let hex = secret("").map_err(|e| Problem::internal(e.to_string()))?;
    let code: String = hex
        .as_bytes()
        .chunks(2)
        .filter_map(|pair| std::str::from_utf8(pair).ok().and_then(|p| u8::from_str_radix(p, 16).ok()))
        .take(CODE_LEN)
        .filter_map(|b| ALPHABET.get(usize::from(b) % ALPHABET.len()).map(|c| char::from(*c)))
        .collect();
    if code.len() == CODE_LEN { Ok(code) } else { Err(Problem::internal("no randomness for a link code")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_random_capitals_and_digits_without_look_alikes() {
        let (a, b) = (new_code().unwrap_or_default(), new_code().unwrap_or_default());
        assert_eq!(a.len(), CODE_LEN);
        assert_ne!(a, b);
        assert!(a.bytes().chain(b.bytes()).all(|c| ALPHABET.contains(&c)), "{a} {b}");
    }
}
