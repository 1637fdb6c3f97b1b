//! The tables of the pages as sheets: one builder per table, read by the page that shows
//! it and by the export that downloads it, so both hold the same numbers.

use zhanggui_domain::metrics::{MetricDef, METRICS};
use zhanggui_domain::Currency;
use zhanggui_storage::accounts::AuditEntry;
use zhanggui_storage::ImportRecord;
use zhanggui_tables::{Cell, NumberFormat, Sheet};

use super::format::{name, unit_name};
use super::products::ProductList;
use super::traffic::Traffic;
use crate::i18n::Lang;

pub fn products(p: &ProductList, currency: Currency, lang: Lang) -> Sheet {
    let mut header: Vec<String> = vec![lang.t("product").into(), lang.t("title").into()];
    header.extend(p.columns.iter().map(|d| name(lang, d.zh, d.en).to_owned()));
    header.push(format!(
        "{} ({})",
        name(lang, "支付金额", "Sales"),
        lang.t("previous")
    ));
    let mut sheet = Sheet {
        name: lang.t("products").into(),
        header,
        rows: Vec::new(),
    };
    for row in &p.products {
        let mut cells = vec![
            Cell::text(&row.code),
            Cell::text(row.title.clone().unwrap_or_default()),
        ];
        for (d, v) in p.columns.iter().zip(&row.values) {
            cells.push(Cell::number(
                v.value,
                NumberFormat::of_unit(d.unit, currency),
            ));
        }
        cells.push(Cell::number(
            row.paid_amount_before,
            NumberFormat::Money(currency),
        ));
        sheet.rows.push(cells);
    }
    sheet
}

pub fn traffic(t: &Traffic, currency: Currency, lang: Lang) -> Sheet {
    let mut sheet = Sheet {
        name: lang.t("traffic").into(),
        header: vec![
            lang.t("source").to_owned(),
            lang.t("kind").to_owned(),
            name(lang, "访客数", "Visitors").to_owned(),
            lang.t("share").to_owned(),
            format!(
                "{} ({})",
                name(lang, "访客数", "Visitors"),
                lang.t("previous")
            ),
            name(lang, "支付转化率", "Conversion").to_owned(),
            format!(
                "{} ({})",
                name(lang, "支付转化率", "Conversion"),
                lang.t("previous")
            ),
            name(lang, "UV价值", "UV value").to_owned(),
            name(lang, "支付金额", "Sales").to_owned(),
        ],
        rows: Vec::new(),
    };
    for s in &t.sources {
        sheet.rows.push(vec![
            Cell::text(&s.source),
            Cell::text(if s.paid {
                lang.t("paid")
            } else {
                lang.t("free")
            }),
            Cell::number(s.visitors, NumberFormat::Count),
            Cell::number(s.share, NumberFormat::Percent),
            Cell::number(s.visitors_before, NumberFormat::Count),
            Cell::number(s.conversion, NumberFormat::Percent),
            Cell::number(s.conversion_before, NumberFormat::Percent),
            Cell::number(s.uv_value, NumberFormat::Money(currency)),
            Cell::number(s.paid_amount, NumberFormat::Money(currency)),
        ]);
    }
    sheet
}

pub fn imports(history: &[ImportRecord], lang: Lang) -> Sheet {
    let mut sheet = Sheet {
        name: lang.t("history").into(),
        header: [
            "imported_at",
            "file",
            "format",
            "rows_read",
            "inserted",
            "updated",
            "unchanged",
            "rejected",
        ]
        .iter()
        .map(|k| lang.t(k).to_owned())
        .collect(),
        rows: Vec::new(),
    };
    for r in history {
        sheet.rows.push(vec![
            Cell::text(format!("{} UTC", r.imported_at.format("%Y-%m-%d %H:%M:%S"))),
            Cell::text(&r.file_name),
            Cell::text(&r.format),
            Cell::Number(r.rows_read as f64, NumberFormat::Count),
            Cell::Number(r.inserted as f64, NumberFormat::Count),
            Cell::Number(r.updated as f64, NumberFormat::Count),
            Cell::Number(r.unchanged as f64, NumberFormat::Count),
            Cell::Number(r.rejected as f64, NumberFormat::Count),
        ]);
    }
    sheet
}

pub fn dictionary(lang: Lang) -> Sheet {
    dictionary_of(METRICS.iter(), lang)
}

pub fn dictionary_of<'a>(defs: impl Iterator<Item = &'a MetricDef>, lang: Lang) -> Sheet {
    let mut sheet = Sheet {
        name: lang.t("dictionary").into(),
        header: [
            "metric",
            "metric",
            "definition",
            "formula",
            "orders_counted",
            "unit",
        ]
        .iter()
        .enumerate()
        .map(|(i, k)| {
            if i == 0 {
                "id".to_owned()
            } else {
                lang.t(k).to_owned()
            }
        })
        .collect(),
        rows: Vec::new(),
    };
    for d in defs {
        sheet.rows.push(vec![
            Cell::text(d.id),
            Cell::text(name(lang, d.zh, d.en)),
            Cell::text(d.definition),
            Cell::text(d.formula_text()),
            Cell::text(d.states),
            Cell::text(unit_name(d.unit, lang)),
        ]);
    }
    sheet
}

pub fn audit(entries: &[AuditEntry], shop_names: &dyn Fn(i32) -> String, lang: Lang) -> Sheet {
    let mut sheet = Sheet {
        name: lang.t("audit").into(),
        header: ["when", "who", "what", "shop", "detail"]
            .iter()
            .map(|k| lang.t(k).to_owned())
            .chain(std::iter::once("IP".to_owned()))
            .collect(),
        rows: Vec::new(),
    };
    for e in entries {
        sheet.rows.push(vec![
            Cell::text(format!("{} UTC", e.at.format("%Y-%m-%d %H:%M:%S"))),
            Cell::text(&e.login),
            Cell::text(&e.action),
            Cell::text(e.shop_id.map(|s| shop_names(s.0)).unwrap_or_default()),
            Cell::text(&e.detail),
            Cell::text(e.remote.clone().unwrap_or_default()),
        ]);
    }
    sheet
}
