//! The OpenAPI document is served and matches the snapshot in `tests/snapshots`; a change
//! of the API shows up as a change of that file (write it anew with
//! `UPDATE_SNAPSHOTS=1 cargo test --workspace -- openapi`).

use axum::http::StatusCode;

use super::fixture::{block_on, Client, World};

#[test]
fn the_openapi_document_is_served_and_unchanged() {
    block_on(async {
        let w = World::new(200);
        let served = w.get(&Client::default(), "/api/v1/openapi.json").await;
        assert_eq!(served.status, StatusCode::OK);
        let doc = served.json();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        // Every API route of the route table is documented.
        for route in zhanggui_web::ROUTES {
            if let Some(path) = route.path.strip_prefix("/api/v1") {
                if path == "/openapi.json" {
                    continue;
                }
                let documented = &doc["paths"][route.path];
                assert!(
                    documented[route.method.to_lowercase()].is_object(),
                    "{} {} is in the document",
                    route.method,
                    route.path
                );
                let _ = path;
            }
        }
        let snapshot =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
        let text = served.text();
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
            std::fs::write(&snapshot, &text).unwrap();
        }
        let expected = std::fs::read_to_string(&snapshot)
            .expect("tests/snapshots/openapi.json exists (UPDATE_SNAPSHOTS=1 writes it)");
        assert_eq!(
            text, expected,
            "the API changed: review and update the snapshot"
        );
    });
}
