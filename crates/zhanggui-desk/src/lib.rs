//! The customer-service desk (客服): the reply-script library (scopes and rights, variables,
//! batch export and import), its search, answer suggestions from a knowledge base, and
//! reading reviews by DSR dimension. Review import and alerts, follow-up tasks and
//! notifications are to come.

pub mod answers;
pub mod library;
pub mod reviews;
pub mod search;
pub mod tasks;
pub mod transfer;
pub mod variables;

pub use search::{Doc, Hit, Index};
pub use variables::{MissingValues, Template, TemplateError, Variable};
