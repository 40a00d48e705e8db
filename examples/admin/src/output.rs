//! What a command prints: an aligned table or key/value block for people, JSON for scripts.

use serde::Serialize;
use serde_json::Value;

/// A command's result in both forms.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// For people.
    pub text: String,
    /// For `--json`.
    pub json: Value,
}

impl Output {
    /// An output whose JSON form is `value`.
    pub fn new(text: impl Into<String>, value: &impl Serialize) -> Output {
        Output { text: text.into(), json: serde_json::to_value(value).unwrap_or(Value::Null) }
    }

    /// A confirmation; the JSON form is `{"ok": true, "message": ...}` merged with `extra`'s fields.
    pub fn done(message: impl Into<String>, extra: Value) -> Output {
        let message = message.into();
        let mut json = serde_json::json!({ "ok": true, "message": message });
        if let (Some(obj), Value::Object(more)) = (json.as_object_mut(), extra) {
            obj.extend(more);
        }
        Output { text: message, json }
    }

    /// Nothing to print (the command wrote its own output).
    pub fn silent() -> Output {
        Output { text: String::new(), json: Value::Null }
    }

    /// The form to print.
    pub fn render(&self, json: bool) -> String {
        if json {
            serde_json::to_string_pretty(&self.json).unwrap_or_else(|_| "null".into())
        } else {
            self.text.clone()
        }
    }
}

/// Cells with control characters (a newline in a comment) would break the table's lines.
fn clean(cell: &str) -> String {
    cell.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// An aligned table: a header row, then one row per item; `(none)` when there are no rows.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return "(none)".to_string();
    }
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| clean(c)).collect()).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let last = i + 1 == cells.len();
            out.push_str(cell);
            if !last {
                let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(cell.chars().count()) + 2;
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.trim_end().to_string()
    };
    let mut out = vec![line(headers.to_vec())];
    out.extend(rows.iter().map(|r| line(r.iter().map(String::as_str).collect())));
    out.join("\n")
}

/// A key/value block with aligned values.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    pairs
        .iter()
        .map(|(k, v)| format!("{k}:{}{}", " ".repeat(width - k.chars().count() + 1), clean(v)).trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `yes` or `no`.
pub fn yes_no(b: bool) -> String {
    if b { "yes".into() } else { "no".into() }
}

/// A footer when a page is full: how to get the next one.
pub fn more(shown: usize, limit: usize, last: Option<&str>) -> String {
    match last {
        Some(last) if shown >= limit => format!("\n({shown} shown; next page: --after {last:?})"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns_and_say_none_when_empty() {
        let t = table(&["ID", "NAME"], &[vec!["a".into(), "Acme".into()], vec!["longer".into(), "B".into()]]);
        assert_eq!(t, "ID      NAME\na       Acme\nlonger  B");
        assert_eq!(table(&["ID"], &[]), "(none)");
        assert_eq!(fields(&[("id", "a".into()), ("name", "x\ny".into())]), "id:   a\nname: x y");
    }
}
