//! Running the server: bind, serve until SIGINT or SIGTERM, finish the requests in flight.
//! Every request is logged by its route pattern (`/products/{code}`, not the product).

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tokio::net::TcpListener;

use crate::routes::router;
use crate::state::AppState;

/// Logs method, route pattern, status and time of every request.
pub async fn log_request(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(unmatched)".into());
    let response = next.run(req).await;
    tracing::info!(
        target: "zhanggui::http",
        %method,
        route = %route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// Headers every answer carries: no sniffing, no framing, no referrer to other sites, and
/// a content security policy that allows only this site's own styles and scripts.
pub async fn security_headers(req: Request, next: Next) -> Response {
    use axum::http::header::{self, HeaderValue};
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    response
}

/// Serves on a bound listener until the process is asked to stop.
pub async fn run(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// Brings every shop's derived tables up to date before serving, so the first visitor
/// does not wait for a rebuild.
pub fn warm(state: &AppState) {
    use zhanggui_storage::Store;
    state.db.exclusive_blocking(|store| {
        if let Ok(shops) = store.shops() {
            for shop in shops {
                if let Err(e) = store.refresh(&shop) {
                    tracing::warn!(shop = %shop.name, error = %e, "could not prepare the shop's reports");
                }
            }
        }
    });
}
