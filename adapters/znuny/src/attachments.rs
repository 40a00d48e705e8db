//! Article files: from `article_data_mime_attachment` (Znuny's `ArticleStorageDB`) or from the
//! article directory (`ArticleStorageFS`), as Znuny reads them back.

use crate::Skipped;
use crate::db::Dialect;
use crate::row::Row;
use base64::Engine as _;
use chamado::Attachment;
use std::path::Path;

/// How Znuny decides a file's disposition when none was stored: images with a Content-ID and the
/// converted bodies (`file-1`, `file-2`) are inline, the rest attached.
fn inline_by_default(name: &str, content_type: &str, content_id: &str) -> bool {
    (!content_id.trim().is_empty() && content_type.to_ascii_lowercase().contains("image"))
        || name.starts_with("file-1")
        || name.starts_with("file-2")
}

fn disposition_inline(disposition: &str) -> bool {
    disposition.split(';').next().is_some_and(|d| d.trim().eq_ignore_ascii_case("inline"))
}

/// One `article_data_mime_attachment` row (`filename, content_type, content_id, disposition,
/// content` from column `first`). PostgreSQL has no direct blobs in Znuny: the content is base64 text
/// there, and raw bytes on MySQL.
pub(crate) fn from_row(row: &Row, first: usize, dialect: Dialect) -> Result<Attachment, String> {
    let name = row.opt_text(first).unwrap_or_else(|| "file".to_string());
    let content_type = row.opt_text(first + 1).unwrap_or_else(|| "application/octet-stream".to_string());
    let content_id = row.text(first + 2);
    let inline = match row.opt_text(first + 3) {
        Some(d) => disposition_inline(&d),
        None => inline_by_default(&name, &content_type, &content_id),
    };
    let raw = row.bytes(first + 4).unwrap_or_default();
    let data = match dialect {
        Dialect::Mysql => raw.to_vec(),
        Dialect::Postgres => {
            // Znuny's encode_base64 breaks lines every 76 characters.
            let packed: Vec<u8> = raw.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(&packed)
                .map_err(|e| format!("{name:?}: its base64 content cannot be read ({e})"))?
        }
    };
    Ok(Attachment { name, content_type, inline, data })
}

/// The files of one article in the article directory: `<dir>/<content_path>/<article id>/`, each
/// file beside its `.content_type` (and optional `.content_id`, `.disposition`); `plain.txt` is the
/// raw mail, not a file of the article. Files without a `.content_type` are the old layout: their
/// first line is the content type. Sorted by name, as Znuny lists them.
pub(crate) fn from_dir(dir: &Path, content_path: &str, article_id: i64, key: &str) -> (Vec<Attachment>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let path = dir.join(content_path.trim_matches('/')).join(article_id.to_string());
    let Ok(entries) = std::fs::read_dir(&path) else { return (files, skipped) };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    const CONTROL: [&str; 4] = [".content_type", ".content_id", ".content_alternative", ".disposition"];
    for name in names.iter().filter(|n| *n != "plain.txt" && !CONTROL.iter().any(|c| n.ends_with(c))) {
        let file = path.join(name);
        let data = match std::fs::read(&file) {
            Ok(d) => d,
            Err(e) => {
                skipped.push(Skipped::new("attachment", format!("{key} {name}"), format!("{}: {e}", file.display())));
                continue;
            }
        };
        let side = |ext: &str| std::fs::read_to_string(path.join(format!("{name}{ext}"))).ok();
        let (content_type, data) = match side(".content_type") {
            Some(ct) => (ct.trim().to_string(), data),
            None => {
                let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
                let ct = String::from_utf8_lossy(&data[..split]).trim().to_string();
                (ct, data.get(split + 1..).unwrap_or_default().to_vec())
            }
        };
        let content_type = if content_type.is_empty() { "application/octet-stream".to_string() } else { content_type };
        let inline = match side(".disposition") {
            Some(d) => disposition_inline(&d),
            None => inline_by_default(name, &content_type, &side(".content_id").unwrap_or_default()),
        };
        files.push(Attachment { name: name.clone(), content_type, inline, data });
    }
    (files, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directory_layout_as_znuny_writes_it() {
        let Ok(dir) = tempdir() else { return };
        let article = dir.join("2024/03/05/17");
        std::fs::create_dir_all(&article).ok();
        let write = |n: &str, b: &[u8]| std::fs::write(article.join(n), b).ok();
        write("plain.txt", b"From: a\n\nraw");
        write("report.pdf", b"%PDF");
        write("report.pdf.content_type", b"application/pdf");
        write("file-2", b"<p>hi</p>");
        write("file-2.content_type", b"text/html; charset=utf-8");
        write("logo.png", b"PNG");
        write("logo.png.content_type", b"image/png");
        write("logo.png.content_id", b"<logo@x>");
        write("old.txt", b"text/plain\nold layout");
        let (files, skipped) = from_dir(&dir, "2024/03/05", 17, "a");
        assert!(skipped.is_empty());
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["file-2", "logo.png", "old.txt", "report.pdf"]);
        assert!(files[0].inline && files[1].inline && !files[3].inline);
        assert_eq!(files[2].content_type, "text/plain");
        assert_eq!(files[2].data, b"old layout");
        assert_eq!(files[3].data, b"%PDF");
        assert!(from_dir(&dir, "2024/03/05", 18, "a").0.is_empty());
        std::fs::remove_dir_all(&dir).ok();
    }

    fn tempdir() -> std::io::Result<std::path::PathBuf> {
        let d = std::env::temp_dir().join(format!("chamado-znuny-fs-{}", std::process::id()));
        std::fs::create_dir_all(&d)?;
        Ok(d)
    }
}
