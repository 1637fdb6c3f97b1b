//! A real database with the two demo shops imported through the real importers, users of
//! every kind, and the real router, driven request by request.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use zhanggui_demo::{generate, DemoConfig};
use zhanggui_domain::{Currency, NewShop, Platform, Shop, ShopName};
use zhanggui_import::{import_file, ImportOptions};
use zhanggui_storage::accounts::NewUser;
use zhanggui_storage::{AccountStore, DuckStore, ReviewStore, ScriptStore, Store};
use zhanggui_web::auth::{password, Role};
use zhanggui_web::{router, AppState};

pub const PASSWORD: &str = "test-password-1";

pub struct World {
    pub dir: tempfile::TempDir,
    pub state: AppState,
    pub app: Router,
    /// demo-taobao, demo-shopify
    pub shops: Vec<Shop>,
}

/// What came back.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(500)])
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A signed-in client: its cookie and CSRF token, or an API token.
#[derive(Clone, Default)]
pub struct Client {
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

impl World {
    /// Two demo shops (`lines` order lines in all) and users: `boss` (owner), `manager`
    /// (manager of demo-taobao), `helper` (assistant of demo-taobao), `kefu` (agent of
    /// demo-taobao).
    pub fn new(lines: u64) -> World {
        let dir = tempfile::tempdir().unwrap();
        let files = dir.path().join("files");
        let demo = generate(&DemoConfig::new(7, lines), &files).unwrap();
        let (store, _) = DuckStore::open(&dir.path().join("z.duckdb")).unwrap();
        let mut shops = Vec::new();
        for s in &demo.shops {
            let mut new = NewShop::with_defaults(
                s.platform.parse::<Platform>().unwrap(),
                ShopName::parse(s.name).unwrap(),
            );
            new.currency = Currency::parse(s.currency).unwrap();
            new.timezone = s.timezone.parse().unwrap();
            let shop = store.add_shop(&new).unwrap();
            for f in &s.files {
                import_file(&store, &shop, f, &ImportOptions::default(), &()).unwrap();
            }
            // The customer-service side: reviews, tracking, the starter library.
            if let Some(f) = &s.reviews {
                let read =
                    zhanggui_import::side::reviews::read_reviews(f, shop.timezone, &[]).unwrap();
                store.save_reviews(&shop, &read.reviews).unwrap();
            }
            if let Some(f) = &s.tracking {
                let read =
                    zhanggui_import::side::logistics::read_events(f, shop.timezone, &[]).unwrap();
                store.save_logistics_events(&shop, &read.events).unwrap();
            }
            if s.reviews.is_some() {
                zhanggui_desk::starter::install(
                    &store,
                    &shop,
                    &["售前", "售后"],
                    zhanggui_demo::STARTER_SCRIPTS,
                    "demo",
                )
                .unwrap();
                store
                    .set_department_member(&shop, "售后", "kefu", true)
                    .unwrap();
            }
            shops.push(shop);
        }
        let hash = password::hash(PASSWORD).unwrap();
        let add = |login: &str, owner: bool| {
            store
                .add_user(&NewUser {
                    login,
                    display_name: login,
                    password_hash: &hash,
                    is_owner: owner,
                    language: "zh",
                })
                .unwrap()
        };
        add("boss", true);
        for (login, role) in [
            ("manager", Role::Manager),
            ("helper", Role::Assistant),
            ("kefu", Role::Agent),
        ] {
            let u = add(login, false);
            store
                .set_grant(shops[0].id, u.id, Some(role.as_str()))
                .unwrap();
        }
        let state = AppState::new(store, 2, dir.path().join("uploads"), false).unwrap();
        let app = router(state.clone());
        World {
            dir,
            state,
            app,
            shops,
        }
    }

    pub fn files_dir(&self) -> PathBuf {
        self.dir.path().join("files")
    }

    /// Sends one request through the real router.
    pub async fn send(
        &self,
        client: &Client,
        method: &str,
        uri: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(c) = &client.cookie {
            req = req.header(header::COOKIE, c);
        }
        if let Some(t) = &client.csrf {
            req = req.header("x-csrf-token", t);
        }
        if let Some(b) = &client.bearer {
            req = req.header(header::AUTHORIZATION, format!("Bearer {b}"));
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, client: &Client, uri: &str) -> Answer {
        self.send(client, "GET", uri, None, Vec::new()).await
    }

    pub async fn json(&self, client: &Client, method: &str, uri: &str, body: Value) -> Answer {
        self.send(
            client,
            method,
            uri,
            Some("application/json"),
            serde_json::to_vec(&body).unwrap(),
        )
        .await
    }

    /// Signs in through the API; the client carries the session cookie and CSRF token.
    pub async fn login(&self, login: &str) -> Client {
        let a = self
            .json(
                &Client::default(),
                "POST",
                "/api/v1/session",
                serde_json::json!({"login": login, "password": PASSWORD}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{login} signs in: {}", a.text());
        let cookie = a
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        Client {
            cookie: Some(cookie),
            csrf: a.json()["csrf"].as_str().map(str::to_owned),
            bearer: None,
        }
    }
}

/// A multipart body with one text field per `(name, value)` and one file per
/// `(name, file name, bytes)`.
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "zhanggui-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (name, file, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Runs a test's body on a runtime like the server's.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Asserts a refusal in the API's one error shape.
pub fn refused(a: &Answer, status: StatusCode, code: &str, mentions: &str) {
    assert_eq!(a.status, status, "{}", a.text());
    let body = a.json();
    assert_eq!(body["error"]["code"], code);
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(mentions),
        "`{message}` mentions `{mentions}`"
    );
}
