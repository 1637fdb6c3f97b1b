//! The Taobao shop's customer-service files: a review export (评价, GBK) and a logistics
//! tracking export (物流跟踪). Both draw from a random stream of their own, so adding them
//! left the orders, products and planted problems exactly as they were.
//!
//! About one finished order in five is reviewed, 4 to 12 days after it was placed. Most
//! reviews are good; bad ones are about 3% before the planted refund spike and five times
//! as common after it (the same goods come back and get complained about). Parcels shipped
//! in the last ten days have their tracking events; about one in twenty-five stops moving
//! after reaching a sorting centre.

use std::path::Path;

use chrono::{Duration, NaiveDateTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::write::{wrapped, CsvOut};
use crate::DemoError;

const GOODS_GOOD: &[&str] = &[
    "质量很好，穿着很舒服",
    "做工不错，面料摸着很软",
    "和图片一样，没有色差",
    "尺码标准，穿着合身",
    "性价比很高，值这个价",
    "宝贝很满意，已经回购了",
];
const GOODS_BAD: &[&str] = &[
    "质量太差了，洗一次就起球",
    "有色差，和图片不一样",
    "尺码偏小，根本穿不上",
    "做工粗糙，线头很多",
    "面料有异味，很不满意",
    "东西一点也不好，和描述不符",
];
const SERVICE_GOOD: &[&str] = &["客服态度很好，回复很快", "卖家很耐心，推荐的尺码很准"];
const SERVICE_BAD: &[&str] = &["客服态度很差，问了半天不回复", "退货处理太慢，售后不负责"];
const LOGISTICS_GOOD: &[&str] = &["物流很快，第二天就到了", "包装很好，发货也快"];
const LOGISTICS_BAD: &[&str] = &["快递太慢了，等了一个星期", "包装破损，东西压坏了"];

/// The review export being written.
pub struct Reviews {
    out: CsvOut,
    rng: ChaCha8Rng,
}

/// An order as the desk files need it.
pub struct Finished<'a> {
    pub order_no: u64,
    pub buyer: &'a str,
    pub title: &'a str,
    pub created: NaiveDateTime,
    pub paid: Option<NaiveDateTime>,
    pub carrier: &'a str,
    pub tracking_no: &'a str,
    pub city: &'a str,
}

impl Reviews {
    pub fn create(out_dir: &Path, stamp: &str, seed: u64) -> Result<Reviews, DemoError> {
        let mut out = CsvOut::create(&out_dir.join(format!("评价管理{stamp}.csv")), true, None)?;
        out.row(&[
            "评价时间",
            "订单编号",
            "宝贝名称",
            "买家昵称",
            "评价结果",
            "评价内容",
            "商家回复",
        ])?;
        Ok(Reviews {
            out,
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x7265_7669_6577),
        })
    }

    /// Maybe a review of a finished order; `spike` is whether the refund spike is on and
    /// `end` the last moment of the data.
    pub fn order(
        &mut self,
        o: &Finished<'_>,
        spike: bool,
        end: NaiveDateTime,
    ) -> Result<(), DemoError> {
        let rng = &mut self.rng;
        if rng.random::<f64>() >= 0.2 {
            return Ok(());
        }
        let at = o.created
            + Duration::days(rng.random_range(4..13))
            + Duration::minutes(rng.random_range(0..600));
        if at > end {
            return Ok(());
        }
        let bad_share = if spike { 0.15 } else { 0.03 };
        let roll: f64 = rng.random();
        let (rating, text) = if roll < bad_share {
            let mut parts = vec![pick(rng, GOODS_BAD)];
            match rng.random_range(0..4) {
                0 => parts.push(pick(rng, SERVICE_BAD)),
                1 => parts[0] = pick(rng, LOGISTICS_BAD),
                _ => {}
            }
            ("差评", parts.join("，"))
        } else if roll < bad_share + 0.04 {
            let text = match rng.random_range(0..3) {
                0 => format!(
                    "{}，但是{}",
                    pick(rng, GOODS_GOOD),
                    pick(rng, LOGISTICS_BAD)
                ),
                1 => format!(
                    "{}，就是{}",
                    pick(rng, LOGISTICS_GOOD),
                    pick(rng, GOODS_BAD)
                ),
                _ => format!("{}，不过{}", pick(rng, GOODS_GOOD), pick(rng, SERVICE_BAD)),
            };
            ("中评", text)
        } else {
            let mut parts = vec![pick(rng, GOODS_GOOD)];
            if rng.random::<f64>() < 0.4 {
                parts.push(pick(rng, LOGISTICS_GOOD));
            }
            if rng.random::<f64>() < 0.2 {
                parts.push(pick(rng, SERVICE_GOOD));
            }
            ("好评", parts.join("，"))
        };
        self.out.row(&[
            at.format("%Y-%m-%d %H:%M:%S").to_string(),
            wrapped(o.order_no),
            o.title.to_owned(),
            o.buyer.to_owned(),
            rating.to_owned(),
            text,
            String::new(),
        ])
    }

    pub fn finish(self) -> Result<std::path::PathBuf, DemoError> {
        self.out.finish()
    }
}

fn pick<'a>(rng: &mut ChaCha8Rng, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len())]
}

/// The tracking export being written.
pub struct Tracking {
    out: CsvOut,
    rng: ChaCha8Rng,
}

impl Tracking {
    pub fn create(out_dir: &Path, stamp: &str, seed: u64) -> Result<Tracking, DemoError> {
        let mut out = CsvOut::create(&out_dir.join(format!("物流跟踪{stamp}.csv")), false, None)?;
        out.row(&["订单编号", "运单号", "物流公司", "时间", "物流信息"])?;
        Ok(Tracking {
            out,
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x74_7261_636b),
        })
    }

    /// The events of a shipped order, up to `end`.
    pub fn order(&mut self, o: &Finished<'_>, end: NaiveDateTime) -> Result<(), DemoError> {
        let Some(paid) = o.paid else {
            return Ok(());
        };
        let rng = &mut self.rng;
        let stalls = rng.random::<f64>() < 0.04;
        let city = o.city.split(' ').next().unwrap_or(o.city);
        let steps = [
            (rng.random_range(4..20), "【杭州市】快递员已揽收".to_owned()),
            (
                rng.random_range(6..16),
                "运输中，已到达【杭州转运中心】".to_owned(),
            ),
            (
                rng.random_range(12..30),
                format!("运输中，已到达【{city}转运中心】"),
            ),
            (
                rng.random_range(6..14),
                format!("【{city}】派送中，快递员正在为您派件"),
            ),
            (rng.random_range(1..6), "已签收，签收人：本人".to_owned()),
        ];
        let mut at = paid;
        for (k, (hours, status)) in steps.into_iter().enumerate() {
            if stalls && k == 3 {
                break;
            }
            at += Duration::hours(hours) + Duration::minutes(rng.random_range(0..60));
            if at > end {
                break;
            }
            self.out.row(&[
                wrapped(o.order_no),
                o.tracking_no.to_owned(),
                o.carrier.to_owned(),
                at.format("%Y-%m-%d %H:%M:%S").to_string(),
                status,
            ])?;
        }
        Ok(())
    }

    pub fn finish(self) -> Result<std::path::PathBuf, DemoError> {
        self.out.finish()
    }
}
