//! Canonical order states and the many words platforms use for them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where an order is in its life. Refunds are amounts on the order and its lines, not a
/// state: a fully refunded order is `Closed` with its refund amount set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Created, waiting for payment (等待买家付款).
    Created,
    /// Paid, waiting to be shipped (买家已付款，等待卖家发货).
    Paid,
    /// Shipped, waiting for the buyer to confirm (卖家已发货，等待买家确认).
    Shipped,
    /// Completed (交易成功).
    Completed,
    /// Closed: never paid, cancelled, or refunded in full (交易关闭).
    Closed,
}

impl OrderState {
    pub const ALL: [OrderState; 5] = [
        OrderState::Created,
        OrderState::Paid,
        OrderState::Shipped,
        OrderState::Completed,
        OrderState::Closed,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            OrderState::Created => "created",
            OrderState::Paid => "paid",
            OrderState::Shipped => "shipped",
            OrderState::Completed => "completed",
            OrderState::Closed => "closed",
        }
    }

    /// Whether the buyer's money was received and the order still stands.
    pub fn is_paid(&self) -> bool {
        matches!(
            self,
            OrderState::Paid | OrderState::Shipped | OrderState::Completed
        )
    }

    /// Reads a state word as platforms write it: the Chinese words of Taobao/Tmall, JD,
    /// Pinduoduo and Douyin exports in their several wordings, or a canonical English name.
    /// Full-width punctuation and spaces are ignored. `None` when the word is not known.
    pub fn from_platform_word(raw: &str) -> Option<OrderState> {
        let word: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '，' => ',',
                '（' => '(',
                '）' => ')',
                other => other,
            })
            .collect::<String>()
            .to_lowercase();
        let state = match word.as_str() {
            "created" | "pending" | "unpaid" | "等待买家付款" | "待付款" | "待支付"
            | "等待付款" | "未付款" => OrderState::Created,
            "paid"
            | "买家已付款,等待卖家发货"
            | "买家已付款"
            | "等待卖家发货"
            | "待发货"
            | "等待出库"
            | "已付款"
            | "已支付"
            | "待出库"
            | "备货中" => OrderState::Paid,
            "shipped"
            | "卖家已发货,等待买家确认"
            | "卖家已发货"
            | "已发货"
            | "已发货,待签收"
            | "等待确认收货"
            | "待收货"
            | "已出库"
            | "部分发货" => OrderState::Shipped,
            "completed" | "交易成功" | "已完成" | "完成" | "已签收" | "交易完成" => {
                OrderState::Completed
            }
            "closed"
            | "cancelled"
            | "canceled"
            | "交易关闭"
            | "交易关闭(退款)"
            | "已关闭"
            | "已取消"
            | "取消"
            | "订单关闭"
            | "交易取消"
            | "已退款" => OrderState::Closed,
            _ => return None,
        };
        Some(state)
    }
}

impl fmt::Display for OrderState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown order state `{0}`")]
pub struct UnknownState(pub String);

impl FromStr for OrderState {
    type Err = UnknownState;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrderState::from_platform_word(s).ok_or_else(|| UnknownState(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taobao_words_in_both_punctuations() {
        use OrderState::*;
        for (word, state) in [
            ("等待买家付款", Created),
            ("买家已付款，等待卖家发货", Paid),
            ("买家已付款,等待卖家发货", Paid),
            ("卖家已发货，等待买家确认", Shipped),
            ("交易成功", Completed),
            ("交易关闭", Closed),
            ("交易关闭（退款）", Closed),
            (" 已发货，待签收 ", Shipped),
        ] {
            assert_eq!(OrderState::from_platform_word(word), Some(state), "{word}");
        }
        assert_eq!(OrderState::from_platform_word("神秘状态"), None);
    }

    #[test]
    fn canonical_names_round_trip() {
        for s in OrderState::ALL {
            assert_eq!(s.as_str().parse::<OrderState>().unwrap(), s);
        }
    }
}
