//! The customer-service desk (客服): the reply-script library's variables and its search.
//! Storage, the library's scopes and versions, the knowledge base, reviews, follow-up tasks
//! and notifications build on these.

pub mod search;
pub mod variables;

pub use search::{Doc, Hit, Index};
pub use variables::{MissingValues, Template, TemplateError, Variable};
