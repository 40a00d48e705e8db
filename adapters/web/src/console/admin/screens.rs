//! The pieces the record screens (customers, customer users, agents) share: labelled inputs, the key
//! field only a new record has, the password field and its hashing, the list screen with search, table
//! and add form, and the edit form.

use super::*;

/// A labelled text input; `required` marks it so.
pub(super) fn text_input(name: &str, label: &str, value: &str, required: bool) -> String {
    let r = if required { " required" } else { "" };
    format!("<label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\"{r} value=\"{}\">", esc(value))
}

/// The record's key (customer ID, login): editable only while the record is new.
pub(super) fn key_input(new: bool, name: &str, label: &str, value: &str) -> String {
    if new { text_input(name, label, value, true) } else { String::new() }
}

/// The password input: `label_new` for a new record, "leave empty to keep" for an existing one.
pub(super) fn password_input(new: bool, label_new: &str) -> String {
    let label = if new { label_new } else { "New password (leave empty to keep)" };
    format!(
        "<label for=\"password\">{label}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\">"
    )
}

/// The Argon2id hash of a submitted non-empty password; `None` when the field is empty (keep it).
pub(super) async fn new_password_hash(f: &Form) -> Result<Option<String>, Problem> {
    let pw = f.get("password").map(String::as_str).unwrap_or("");
    if pw.is_empty() {
        return Ok(None);
    }
    password::hash_async(pw.to_string()).await.map(Some).map_err(|e| Problem::internal(e.to_string()))
}

/// A list screen: search form, table, and the form that adds one more.
pub(super) struct ListScreen<'a> {
    /// Page title, e.g. `Agents`.
    pub title: &'a str,
    /// The screen's path; searches GET it, the add form POSTs to it.
    pub base: &'a str,
    /// The search box's label.
    pub search_label: &'a str,
    /// Column headings.
    pub head: &'a [&'a str],
    /// What the add form adds, e.g. `agent`.
    pub what: &'a str,
}

impl ListScreen<'_> {
    /// Lists (or searches) the records of `kind`, a table row each by `row`, with the add form's
    /// `fields` below.
    pub(super) async fn serve(
        &self,
        (st, user, q): (&AppState, &AgentUser, &ListQuery),
        kind: RecordKind,
        row: impl Fn(&Record) -> Option<String>,
        fields: &str,
    ) -> Response {
        match list_or_search(st, user, kind, &q.search).await {
            Ok(list) => self.page(user, q, &list.iter().filter_map(row).collect::<String>(), fields),
            Err(p) => bad(user, &p),
        }
    }

    /// The page with `rows` (table rows) and the add form's `fields`.
    pub(super) fn page(&self, user: &AgentUser, q: &ListQuery, rows: &str, fields: &str) -> Response {
        let head: String = self.head.iter().map(|h| format!("<th>{h}</th>")).collect();
        let body = format!(
            "{}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>\
             <h2>Add {what}</h2><form class=\"card\" method=\"post\" action=\"{base}\">{fields}\
             <button type=\"submit\">Add {what}</button></form>",
            search_form(self.base, &q.search, self.search_label),
            what = self.what,
            base = self.base,
        );
        page(user, self.title, &q.done, &body)
    }
}

/// The edit form of a record at `action`, then `after` (links, further forms).
pub(super) fn edit_form(action: &str, fields: &str, after: &str) -> String {
    format!(
        "<form class=\"card\" method=\"post\" action=\"{action}\">{fields}<button type=\"submit\">Save</button></form>{after}"
    )
}

/// The record, or "not found" naming it.
pub(super) fn found<T>(record: Option<T>, what: &str, key: &str) -> Result<T, Problem> {
    record.ok_or_else(|| Problem::not_found(format!("{what} {key:?} not found")))
}
