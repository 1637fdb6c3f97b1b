//! Ad reports (推广报表): per day × plan (and unit, keyword, creative or product where the
//! report breaks it down): impressions, clicks, spend, attributed orders and sales (direct
//! and in all), add-to-cart and favourites, under the attribution window the report states.
//!
//! The tool is told from the header (see docs/formats.md, "Ad reports"), from a tool
//! column, or named with `--tool`; tools whose reports share their columns with a sibling
//! (万相台 and 引力魔方 with 直通车, 多多场景 with 多多搜索) are named with `--tool`. Rows of
//! one key add up when they are saved (a report broken down finer than the key); rates and
//! ROI columns are not read, they are computed from the counts.

use std::path::Path;

use rust_decimal::prelude::ToPrimitive;
use zhanggui_storage::AdRow;

use super::{open, Columns, FieldSpec, RejectedRow, SideError};
use crate::read::{Header, Row};
use crate::values::{parse_count, parse_date, parse_decimal, parse_money};

const SPEND_COLUMNS: &[&str] = &[
    "花费",
    "总花费",
    "消耗",
    "整体消耗",
    "花费(元)",
    "花费（元）",
    "消耗(元)",
    "Cost",
    "Spend",
    "Amount spent (CNY)",
    "Amount spent (USD)",
    "Amount spent (EUR)",
    "Amount spent (GBP)",
    "Amount spent (HKD)",
    "Amount spent",
    "spend",
];

/// The fields of an ad report.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "day",
        columns: &[
            "日期",
            "时间",
            "投放日期",
            "Day",
            "Date",
            "Reporting starts",
            "day",
        ],
        required: true,
    },
    FieldSpec {
        name: "campaign",
        columns: &[
            "计划名称",
            "推广计划",
            "推广计划名称",
            "计划",
            "Campaign",
            "Campaign name",
            "campaign",
        ],
        required: true,
    },
    FieldSpec {
        name: "spend",
        columns: SPEND_COLUMNS,
        required: true,
    },
    FieldSpec {
        name: "tool",
        columns: &["推广工具", "工具", "产品线", "Tool", "tool"],
        required: false,
    },
    FieldSpec {
        name: "unit",
        columns: &[
            "推广单元",
            "单元名称",
            "推广单元名称",
            "单元",
            "Ad group",
            "Ad set name",
            "unit",
        ],
        required: false,
    },
    FieldSpec {
        name: "keyword",
        columns: &["关键词", "关键字", "Keyword", "Search keyword", "keyword"],
        required: false,
    },
    FieldSpec {
        name: "creative",
        columns: &[
            "创意名称",
            "创意",
            "素材名称",
            "创意标题",
            "Ad",
            "Ad name",
            "creative",
        ],
        required: false,
    },
    FieldSpec {
        name: "product_code",
        // The merchant code first: it is what the order exports' lines carry, so a plan's
        // spend can follow its product (and the product report keys by it too).
        columns: &[
            "商家编码",
            "商品ID",
            "宝贝ID",
            "商品id",
            "商品编号",
            "SKU",
            "Item ID",
            "product_code",
        ],
        required: false,
    },
    FieldSpec {
        name: "attribution",
        columns: &[
            "归因窗口",
            "转化周期",
            "效果转化周期",
            "归因周期",
            "Attribution setting",
            "attribution",
        ],
        required: false,
    },
    FieldSpec {
        name: "impressions",
        columns: &[
            "展现量",
            "展现数",
            "曝光量",
            "展示次数",
            "展示数",
            "Impr.",
            "Impressions",
            "impressions",
        ],
        required: false,
    },
    FieldSpec {
        name: "clicks",
        columns: &[
            "点击量",
            "点击数",
            "点击次数",
            "Clicks",
            "Link clicks",
            "clicks",
        ],
        required: false,
    },
    FieldSpec {
        name: "orders",
        columns: &[
            "总成交笔数",
            "总订单行",
            "总成交订单数",
            "成交笔数",
            "成交订单数",
            "成交订单量",
            "Conversions",
            "Purchases",
            "orders",
        ],
        required: false,
    },
    FieldSpec {
        name: "sales",
        columns: &[
            "总成交金额",
            "总订单金额",
            "成交金额",
            "整体成交金额",
            "交易额",
            "成交订单金额",
            "Conv. value",
            "Conversion value",
            "Purchases conversion value",
            "sales",
        ],
        required: false,
    },
    FieldSpec {
        name: "direct_orders",
        columns: &[
            "直接成交笔数",
            "直接订单行",
            "直接成交订单数",
            "direct_orders",
        ],
        required: false,
    },
    FieldSpec {
        name: "direct_sales",
        columns: &["直接成交金额", "直接订单金额", "direct_sales"],
        required: false,
    },
    FieldSpec {
        name: "indirect_orders",
        columns: &["间接成交笔数", "间接订单行", "indirect_orders"],
        required: false,
    },
    FieldSpec {
        name: "indirect_sales",
        columns: &["间接成交金额", "间接订单金额", "indirect_sales"],
        required: false,
    },
    FieldSpec {
        name: "add_to_cart",
        columns: &[
            "总购物车数",
            "总加购数",
            "加购数",
            "添加购物车量",
            "加购量",
            "Adds to cart",
            "add_to_cart",
        ],
        required: false,
    },
    FieldSpec {
        name: "favourites",
        columns: &[
            "总收藏数",
            "收藏宝贝数",
            "宝贝收藏数",
            "收藏数",
            "收藏量",
            "favourites",
        ],
        required: false,
    },
];

