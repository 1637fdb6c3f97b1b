//! The Taobao shop's Alipay bill (支付宝账务明细, GBK, comment lines around the table): for
//! every order the buyer confirmed (交易成功), a receipt of what the buyer paid less what
//! was refunded, booked a week after payment, and the fees Tmall takes of it: 基础软件服务费
//! (技术服务费) at 5% (Tmall's runs from about 2% to 5% by category), 花呗
//! 支付服务费 at 0.8% for the orders paid with 花呗, and 淘宝客佣金 at 10% for the orders an
//! affiliate brought. One confirmed order is left out of the bill, planted for the
//! reconciliation to find.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDateTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::write::{amount, CsvOut};
use crate::DemoError;

const COMMISSION_RATE: f64 = 0.05;
const HUABEI_RATE: f64 = 0.008;
const AFFILIATE_RATE: f64 = 0.10;

/// The bill being written, and the order it leaves out.
pub struct Bill {
    csv: CsvOut,
    /// Its own stream, so that the bill leaves the orders as they were.
    rng: ChaCha8Rng,
    next_line: u64,
    /// Orders settled on or after this day index are candidates for the planted gap.
    plant_from: u32,
    pub planted: Option<String>,
}

impl Bill {
    pub fn create(out: &Path, seed: u64, plant_from: u32) -> Result<Bill, DemoError> {
        let mut csv = CsvOut::create(&out.join("支付宝账务明细.csv"), true, None)?;
        csv.row(&["#支付宝账务明细查询"])?;
        csv.row(&["#账号:[20880000000000000156]"])?;
        csv.row(&["#-----------------------------------------账务明细列表----------------------------------------"])?;
        csv.row(&[
            "账务流水号",
            "业务流水号",
            "商户订单号",
            "商品名称",
            "发生时间",
            "对方账号",
            "收入金额（+元）",
            "支出金额（-元）",
            "账户余额（元）",
            "交易渠道",
            "业务类型",
            "备注",
        ])?;
        Ok(Bill {
            csv,
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0xb111),
            next_line: 2024_1101_0000_0000,
            plant_from,
            planted: None,
        })
    }

    /// Books a confirmed order paid at `paid_at` (day index `day`) of which the buyer paid
    /// `paid` and got `refund` back; `title` names its first product.
    pub fn order(
        &mut self,
        order_no: u64,
        day: u32,
        paid_at: NaiveDateTime,
        paid: i64,
        refund: i64,
        title: &str,
    ) -> Result<(), DemoError> {
        if self.planted.is_none() && day >= self.plant_from {
            self.planted = Some(order_no.to_string());
            return Ok(());
        }
        let settled = paid - refund;
        if settled <= 0 {
            return Ok(());
        }
        let at = paid_at + Duration::days(7) + Duration::minutes(self.rng.random_range(0..1440));
        let order = format!("T200P{order_no}");
        self.line(&order, title, at, "买家", settled, "在线支付", "交易收款")?;
        let fee = |rate: f64| (settled as f64 * rate).round() as i64;
        self.line(
            &order,
            "",
            at + Duration::seconds(1),
            "天猫",
            -fee(COMMISSION_RATE),
            "服务费",
            "基础软件服务费(技术服务费)",
        )?;
        if self.rng.random::<f64>() < 0.3 {
            self.line(
                &order,
                "",
                at + Duration::seconds(2),
                "支付宝",
                -fee(HUABEI_RATE),
                "服务费",
                "花呗支付服务费",
            )?;
        }
        if self.rng.random::<f64>() < 0.08 {
            self.line(
                &order,
                "",
                at + Duration::seconds(3),
                "阿里妈妈",
                -fee(AFFILIATE_RATE),
                "服务费",
                "淘宝客佣金代扣款",
            )?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn line(
        &mut self,
        order: &str,
        title: &str,
        at: NaiveDateTime,
        other: &str,
        money: i64,
        business: &str,
        note: &str,
    ) -> Result<(), DemoError> {
        self.next_line += 1;
        let (income, expense) = if money >= 0 {
            (amount(money), String::new())
        } else {
            (String::new(), amount(-money))
        };
        self.csv.row(&[
            self.next_line.to_string(),
            format!("B{}", self.next_line),
            order.to_owned(),
            title.to_owned(),
            at.format("%Y-%m-%d %H:%M:%S").to_string(),
            other.to_owned(),
            income,
            expense,
            String::new(),
            "支付宝".to_owned(),
            business.to_owned(),
            note.to_owned(),
        ])
    }

    pub fn finish(mut self) -> Result<PathBuf, DemoError> {
        self.csv.row(&["#-----------------------------------------账务明细列表结束------------------------------------"])?;
        self.csv.finish()
    }
}
