//! Platform bills and fee statements: 支付宝账务明细 (Taobao/Tmall), JD 结算单, 拼多多货款明细,
//! 抖店结算账单, Shopify payouts and payment transactions. One row per bill line: when it was
//! booked, its amount (one signed column, or money in and money out in two), what it is
//! (业务类型, 费用类型, 备注) and the order it names.
//!
//! What a line is comes from its type and note by keyword ([`kind_of`]); which order it
//! names from its order column, where Alipay writes `T200P<订单号>`, or else an order number
//! written in its note. Lines a bill prints as comments (`#支付宝账务明细查询`, `#---结束---`)
//! are skipped. The exact columns of the JD, PDD and Douyin statements are not published:
//! the spellings below are those of the statements' public descriptions, and `--map`
//! names any other.

use std::collections::HashMap;
use std::path::Path;

use zhanggui_domain::OrderNo;
use zhanggui_storage::{BillKind, BillLine};

use super::{open, Columns, FieldSpec, RejectedRow, SideError};
use crate::read::Row;
use crate::values::{non_empty, parse_id, parse_local_datetime, parse_money};

/// The fields of a bill.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "line_id",
        columns: &[
            "账务流水号",
            "流水号",
            "账单流水号",
            "明细流水号",
            "动账流水号",
            "Transaction ID",
            "line_id",
        ],
        required: false,
    },
    FieldSpec {
        name: "order_no",
        columns: &[
            "商户订单号",
            "订单号",
            "订单编号",
            "关联订单号",
            "子订单号",
            "Order",
            "Order Name",
            "order_no",
        ],
        required: false,
    },
    FieldSpec {
        name: "kind",
        columns: &[
            "业务类型",
            "费用类型",
            "费用项",
            "账单类型",
            "动账类型",
            "收支类型",
            "Type",
            "kind",
        ],
        required: false,
    },
    FieldSpec {
        name: "note",
        columns: &[
            "备注",
            "费用说明",
            "说明",
            "商品名称",
            "Description",
            "note",
        ],
        required: false,
    },
    FieldSpec {
        name: "amount",
        columns: &[
            "金额",
            "金额（元）",
            "金额(元)",
            "动账金额",
            "结算金额",
            "发生金额",
            "Net",
            "Amount",
            "amount",
        ],
        required: false,
    },
    FieldSpec {
        name: "income",
        columns: &[
            "收入金额（+元）",
            "收入金额(+元)",
            "收入金额",
            "收入",
            "income",
        ],
        required: false,
    },
    FieldSpec {
        name: "expense",
        columns: &[
            "支出金额（-元）",
            "支出金额(-元)",
            "支出金额",
            "支出",
            "expense",
        ],
        required: false,
    },
    FieldSpec {
        name: "occurred_at",
        columns: &[
            "发生时间",
            "入账时间",
            "结算时间",
            "动账时间",
            "账单时间",
            "时间",
            "Date",
            "Transaction Date",
            "occurred_at",
        ],
        required: true,
    },
];

/// What reading a bill gave.
#[derive(Debug, Default)]
pub struct ReadBill {
    pub lines: Vec<BillLine>,
    pub rejected: Vec<RejectedRow>,
}

/// What a bill line is, from its type and note. Affiliate commission before commission
/// (淘宝客佣金 is both), refunds before sales (交易退款 names 交易).
pub fn kind_of(text: &str, amount: i64) -> BillKind {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let lower = text.to_lowercase();
    let has_en = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["淘宝客", "淘客", "联盟", "推广佣金", "达人佣金"]) || has_en(&["affiliate"])
    {
        BillKind::Affiliate
    } else if has(&["运费险", "退货险", "保险"]) {
        BillKind::ShippingInsurance
    } else if has(&["提现", "转账", "充值", "保证金"]) || has_en(&["payout", "transfer"]) {
        BillKind::Transfer
    } else if has(&["佣金", "技术服务费", "软件服务费", "平台服务费", "扣点"])
        || has_en(&["commission", "platform fee"])
    {
        BillKind::Commission
    } else if has(&["手续费", "花呗", "信用卡", "支付服务费", "分期"])
        || has_en(&["processing fee", " fee", "fee"])
    {
        BillKind::Payment
    } else if has(&["扣款", "罚", "违约", "赔付", "赔偿", "补偿"]) || has_en(&["adjustment"])
    {
        BillKind::Deduction
    } else if has(&["退款"]) || has_en(&["refund"]) {
        BillKind::Refund
    } else if (has(&["交易", "货款", "在线支付", "收款", "结算"]) || has_en(&["charge", "sale"]))
        && amount >= 0
    {
        BillKind::Sales
    } else {
        BillKind::Other
    }
}

