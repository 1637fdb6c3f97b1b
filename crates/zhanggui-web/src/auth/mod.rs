//! Who is asking and what they may do: accounts, sessions, API tokens, CSRF and login
//! limits. `CurrentUser` is the one extractor every route that needs a user goes through.

pub mod limiter;
pub mod password;
pub mod roles;
pub mod session;
pub mod user;

pub use roles::{Right, Role};
pub use user::{ApiUser, CurrentUser, PageUser};
