//! `chamado-admin import-znuny` against real Znuny databases: a fresh database on PostgreSQL and on
//! MariaDB loaded with Znuny 7.0.19's own schema and initial data (`../shared/znuny-db`), rows added
//! as Znuny writes them ([`znuny`]), imported into a fresh redb store by the built binary, and
//! everything checked through the engine: records and grants, tickets, articles, file bytes, history,
//! threading of replies to old mail, numbers that never collide, and re-runs that write only what
//! changed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod znuny;

use chamado::import::ImportOutcome;
use chamado::{Actor, Engine, HistoryKind};
use chamado_redb::RedbStore;
use common::{Run, command};
use std::path::Path;
use znuny::{Db, PDF, WELCOME, check_directory, check_threading, check_tickets, count, znuny_files};

fn import(dir: &Path, url: &str, article_dir: &Path) -> Run {
    let out = command()
        .arg("--data-dir")
        .arg(dir)
        .args(["--json", "import-znuny", "--database-url", url, "--batch", "2", "--article-dir"])
        .arg(article_dir)
        .output()
        .expect("run chamado-admin");
    Run {
        ok: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `counts[kind][outcome]` of an import's JSON report.
fn open(dir: &Path) -> (RedbStore, Engine) {
    let store = RedbStore::open(dir.join("chamado.redb")).unwrap();
    let engine = Engine::builder(store.clone()).build().unwrap();
    (store, engine)
}

fn scenario(db: Db, files: &Path) {
    let (scratch, numbers) = znuny::prepare(db, files);
    let store_dir = tempfile::tempdir().unwrap();
    let url = scratch.url();
    // The phone article's files are on disk (Znuny's ArticleStorageFS layout); the others' in the
    // database, read where the directory has none.
    let articles = tempfile::tempdir().unwrap();
    let phone = scratch.value("SELECT id FROM article WHERE insert_fingerprint = 't2-a1'");
    let on_disk = articles.path().join("2026/01/10").join(&phone);
    std::fs::create_dir_all(&on_disk).unwrap();
    std::fs::write(on_disk.join("plain.txt"), "From: bob\n\nraw").unwrap();
    std::fs::write(on_disk.join("scan.pdf"), PDF).unwrap();
    std::fs::write(on_disk.join("scan.pdf.content_type"), "application/pdf").unwrap();

    let first = import(store_dir.path(), &url, articles.path()).json();
    assert_eq!(count(&first, "ticket", "created"), 4, "{first:#}");
    assert_eq!(count(&first, "customer_user", "created"), 2);
    assert_eq!(count(&first, "agent", "created"), 2);
    assert_eq!(count(&first, "customer", "created"), 2);
    assert_eq!(count(&first, "grant", "skipped"), 1, "globex's context Other: {first:#}");
    let skipped = first["skipped"].as_array().unwrap();
    let reasons: Vec<String> = skipped.iter().map(|s| format!("{} {}: {}", s["kind"], s["key"], s["reason"])).collect();
    assert!(reasons.iter().any(|r| r.contains("TimeAccounting")), "{reasons:#?}");
    assert!(!reasons.iter().any(|r| r.contains("CustomerGroupAlwaysGroups")), "{reasons:#?}");
    assert!(reasons.iter().any(|r| r.contains("Ticket::CustomerID::Other")), "{reasons:#?}");

    let again = import(store_dir.path(), &url, articles.path()).json();
    for (kind, c) in again["counts"].as_object().unwrap() {
        assert_eq!((c["created"].as_u64(), c["updated"].as_u64()), (Some(0), Some(0)), "{kind} on a re-run: {again:#}");
    }
    assert_eq!(count(&again, "ticket", "unchanged"), 4);

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (store, engine) = open(store_dir.path());
    rt.block_on(async {
        check_directory(&engine).await;
        check_tickets(&engine, &numbers).await;
        let t2 = engine.ticket(&Actor::System, numbers.t2).await.unwrap();
        assert_eq!(
            znuny::file(&engine, numbers.t2, &t2.articles[0], 0).await,
            ("scan.pdf".into(), "application/pdf".into(), false, PDF.to_vec())
        );
        assert_eq!(t2.articles[0].attachments.len(), 1, "plain.txt is the raw mail, not a file");
        check_threading(&engine, &numbers).await;
    });
    drop(engine);
    store.close().unwrap();
    drop(store);

    scratch.sql(&znuny::change(&numbers));
    let third = import(store_dir.path(), &url, articles.path()).json();
    assert_eq!(count(&third, "ticket", "updated"), 1, "{third:#}");
    assert_eq!(count(&third, "ticket", "unchanged"), 3, "{third:#}");
    assert_eq!(count(&third, "ticket", "created"), 0);
    let (store, engine) = open(store_dir.path());
    rt.block_on(async {
        let t2 = engine.ticket(&Actor::System, numbers.t2).await.unwrap();
        assert_eq!(t2.articles.len(), 2);
        assert_eq!(
            (t2.articles[1].subject.as_str(), t2.articles[1].created_by.as_str()),
            ("Your password", "agent:maria")
        );
        let kinds: Vec<HistoryKind> =
            engine.history(&Actor::System, numbers.t2).await.unwrap().iter().map(|h| h.kind).collect();
        assert_eq!(kinds, [HistoryKind::Created, HistoryKind::ArticleAdded]);
        // The welcome ticket keeps the replies taken here: the re-run left it alone.
        assert_eq!(engine.ticket(&Actor::System, WELCOME).await.unwrap().articles.len(), 3);
    });
    drop(engine);
    store.close().unwrap();
    let _ = ImportOutcome::Unchanged;
}

#[test]
fn imports_a_znuny_database_on_postgresql() {
    let Some(files) = znuny_files() else { return };
    scenario(Db::Postgres, &files);
}

#[test]
fn imports_a_znuny_database_on_mariadb() {
    let Some(files) = znuny_files() else { return };
    scenario(Db::Mariadb, &files);
}