/// The tool a report's header names, when its columns tell.
pub fn tool_from_header(h: &Header) -> Option<&'static str> {
    let has = |n: &str| h.index_of(n).is_some();
    if has("Impr.") || has("Conv. value") {
        Some("Google Ads")
    } else if has("Reporting starts") || h.names.iter().any(|n| n.starts_with("Amount spent")) {
        Some("Meta Ads")
    } else if has("直接订单金额") || has("总订单行") {
        Some("京东快车")
    } else if has("曝光量") || has("交易额") {
        Some("多多搜索")
    } else if has("整体消耗") || has("展示次数") {
        Some("巨量千川")
    } else if has("直接成交金额") || has("展现量") {
        Some("直通车")
    } else {
        None
    }
}

/// Whether a header is an ad report's: a day, a plan, spend and a count of impressions or
/// clicks.
pub fn fits(h: &Header) -> bool {
    let has = |name: &str| {
        FIELDS
            .iter()
            .find(|s| s.name == name)
            .is_some_and(|s| h.find(s.columns).is_some())
    };
    has("day") && has("campaign") && has("spend") && (has("impressions") || has("clicks"))
}

/// What reading an ad report gave.
#[derive(Debug, Default)]
pub struct ReadAdReport {
    /// The tool the header told, or the one given.
    pub tool: Option<String>,
    pub rows: Vec<AdRow>,
    /// Rows of the file read.
    pub read: u64,
    pub rejected: Vec<RejectedRow>,
}

/// Why an ad report cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum AdReportError {
    #[error(transparent)]
    Side(#[from] SideError),
    #[error(
        "{0}: which tool's report this is cannot be told from its columns; name it with \
         --tool (直通车, 万相台, 引力魔方, 淘宝客, 京东快车, 多多搜索, 多多场景, 巨量千川, \
         Google Ads, Meta Ads, ...)"
    )]
    UnknownTool(String),
}

/// Reads an ad report; `exponent` is the shop currency's decimal places; `tool` and
/// `attribution` name what the file does not say.
pub fn read_ad_report(
    path: &Path,
    exponent: u32,
    tool: Option<&str>,
    attribution: Option<&str>,
    overrides: &[(String, String)],
) -> Result<ReadAdReport, AdReportError> {
    let mut rows = Vec::new();
    let mut read = read_in_batches(path, exponent, tool, attribution, overrides, &mut |b| {
        rows.extend(b);
        true
    })?;
    read.rows = rows;
    Ok(read)
}

/// Rows handed on at a time by `read_in_batches`.
const BATCH: usize = 8_192;

/// Reads an ad report, handing its rows to `batch` a few thousand at a time (the returned
/// report's `rows` stay empty); `batch` returns false to stop reading.
pub fn read_in_batches(
    path: &Path,
    exponent: u32,
    tool: Option<&str>,
    attribution: Option<&str>,
    overrides: &[(String, String)],
    batch: &mut dyn FnMut(Vec<AdRow>) -> bool,
) -> Result<ReadAdReport, AdReportError> {
    let mut table = open(path, FIELDS, overrides)?;
    let cols = Columns::find(path, &table.header, FIELDS, overrides)?;
    let tool = tool
        .map(str::to_owned)
        .or_else(|| tool_from_header(&table.header).map(str::to_owned));
    if tool.is_none() && !cols.has("tool") {
        return Err(AdReportError::UnknownTool(path.display().to_string()));
    }
    let mut rows = Vec::with_capacity(BATCH);
    let mut rejected = Vec::new();
    let mut read = 0;
    let mut row = Row::new();
    while let Some(number) = table.next_row(&mut row).map_err(SideError::from)? {
        read += 1;
        match row_of(&cols, &row, exponent, tool.as_deref(), attribution) {
            Ok(r) => rows.push(r),
            Err(reason) => rejected.push(RejectedRow {
                row: number,
                reason,
            }),
        }
        if rows.len() == BATCH && !batch(std::mem::replace(&mut rows, Vec::with_capacity(BATCH))) {
            break;
        }
    }
    if !rows.is_empty() {
        batch(rows);
    }
    Ok(ReadAdReport {
        tool,
        rows: Vec::new(),
        read,
        rejected,
    })
}

