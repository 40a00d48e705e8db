//! `import-znuny`: a Znuny 6/7 or OTRS 6 database into this store: the directory first, then the
//! tickets a batch at a time (by id), each batch's numbers reserved so that new tickets never take
//! one. Running it again writes only what changed in Znuny since.

use super::import_target::{ImportTarget, is_fatal};
use crate::error::{AdminError, Result};
use crate::output::{Output, table};
use chamado::import::ImportOutcome;
use chamado_znuny::{Skipped, ZnunySource};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

/// The options of `import-znuny`.
#[derive(Debug, Args)]
pub struct ImportZnunyArgs {
    /// The Znuny (or OTRS 6) database: `postgres://user:password@host/znuny` or
    /// `mysql://user:password@host/znuny` (MariaDB too).
    #[arg(long, env = "CHAMADO_ZNUNY_DATABASE_URL", hide_env_values = true, value_name = "URL")]
    pub database_url: String,
    /// Znuny's article directory (`ArticleDir`, e.g. `/opt/znuny/var/article`) when it stored files
    /// on disk (ArticleStorageFS); files found there win over the database's.
    #[arg(long, value_name = "DIR")]
    pub article_dir: Option<PathBuf>,
    /// Tickets read and written per batch.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub batch: u16,
}

/// What one kind of thing came to.
#[derive(Debug, Clone, Copy, Default, Serialize)]
struct Counts {
    created: u64,
    updated: u64,
    unchanged: u64,
    skipped: u64,
}

/// The report: counts per kind, and every skipped item with its reason.
#[derive(Debug, Default, Serialize)]
struct Report {
    counts: BTreeMap<String, Counts>,
    skipped: Vec<Skipped>,
}

impl Report {
    fn count(&mut self, kind: &str, outcome: ImportOutcome) {
        let c = self.counts.entry(kind.to_string()).or_default();
        match outcome {
            ImportOutcome::Created => c.created += 1,
            ImportOutcome::Updated => c.updated += 1,
            ImportOutcome::Unchanged => c.unchanged += 1,
        }
    }

    /// A thing left out: counted under its kind and listed.
    fn skip(&mut self, s: Skipped) {
        self.counts.entry(s.kind.clone()).or_default().skipped += 1;
        self.skipped.push(s);
    }

    /// A note about something that did come over (changed): listed, not counted as skipped.
    fn note(&mut self, s: Skipped) {
        self.skipped.push(s);
    }

    fn text(&self, source: &str) -> String {
        let rows: Vec<Vec<String>> = self
            .counts
            .iter()
            .map(|(k, c)| {
                vec![
                    k.clone(),
                    c.created.to_string(),
                    c.updated.to_string(),
                    c.unchanged.to_string(),
                    c.skipped.to_string(),
                ]
            })
            .collect();
        let mut out = format!(
            "imported from {source}\n{}",
            table(&["KIND", "CREATED", "UPDATED", "UNCHANGED", "SKIPPED"], &rows)
        );
        if !self.skipped.is_empty() {
            out.push_str(&format!("\n\nleft out or changed ({}):", self.skipped.len()));
            for s in &self.skipped {
                out.push_str(&format!("\n  {} {}: {}", s.kind, s.key, s.reason));
            }
        }
        out
    }
}

/// Kinds whose notes are about things that still came over (a default applied), not left out.
fn is_note(s: &Skipped, imported_keys: &[String]) -> bool {
    imported_keys.iter().any(|k| *k == format!("{}\u{1f}{}", s.kind, s.key))
}

/// Runs the import into `target`: a store's engine, or a running server.
pub(crate) async fn run(target: &impl ImportTarget, args: &ImportZnunyArgs, json: bool) -> Result<Output> {
    let source = ZnunySource::connect(&args.database_url).await.map_err(AdminError::Znuny)?;
    let result = import(target, &source, args, json).await;
    source.close().await;
    let report = result?;
    let dialect = source_dialect(&args.database_url).unwrap_or("Znuny");
    let text = report.text(dialect);
    let mut value = serde_json::to_value(&report).unwrap_or_default();
    if let Some(o) = value.as_object_mut() {
        o.insert("ok".into(), serde_json::Value::Bool(true));
    }
    Ok(Output { text, json: value })
}

fn source_dialect(url: &str) -> Option<&'static str> {
    let scheme = url.split_once("://")?.0.to_ascii_lowercase();
    Some(if scheme.starts_with("postgres") { "Znuny on PostgreSQL" } else { "Znuny on MySQL/MariaDB" })
}

fn progress(json: bool) -> ProgressBar {
    if json || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{msg:10} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}")
        .map(|s| s.progress_chars("=> "))
    {
        bar.set_style(style);
    }
    bar
}

async fn import(admin: &impl ImportTarget, source: &ZnunySource, args: &ImportZnunyArgs, json: bool) -> Result<Report> {
    let mut report = Report::default();
    let bar = progress(json);
    let directory = source.directory().await.map_err(AdminError::Znuny)?;
    bar.set_message("directory");
    bar.set_length(directory.records.len() as u64);
    // Notes about a record that still came over are listed but not counted as skipped.
    let mut imported_keys = Vec::new();
    for record in directory.records {
        let (kind, key) = (record.kind().as_str(), shown_key(&record.key().key));
        match admin.import_record(record).await {
            Ok(outcome) => {
                report.count(kind, outcome);
                imported_keys.push(format!("{kind}\u{1f}{key}"));
            }
            Err(e) if is_fatal(&e) => return Err(e),
            Err(e) => report.skip(Skipped::new(kind, key, e.to_string())),
        }
        bar.inc(1);
    }
    for s in directory.skipped {
        if is_note(&s, &imported_keys) || s.kind == "setting" {
            report.note(s);
        } else {
            report.skip(s);
        }
    }
    let total = source.ticket_count().await.map_err(AdminError::Znuny)?;
    bar.set_message("tickets");
    bar.set_position(0);
    bar.set_length(total);
    bar.reset_eta();
    let mut after = 0;
    loop {
        let ids = source.ticket_ids(after, usize::from(args.batch)).await.map_err(AdminError::Znuny)?;
        let Some(last) = ids.last() else { break };
        after = *last;
        let batch = source.tickets(&ids, args.article_dir.as_deref()).await.map_err(AdminError::Znuny)?;
        tickets(admin, batch, &mut report).await?;
        bar.inc(ids.len() as u64);
    }
    bar.finish_and_clear();
    Ok(report)
}

async fn tickets(admin: &impl ImportTarget, batch: chamado_znuny::TicketBatch, report: &mut Report) -> Result<()> {
    let mut numbers = Vec::with_capacity(batch.tickets.len());
    for s in batch.skipped {
        if s.kind == "ticket" { report.skip(s) } else { report.note(s) }
    }
    // A batch's tickets are written side by side: the store commits them together (one sync for many
    // tickets) instead of one after another.
    let writes = batch.tickets.into_iter().map(|t| async move {
        let number = t.number.clone();
        (number, admin.import_ticket(t).await)
    });
    for (number, result) in futures_util::future::join_all(writes).await {
        match result {
            Ok(outcome) => {
                report.count("ticket", outcome);
                numbers.push(number);
            }
            Err(e) if is_fatal(&e) => return Err(e),
            Err(e) => report.skip(Skipped::new("ticket", number, e.to_string())),
        }
    }
    admin.reserve_numbers(&numbers).await?;
    Ok(())
}

/// A record key as people read it: a grant's subject and target apart.
fn shown_key(key: &str) -> String {
    key.replace('\u{1f}', " on ")
}
