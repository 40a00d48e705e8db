//! First start: seeding and the admin token (generated once into a file, or configured).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamado::{Engine, MemoryStore};
use chamado_api::router;
use chamado_http::HttpConfig;
use chamado_runtime::bootstrap;
use tower::ServiceExt;

async fn status_with(engine: &Engine, token: &str) -> StatusCode {
    let app = router(engine.clone(), HttpConfig::default());
    let req = Request::builder()
        .uri("/api/v1/customers")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    app.oneshot(req).await.unwrap().status()
}

#[tokio::test]
async fn first_start_seeds_and_writes_a_token_once() {
    let dir = std::env::temp_dir().join(format!("chamado-http-bootstrap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("admin.token");
    let _ = std::fs::remove_file(&file);
    let engine = Engine::builder(MemoryStore::new()).build().unwrap();

    let first = bootstrap(&engine, "admin", None, &file).await.unwrap();
    assert!(first.seeded);
    let token = first.new_token.clone().unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim(), token);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(status_with(&engine, &token).await, StatusCode::OK);

    let second = bootstrap(&engine, "admin", None, &file).await.unwrap();
    assert_eq!((second.seeded, second.new_token), (false, None));
    assert_eq!(status_with(&engine, &token).await, StatusCode::OK);

    let configured = "operator-chosen-token-1234";
    assert_eq!(status_with(&engine, configured).await, StatusCode::UNAUTHORIZED);
    let third = bootstrap(&engine, "admin", Some(configured), &file).await.unwrap();
    assert_eq!(third.new_token, None);
    assert_eq!(status_with(&engine, configured).await, StatusCode::OK);
    assert!(bootstrap(&engine, "admin", Some("short"), &file).await.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}