/// The order a bill line names: Alipay's `T200P<订单号>` form gives the number after the
/// `P`; an order column's other values are taken as they are; without one, a run of at
/// least twelve digits after 订单 in the note.
pub fn order_of(order_cell: Option<&str>, note: Option<&str>) -> Option<String> {
    if let Some(cell) = order_cell {
        if let Some(rest) = cell.strip_prefix('T') {
            if let Some((head, number)) = rest.split_once('P') {
                if head.chars().all(|c| c.is_ascii_digit())
                    && !number.is_empty()
                    && number.chars().all(|c| c.is_ascii_digit())
                {
                    return Some(number.to_owned());
                }
            }
        }
        return Some(cell.to_owned());
    }
    let note = note?;
    let at = note.find("订单")?;
    let digits: String = note[at..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (digits.len() >= 12).then_some(digits)
}

/// Reads a bill; `exponent` is the shop currency's decimal places.
pub fn read_bill(
    path: &Path,
    exponent: u32,
    overrides: &[(String, String)],
) -> Result<ReadBill, SideError> {
    let mut table = open(path, FIELDS, overrides)?;
    let cols = Columns::find(path, &table.header, FIELDS, overrides)?;
    if ["amount", "income", "expense"].iter().all(|f| !cols.has(f)) {
        return Err(SideError::MissingColumn {
            path: path.display().to_string(),
            field: "amount",
            looked: FIELDS
                .iter()
                .filter(|f| ["amount", "income", "expense"].contains(&f.name))
                .flat_map(|f| f.columns.iter().copied())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let mut read = ReadBill::default();
    // Lines without a number of their own are keyed by their content and its repeats.
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let mut row = Row::new();
    while let Some(number) = table.next_row(&mut row)? {
        if row.get(0).is_some_and(|c| c.trim_start().starts_with('#')) {
            continue;
        }
        match line_of(&cols, &row, exponent, &mut seen) {
            Ok(line) => read.lines.push(line),
            Err(reason) => read.rejected.push(RejectedRow {
                row: number,
                reason,
            }),
        }
    }
    Ok(read)
}

fn money(cols: &Columns, row: &Row, field: &str, exponent: u32) -> Result<Option<i64>, String> {
    match cols.get(row, field) {
        Some(raw) => parse_money(raw, exponent).map_err(|e| format!("{field}: {e}")),
        None => Ok(None),
    }
}

fn line_of(
    cols: &Columns,
    row: &Row,
    exponent: u32,
    seen: &mut HashMap<u64, u32>,
) -> Result<BillLine, String> {
    let occurred_at = parse_local_datetime(cols.get(row, "occurred_at").unwrap_or(""))
        .map_err(|e| format!("time: {e}"))?
        .ok_or("no time")?;
    let amount = match money(cols, row, "amount", exponent)? {
        Some(a) => a,
        None => {
            let income = money(cols, row, "income", exponent)?;
            let expense = money(cols, row, "expense", exponent)?;
            if income.is_none() && expense.is_none() {
                return Err("no amount".into());
            }
            // Money out is printed either as a positive number in its own column or
            // already negative.
            income.unwrap_or(0) - expense.unwrap_or(0).abs()
        }
    };
    let business_type = cols.get(row, "kind").map(str::to_owned);
    let note = cols.get(row, "note").map(str::to_owned);
    let text = format!(
        "{} {}",
        business_type.as_deref().unwrap_or(""),
        note.as_deref().unwrap_or("")
    );
    let kind = kind_of(&text, amount);
    let order_cell = match cols.get(row, "order_no") {
        Some(raw) => parse_id(raw).map_err(|e| format!("order: {e}"))?,
        None => None,
    };
    let order_no = order_of(order_cell.as_deref(), note.as_deref())
        .map(|o| OrderNo::from_string(o).map_err(|e| format!("the order number {e}")))
        .transpose()?;
    let line_key = match cols.get(row, "line_id").and_then(non_empty) {
        Some(id) => id.to_owned(),
        None => {
            let content: Vec<&str> = row.iter().map(str::trim).collect();
            let hash = content_hash(&content.join("\u{1f}"));
            let repeat = seen.entry(hash).or_insert(0);
            *repeat += 1;
            format!("row:{hash:016x}:{repeat}")
        }
    };
    Ok(BillLine {
        line_key,
        order_no,
        kind,
        amount,
        occurred_at,
        business_type,
        note,
    })
}

/// FNV-1a over the line's text: the same line gives the same key in every run.
fn content_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bill_lines_are_told_apart_by_their_words() {
        let cases = [
            ("在线支付 交易付款", 10_000, BillKind::Sales),
            ("交易退款", -2_000, BillKind::Refund),
            (
                "服务费 基础软件服务费(技术服务费)",
                -300,
                BillKind::Commission,
            ),
            ("服务费 淘宝客佣金代扣款", -500, BillKind::Affiliate),
            ("服务费 花呗支付服务费", -60, BillKind::Payment),
            ("保险 运费险", -90, BillKind::ShippingInsurance),
            ("提现", -100_000, BillKind::Transfer),
            ("扣款 延迟发货违约金", -500, BillKind::Deduction),
            ("Charge", 2_500, BillKind::Sales),
            ("Refund", -2_500, BillKind::Refund),
            ("Fee", -75, BillKind::Payment),
            ("其他", -1, BillKind::Other),
        ];
        for (text, amount, kind) in cases {
            assert_eq!(kind_of(text, amount), kind, "{text}");
        }
    }

    #[test]
    fn the_order_is_found_in_alipays_forms_and_in_notes() {
        assert_eq!(
            order_of(Some("T200P3941227722290529087"), None).as_deref(),
            Some("3941227722290529087")
        );
        assert_eq!(order_of(Some("#1001"), None).as_deref(), Some("#1001"));
        assert_eq!(
            order_of(None, Some("淘宝客佣金代扣款{订单号:3941227722290529087}")).as_deref(),
            Some("3941227722290529087")
        );
        assert_eq!(order_of(None, Some("提现 123")), None);
    }
}
