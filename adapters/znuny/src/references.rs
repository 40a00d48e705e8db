//! Message-IDs out of `In-Reply-To` and `References` headers.

/// Every `<id>` in `headers`, in order, each once. A header without angle brackets (some mailers)
/// counts as one id when it has no spaces.
pub(crate) fn message_ids<'a>(headers: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in headers {
        let mut found = false;
        let mut rest = h;
        while let Some(start) = rest.find('<') {
            let Some(len) = rest[start..].find('>') else { break };
            let id = &rest[start..start + len + 1];
            if id.len() > 2 && !out.iter().any(|x| x == id) {
                out.push(id.to_string());
            }
            found = true;
            rest = &rest[start + len + 1..];
        }
        let bare = h.trim();
        if !found && !bare.is_empty() && !bare.contains(char::is_whitespace) {
            let id = format!("<{bare}>");
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// A Message-ID in its bracketed form, `None` when blank.
pub(crate) fn message_id(header: &str) -> Option<String> {
    message_ids([header]).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_order_and_once() {
        let ids = message_ids(["<a@x>", "<b@x> <a@x>\n <c@x>", "", "bare@x"]);
        assert_eq!(ids, ["<a@x>", "<b@x>", "<c@x>", "<bare@x>"]);
        assert_eq!(message_id(" <m@x> "), Some("<m@x>".into()));
        assert_eq!(message_id("  "), None);
    }
}
