//! Shops: one store on one platform, with its currency and time zone.

use chrono_tz::Tz;
use serde::Serialize;

use crate::{Currency, Platform, ShopId, ShopName};

/// A shop as the user asks to create it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewShop {
    pub platform: Platform,
    pub name: ShopName,
    pub currency: Currency,
    /// Decides which calendar day an order belongs to.
    pub timezone: Tz,
}

impl NewShop {
    /// A shop with its platform's default currency and time zone.
    pub fn with_defaults(platform: Platform, name: ShopName) -> Self {
        let timezone = platform
            .default_timezone()
            .parse()
            .unwrap_or(chrono_tz::UTC);
        NewShop {
            platform,
            name,
            currency: platform.default_currency(),
            timezone,
        }
    }
}

/// A shop as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shop {
    pub id: ShopId,
    pub platform: Platform,
    pub name: ShopName,
    pub currency: Currency,
    #[serde(serialize_with = "tz_name")]
    pub timezone: Tz,
}

fn tz_name<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}
