//! The customer-service desk (客服): the reply-script library (scopes and rights, variables,
//! batch export and import), its search, answer suggestions from a knowledge base, reading
//! reviews by DSR dimension and the review monitor (alerts, suggested replies, follow-ups,
//! metrics), and order follow-up tasks.

pub mod alerts;
pub mod answers;
pub mod editing;
pub mod followups;
pub mod images;
pub mod library;
pub mod monitor;
pub mod reviews;
pub mod search;
pub mod starter;
pub mod tasks;
pub mod transfer;
pub mod variables;

pub use search::{Doc, Hit, Index};
pub use variables::{MissingValues, Template, TemplateError, Variable};
