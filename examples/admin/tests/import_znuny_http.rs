//! `chamado-admin import-znuny --url`: a real Znuny 7 database on PostgreSQL ([`znuny`]) imported
//! into a help desk running in this test (`chamado_api::router` on 127.0.0.1:0) through its import
//! API, with the same report as the direct import: the directory, grants, tickets with their files and
//! history arrive; a second run is all unchanged; a later change in Znuny comes over alone; a wrong
//! token stops the import at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod znuny;

use chamado::{Actor, Engine, GrantSubject};
use common::{Run, command};
use znuny::{Db, check_directory, check_threading, check_tickets, count, znuny_files};

const TOKEN: &str = "test-admin-token-0123456789";

/// Starts a seeded help desk on a free port in a background thread; answers its base URL and engine.
fn server() -> (String, Engine) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        rt.block_on(async move {
            let engine = Engine::builder(chamado::MemoryStore::new()).build().unwrap();
            let token_file = std::env::temp_dir().join(format!("chamado-import-http-{}.token", std::process::id()));
            chamado_runtime::bootstrap(&engine, "admin", Some(TOKEN), &token_file).await.unwrap();
            let app = chamado_api::router(engine.clone(), chamado_http::HttpConfig::default());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send((format!("http://{}", listener.local_addr().unwrap()), engine)).unwrap();
            chamado_http::server::serve(listener, app, std::future::pending::<()>()).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

fn import(url: &str, token: &str, database: &str) -> Run {
    let out = command()
        .args(["--url", url, "--token", token, "--json", "import-znuny", "--database-url", database, "--batch", "2"])
        .output()
        .expect("run chamado-admin");
    Run {
        ok: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn imports_a_znuny_database_into_a_running_helpdesk() {
    let Some(files) = znuny_files() else { return };
    let (scratch, numbers) = znuny::prepare(Db::Postgres, &files);
    let (url, engine) = server();
    let database = scratch.url();

    let refused = import(&url, "not-the-token-0123456789", &database);
    let message = refused.err();
    assert!(message.contains("401") || message.contains("token"), "{message}");
    assert!(!message.contains("skipped"), "a wrong token ends the import at once: {message}");

    let first = import(&url, TOKEN, &database).json();
    assert_eq!(count(&first, "ticket", "created"), 4, "{first:#}");
    assert_eq!(count(&first, "customer_user", "created"), 2, "{first:#}");
    assert_eq!(count(&first, "agent", "created"), 2, "{first:#}");
    assert!(count(&first, "grant", "created") >= 8, "{first:#}");
    assert_eq!(count(&first, "grant", "skipped"), 1, "globex's context Other: {first:#}");

    let again = import(&url, TOKEN, &database).json();
    for (kind, c) in again["counts"].as_object().unwrap() {
        assert_eq!((c["created"].as_u64(), c["updated"].as_u64()), (Some(0), Some(0)), "{kind} on a re-run: {again:#}");
    }
    assert_eq!(count(&again, "ticket", "unchanged"), 4);

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        check_directory(&engine).await;
        check_tickets(&engine, &numbers).await;
        check_threading(&engine, &numbers).await;
        // The helpdesk's own admin keeps its rights: the import only added to the directory.
        let admin = engine.admin(&Actor::System).await.unwrap();
        assert!(!admin.grants_of(&GrantSubject::Agent("admin".into())).await.unwrap().is_empty());
    });

    scratch.sql(&znuny::change(&numbers));
    let third = import(&url, TOKEN, &database).json();
    assert_eq!(count(&third, "ticket", "updated"), 1, "{third:#}");
    assert_eq!(count(&third, "ticket", "unchanged"), 3, "{third:#}");
    rt.block_on(async {
        let t2 = engine.ticket(&Actor::System, numbers.t2).await.unwrap();
        assert_eq!(t2.articles.len(), 2);
        assert_eq!(t2.articles[1].subject, "Your password");
    });
}
