//! The platforms a shop can sell on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Taobao,
    Tmall,
    Jd,
    Pdd,
    Douyin,
    #[serde(rename = "1688")]
    Alibaba1688,
    Shopify,
    Generic,
}

impl Platform {
    pub const ALL: [Platform; 8] = [
        Platform::Taobao,
        Platform::Tmall,
        Platform::Jd,
        Platform::Pdd,
        Platform::Douyin,
        Platform::Alibaba1688,
        Platform::Shopify,
        Platform::Generic,
    ];

    /// The name used on the command line and in the database.
    pub fn as_str(&self) -> &'static str {
        match self {
            Platform::Taobao => "taobao",
            Platform::Tmall => "tmall",
            Platform::Jd => "jd",
            Platform::Pdd => "pdd",
            Platform::Douyin => "douyin",
            Platform::Alibaba1688 => "1688",
            Platform::Shopify => "shopify",
            Platform::Generic => "generic",
        }
    }

    /// The currency a new shop on this platform defaults to.
    pub fn default_currency(&self) -> crate::Currency {
        match self {
            Platform::Shopify | Platform::Generic => crate::Currency::USD,
            _ => crate::Currency::CNY,
        }
    }

    /// The time zone a new shop on this platform defaults to.
    pub fn default_timezone(&self) -> &'static str {
        match self {
            Platform::Shopify | Platform::Generic => "UTC",
            _ => "Asia/Shanghai",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown platform `{0}`; expected one of taobao, tmall, jd, pdd, douyin, 1688, shopify, generic")]
pub struct UnknownPlatform(pub String);

impl FromStr for Platform {
    type Err = UnknownPlatform;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == lower)
            .or(match lower.as_str() {
                "pinduoduo" => Some(Platform::Pdd),
                "alibaba" => Some(Platform::Alibaba1688),
                _ => None,
            })
            .ok_or_else(|| UnknownPlatform(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_parses_from_its_own_name() {
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse::<Platform>().unwrap(), p);
        }
        assert!("ebay".parse::<Platform>().is_err());
    }
}
