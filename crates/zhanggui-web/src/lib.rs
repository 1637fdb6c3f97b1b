//! The zhanggui web cockpit: server-rendered pages (minijinja templates compiled into the
//! binary), SVG charts drawn in Rust, accounts with roles per shop, and the JSON API under
//! `/api/v1` with its OpenAPI document. No front-end build, no CDN: it works offline.
//!
//! Layout: `routes` lists every route and who may use it; `auth` says who is asking;
//! `views` computes what pages and API show (once, cached); `pages` renders views as
//! HTML; `api` serves them as JSON; `admin`, `login`, `upload` and `jobs` are the
//! operations that change things; `export` downloads any table; `server` runs it all.

pub mod admin;
pub mod ads_api;
pub mod api;
pub mod auth;
pub mod charts;
pub mod desk_api;
pub mod error;
pub mod export;
pub mod i18n;
pub mod jobs;
pub mod library_api;
pub mod login;
pub mod members_api;
pub mod notify_api;
mod one_file;
pub mod openapi;
pub mod pages;
pub mod profit_api;
pub mod remote;
pub mod routes;
pub mod server;
pub mod state;
mod static_files;
pub mod templates;
pub mod upload;
pub mod views;

pub use routes::{router, Access, RouteSpec, ROUTES};
pub use state::AppState;