fn row_of(
    cols: &Columns,
    row: &Row,
    exponent: u32,
    tool: Option<&str>,
    attribution: Option<&str>,
) -> Result<AdRow, String> {
    let text = |f: &str| cols.get(row, f).map(str::to_owned);
    let count = |f: &str| {
        cols.get(row, f)
            .map(|v| parse_count(v).map_err(|e| format!("{f}: {e}")))
            .transpose()
            .map(Option::flatten)
    };
    let money = |f: &str| {
        cols.get(row, f)
            .map(|v| parse_money(v, exponent).map_err(|e| format!("{f}: {e}")))
            .transpose()
            .map(Option::flatten)
    };
    let number = |f: &str| -> Result<Option<f64>, String> {
        let Some(v) = cols.get(row, f) else {
            return Ok(None);
        };
        let d = parse_decimal(v).map_err(|e| format!("{f}: {e}"))?;
        Ok(d.and_then(|d| d.to_f64()))
    };
    let day = parse_date(cols.get(row, "day").ok_or("no day")?)
        .map_err(|e| format!("day: {e}"))?
        .ok_or("no day")?;
    let campaign = text("campaign").ok_or("no plan (campaign) name")?;
    let spend = money("spend")?.ok_or("no spend")?;
    if spend < 0 {
        return Err("the spend is negative".into());
    }
    let tool = text("tool")
        .or_else(|| tool.map(str::to_owned))
        .ok_or("no tool")?;
    let direct_orders = number("direct_orders")?;
    let direct_sales = money("direct_sales")?;
    // Without a total, orders in all are the direct and indirect ones together.
    let orders = match number("orders")? {
        Some(o) => Some(o),
        None => match (direct_orders, number("indirect_orders")?) {
            (Some(d), Some(i)) => Some(d + i),
            (d, None) => d,
            (None, i) => i,
        },
    };
    let sales = match money("sales")? {
        Some(s) => Some(s),
        None => match (direct_sales, money("indirect_sales")?) {
            (Some(d), Some(i)) => Some(d + i),
            (d, None) => d,
            (None, i) => i,
        },
    };
    for (what, v) in [("orders", orders), ("direct orders", direct_orders)] {
        if v.is_some_and(|v| v < 0.0) {
            return Err(format!("{what} are negative"));
        }
    }
    Ok(AdRow {
        tool,
        day,
        campaign,
        unit: text("unit"),
        keyword: text("keyword"),
        creative: text("creative"),
        product_code: text("product_code"),
        attribution: text("attribution").or_else(|| attribution.map(str::to_owned)),
        impressions: count("impressions")?,
        clicks: count("clicks")?,
        spend,
        orders,
        sales,
        direct_orders,
        direct_sales,
        add_to_cart: count("add_to_cart")?,
        favourites: count("favourites")?,
    })
}

/// What importing an ad report did.
#[derive(Debug)]
pub struct AdImport {
    pub tool: Option<String>,
    pub read: u64,
    /// Distinct keys saved (rows of one key in the file add up to one).
    pub rows: u64,
    pub saved: zhanggui_storage::CostsSaved,
    pub rejected: Vec<RejectedRow>,
}

/// Why an ad report could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum AdImportError {
    #[error(transparent)]
    Read(#[from] AdReportError),
    #[error(transparent)]
    Store(#[from] zhanggui_storage::StoreError),
}

/// Reads an ad report and saves its rows into the shop, by key: importing it twice
/// changes nothing. The file is read on a thread of its own while the rows read so far are
/// staged; a file that cannot be read saves nothing.
pub fn import_ad_report(
    store: &dyn zhanggui_storage::AdStore,
    shop: &zhanggui_domain::Shop,
    path: &Path,
    tool: Option<&str>,
    attribution: Option<&str>,
    overrides: &[(String, String)],
) -> Result<AdImport, AdImportError> {
    use zhanggui_storage::StoreError;
    let exponent = shop.currency.exponent();
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<AdRow>, StoreError>>(4);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let result = read_in_batches(path, exponent, tool, attribution, overrides, &mut |b| {
                sender.send(Ok(b)).is_ok()
            });
            if result.is_err() {
                // Stops the save: nothing of a file that cannot be read is kept.
                let _ = sender.send(Err(StoreError::Corrupt(format!(
                    "{} could not be read to its end",
                    path.display()
                ))));
            }
            result
        });
        let saved = store.save_ad_batches(shop, &mut receiver.iter());
        // Unblocks the reader if the save stopped first.
        drop(receiver);
        let read = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        let saved = saved?;
        Ok(AdImport {
            tool: read.tool,
            read: read.read,
            rows: saved.inserted + saved.updated + saved.unchanged,
            saved,
            rejected: read.rejected,
        })
    })
}
