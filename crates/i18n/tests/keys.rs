//! The translations are complete and exactly what the code uses: every language defines the same
//! messages, every key the code or a template asks for is defined, and every defined key is asked for.
//!
//! Code names a key as a string literal right after `t(`, `t1(`, `t2(`, `t3(`, `ta(`, `key(` or
//! `Message::new(` ([`chamado_i18n::key`] marks keys picked at run time), so a plain text search finds
//! them all.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use fluent_syntax::ast::Entry;
use regex::Regex;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Message ids per language folder, failing on any file that does not parse.
fn defined() -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    for dir in fs::read_dir(&locales).expect("locales folder").flatten() {
        let lang = dir.file_name().to_string_lossy().to_string();
        let keys: &mut BTreeSet<String> = out.entry(lang.clone()).or_default();
        for file in fs::read_dir(dir.path()).expect("language folder").flatten() {
            let path = file.path();
            if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
                continue;
            }
            let text = fs::read_to_string(&path).expect("readable ftl");
            let resource = fluent_syntax::parser::parse(text.as_str())
                .unwrap_or_else(|(_, errors)| panic!("{} does not parse: {errors:?}", path.display()));
            for entry in resource.body {
                if let Entry::Message(m) = entry {
                    assert!(
                        keys.insert(m.id.name.to_string()),
                        "{lang}: {} is defined twice ({})",
                        m.id.name,
                        path.display()
                    );
                }
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if !matches!(name.as_str(), "target" | ".git" | "node_modules" | "corpus" | "artifacts") {
                sources(&path, out);
            }
        } else if name.ends_with(".rs") || name.ends_with(".html") {
            out.push(path);
        }
    }
}

/// Keys the code and templates ask for, with one place each is asked for.
fn used() -> BTreeMap<String, String> {
    let call = Regex::new(r#"\b(?:t|t1|t2|t3|ta|key|Message::new)\(\s*"([a-z][a-z0-9-]*)""#).expect("regex");
    let mut files = Vec::new();
    for root in ["engine", "crates", "adapters", "examples", "tests", "benches"] {
        sources(&workspace().join(root), &mut files);
    }
    let mut out = BTreeMap::new();
    for f in files {
        let Ok(text) = fs::read_to_string(&f) else { continue };
        for c in call.captures_iter(&text) {
            out.entry(c[1].to_string()).or_insert_with(|| f.display().to_string());
        }
    }
    out
}

#[test]
fn every_language_defines_the_same_messages() {
    let defined = defined();
    let en = defined.get("en").expect("English texts");
    assert!(defined.len() >= 2, "at least en and pt-BR: {:?}", defined.keys());
    for (lang, keys) in &defined {
        let missing: Vec<_> = en.difference(keys).collect();
        let extra: Vec<_> = keys.difference(en).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(extra.is_empty(), "{lang} has messages English lacks: {extra:?}");
    }
}

#[test]
fn every_key_used_is_defined() {
    let en = defined().remove("en").expect("English texts");
    let undefined: Vec<_> = used().into_iter().filter(|(k, _)| !en.contains(k)).collect();
    assert!(undefined.is_empty(), "used but defined nowhere (key, a file using it): {undefined:#?}");
}

#[test]
fn every_key_defined_is_used() {
    let used = used();
    let en = defined().remove("en").expect("English texts");
    let unused: Vec<_> = en.iter().filter(|k| !used.contains_key(*k)).collect();
    assert!(unused.is_empty(), "defined but used nowhere: {unused:?}");
}
