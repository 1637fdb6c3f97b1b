//! The customer-service desk (客服): the reply-script library (scopes and rights, variables,
//! batch export and import), its search, and answer suggestions from a knowledge base.
//! Reviews, follow-up tasks and notifications are to come.

pub mod answers;
pub mod library;
pub mod search;
pub mod transfer;
pub mod variables;

pub use search::{Doc, Hit, Index};
pub use variables::{MissingValues, Template, TemplateError, Variable};
