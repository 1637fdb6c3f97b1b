//! A review export (评价管理 → 导出评价, or any review list) as review records.
//!
//! The rating is read from a 评价结果 column (好评 / 中评 / 差评, good / neutral / bad)
//! or from stars (1-5, `5星`, `★★★★☆`): 4-5 stars are good, 3 medium, 1-2 bad.
//! Times are the shop's local time unless they carry an offset. A review without an id
//! column gets a stable id from its order, product, time and text, so importing the same
//! file twice adds nothing.

use std::path::Path;

use chrono_tz::Tz;
use zhanggui_storage::ReviewRecord;

use super::{read_rows, Columns, FieldSpec, RejectedRow, SideError};
use crate::read::Row;
use crate::values::{parse_id, parse_instant};

/// The fields of a review file.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "review_id",
        columns: &[
            "评价ID",
            "评价id",
            "评论ID",
            "评论id",
            "review_id",
            "Review ID",
        ],
        required: false,
    },
    FieldSpec {
        name: "order_no",
        columns: &[
            "订单编号",
            "订单号",
            "主订单编号",
            "子订单编号",
            "order_no",
            "Order",
        ],
        required: false,
    },
    FieldSpec {
        name: "product",
        columns: &[
            "宝贝名称",
            "宝贝标题",
            "商品名称",
            "商品标题",
            "商品",
            "product",
            "Product",
        ],
        required: false,
    },
    FieldSpec {
        name: "buyer",
        columns: &[
            "买家昵称",
            "买家会员名",
            "买家",
            "会员名",
            "buyer",
            "Customer",
        ],
        required: false,
    },
    FieldSpec {
        name: "rating",
        columns: &[
            "评价结果",
            "评价等级",
            "评价类型",
            "评分",
            "星级",
            "rating",
            "Rating",
            "stars",
        ],
        required: true,
    },
    FieldSpec {
        name: "text",
        columns: &[
            "评价内容",
            "评论内容",
            "初评内容",
            "内容",
            "text",
            "Review",
            "Body",
        ],
        required: true,
    },
    FieldSpec {
        name: "reviewed_at",
        columns: &[
            "评价时间",
            "评论时间",
            "初评时间",
            "时间",
            "reviewed_at",
            "Date",
            "Created at",
        ],
        required: true,
    },
    FieldSpec {
        name: "reply",
        columns: &["商家回复", "卖家回复", "解释", "回复内容", "reply", "Reply"],
        required: false,
    },
];

/// What reading a review file gave.
#[derive(Debug, Default)]
pub struct ReadReviews {
    pub reviews: Vec<ReviewRecord>,
    pub rejected: Vec<RejectedRow>,
}

/// Reads a review file; `tz` is the shop's time zone.
pub fn read_reviews(
    path: &Path,
    tz: Tz,
    overrides: &[(String, String)],
) -> Result<ReadReviews, SideError> {
    let (reviews, rejected) = read_rows(path, FIELDS, overrides, |c, r| review_of(c, r, tz))?;
    Ok(ReadReviews { reviews, rejected })
}

fn review_of(cols: &Columns, row: &Row, tz: Tz) -> Result<ReviewRecord, String> {
    let rating_cell = cols.get(row, "rating").ok_or("no rating")?;
    let (rating, stars) = parse_rating(rating_cell)?;
    let reviewed_at =
        parse_instant(cols.get(row, "reviewed_at").unwrap_or(""), tz)?.ok_or("no review time")?;
    let body = cols.get(row, "text").unwrap_or("").to_owned();
    let order_no = match cols.get(row, "order_no") {
        Some(raw) => parse_id(raw)?,
        None => None,
    };
    let product = cols.get(row, "product").map(str::to_owned);
    let review_id = match cols.get(row, "review_id") {
        Some(id) => id.to_owned(),
        None => derived_id(&[
            order_no.as_deref().unwrap_or(""),
            product.as_deref().unwrap_or(""),
            &reviewed_at.to_string(),
            &body,
        ]),
    };
    Ok(ReviewRecord {
        review_id,
        order_no,
        product,
        buyer: cols.get(row, "buyer").map(str::to_owned),
        rating: rating.to_owned(),
        first_rating: rating.to_owned(),
        stars,
        body,
        reviewed_at,
        shop_reply: cols.get(row, "reply").map(str::to_owned),
    })
}

/// A rating word or star count as good / medium / bad, with the stars when given.
pub fn parse_rating(raw: &str) -> Result<(&'static str, Option<i32>), String> {
    let s = raw.trim();
    let word = match s.to_lowercase().as_str() {
        "好评" | "good" | "positive" => Some("good"),
        "中评" | "neutral" | "medium" => Some("medium"),
        "差评" | "bad" | "negative" => Some("bad"),
        _ => None,
    };
    if let Some(w) = word {
        return Ok((w, None));
    }
    let filled = s.chars().filter(|c| *c == '★').count();
    let stars = if filled > 0 {
        Some(filled as i32)
    } else {
        s.trim_end_matches(['星', '分'])
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| (1.0..=5.0).contains(v))
            .map(|v| v.round() as i32)
    };
    match stars {
        Some(n @ 4..=5) => Ok(("good", Some(n))),
        Some(3) => Ok(("medium", Some(3))),
        Some(n @ 1..=2) => Ok(("bad", Some(n))),
        _ => Err(format!(
            "`{s}` is not a rating; expected 好评/中评/差评, good/neutral/bad or 1-5 stars"
        )),
    }
}

/// A stable id from a review's parts (FNV-1a, 64 bits).
fn derived_id(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0x1f]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("R{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_read_from_words_and_stars() {
        assert_eq!(parse_rating("差评").unwrap(), ("bad", None));
        assert_eq!(parse_rating("中评").unwrap(), ("medium", None));
        assert_eq!(parse_rating("Good").unwrap(), ("good", None));
        assert_eq!(parse_rating("1").unwrap(), ("bad", Some(1)));
        assert_eq!(parse_rating("5").unwrap(), ("good", Some(5)));
        assert_eq!(parse_rating("3星").unwrap(), ("medium", Some(3)));
        assert_eq!(parse_rating("★★☆☆☆").unwrap(), ("bad", Some(2)));
        assert!(parse_rating("很好").is_err());
        assert!(parse_rating("7").is_err());
    }
}
