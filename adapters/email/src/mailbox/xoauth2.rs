//! SASL `XOAUTH2`'s initial client response (the format of Google and Microsoft, which Dovecot's
//! `oauth2` passdb takes too), shared by IMAP and POP3.

use base64::Engine as _;

/// `base64("user=" login "^Aauth=Bearer " token "^A^A")`.
pub(super) fn initial_response(login: &str, token: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("user={login}\x01auth=Bearer {token}\x01\x01"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_the_documented_format() {
        // Google's XOAUTH2 documentation's example.
        assert_eq!(
            super::initial_response("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"),
            "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
        );
    }
}
