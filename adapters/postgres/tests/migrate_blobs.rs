//! Migration 6 on a database of migration 5: the files stored inline in articles move into the blobs
//! table, once per distinct content, and the articles keep name, type, size and hash.
//! Needs `CHAMADO_TEST_DATABASE_URL`; skips with a notice when it is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chamado::{Attachment, Commit, ContentHash, Store, TicketWrite};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_files_move_into_blobs_once() {
    let Some(url) = common::url() else { return };
    let schema = common::schema_name("mig6");
    let logo = Attachment {
        name: "logo.png".into(),
        content_type: "image/png".into(),
        inline: true,
        data: vec![0x89, b'P', b'N', b'G', 0, 255, 10],
    };
    let report = |id: u64| Attachment {
        name: format!("report-{id}.pdf"),
        content_type: "application/pdf".into(),
        inline: false,
        data: format!("%PDF {id}").into_bytes(),
    };
    {
        let store = common::store(&url, &schema).await;
        for id in 1..=3u64 {
            let mut a = chamado::testkit::article(id, id, None);
            a.attachments.clear();
            let t = chamado::testkit::ticket(id, 100);
            store
                .commit(Commit {
                    tickets: vec![TicketWrite { ticket: t, expected_version: 0 }],
                    articles: vec![a],
                    ..Default::default()
                })
                .await
                .unwrap();
        }
    }
    // Back to what migration 5 left: no blobs table, articles holding their files' bytes as JSON (and
    // none of the later migrations, which run again after it).
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("SET search_path TO {schema}")).await.unwrap();
    client.batch_execute(common::UNDO_MIGRATION_8).await.unwrap();
    client
        .batch_execute(
            "DROP TABLE blobs; DROP INDEX tickets_escalated; DROP INDEX tickets_at_risk;
             ALTER TABLE tickets DROP COLUMN escalation_mark; DELETE FROM schema_migrations WHERE version >= 6",
        )
        .await
        .unwrap();
    for id in 1..=3i64 {
        let mut files = vec![serde_json::json!(logo)];
        if id != 2 {
            files.push(serde_json::json!(report(id as u64)));
        }
        let files = serde_json::Value::Array(files);
        client
            .execute("UPDATE articles SET data = jsonb_set(data, '{attachments}', $1) WHERE id = $2", &[&files, &id])
            .await
            .unwrap();
    }
    let store = common::store(&url, &schema).await;
    assert_eq!(store.blob_count().await.unwrap(), 3, "one logo and two reports");
    for id in 1..=3u64 {
        let a = store.article(chamado::ArticleId(id)).await.unwrap().unwrap();
        assert_eq!(a.attachments[0], logo.meta(), "name, type, inline flag, size and hash");
        assert_eq!(store.blob(&a.attachments[0].sha256).await.unwrap(), Some(logo.data.clone()));
        if id != 2 {
            assert_eq!(a.attachments[1], report(id).meta());
            assert_eq!(store.blob(&ContentHash::of(&report(id).data)).await.unwrap(), Some(report(id).data));
        } else {
            assert_eq!(a.attachments.len(), 1);
        }
    }
    common::drop_schemas(&url, "mig6").await;
}
