//! Buyers' reviews and their follow-up records, and the logistics events of shipped orders,
//! as stored. What a review says and which need an alert is the desk crate's business.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::StoreError;
use zhanggui_domain::Shop;

/// A review as imported (times in UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewRecord {
    pub review_id: String,
    pub order_no: Option<String>,
    pub product: Option<String>,
    pub buyer: Option<String>,
    /// good, medium or bad (好评, 中评, 差评).
    pub rating: String,
    /// The rating the review had when first imported (a changed bad review keeps "bad").
    pub first_rating: String,
    pub stars: Option<i32>,
    pub body: String,
    pub reviewed_at: NaiveDateTime,
    pub shop_reply: Option<String>,
}

/// One entry of a review's follow-up record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewAction {
    pub review_id: String,
    /// contact, compensation, reply, changed, closed.
    pub kind: String,
    pub at: NaiveDateTime,
    pub by: Option<String>,
    /// The compensation offered, in minor units of the shop's currency (in JSON: `amount`,
    /// a decimal in the shop's currency).
    #[serde(
        rename = "amount",
        serialize_with = "zhanggui_domain::money_json::minor_opt"
    )]
    pub amount_minor: Option<i64>,
    pub note: Option<String>,
}

/// How an import of reviews went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReviewsSaved {
    pub new: usize,
    /// Reviews already known whose rating, text or reply changed.
    pub updated: usize,
    pub unchanged: usize,
}

/// One tracking event of a shipped order (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogisticsEvent {
    pub order_no: String,
    pub tracking_no: Option<String>,
    pub carrier: Option<String>,
    pub at: NaiveDateTime,
    pub status: String,
    /// A signed-for (签收) event.
    pub delivered: bool,
}

/// The latest tracking of one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastTracking {
    pub order_no: String,
    pub at: NaiveDateTime,
    pub status: String,
    pub delivered: bool,
}

/// Reviews and logistics events.
pub trait ReviewStore {
    /// Saves reviews: new ones are added, known ones (by id) updated, keeping their first
    /// rating.
    fn save_reviews(
        &self,
        shop: &Shop,
        reviews: &[ReviewRecord],
    ) -> Result<ReviewsSaved, StoreError>;
    /// The shop's reviews, newest first.
    fn reviews(&self, shop: &Shop) -> Result<Vec<ReviewRecord>, StoreError>;
    /// Appends an entry to a review's follow-up record; fails for an unknown review.
    fn add_review_action(&self, shop: &Shop, action: &ReviewAction) -> Result<(), StoreError>;
    /// The follow-up records of the shop's reviews, oldest first.
    fn review_actions(&self, shop: &Shop) -> Result<Vec<ReviewAction>, StoreError>;
    /// Saves logistics events (an event already stored is kept once); returns how many
    /// were new.
    fn save_logistics_events(
        &self,
        shop: &Shop,
        events: &[LogisticsEvent],
    ) -> Result<usize, StoreError>;
    /// The latest event of every tracked order of the shop.
    fn last_tracking(&self, shop: &Shop) -> Result<Vec<LastTracking>, StoreError>;
}
