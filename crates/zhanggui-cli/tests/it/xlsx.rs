//! Spreadsheets: an XLSX product-per-day report with a title row, several sheets and real
//! Excel dates, as business-advisor tools export them.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::support::{first_import, Env};

#[test]
fn an_xlsx_product_report_with_excel_dates_imports() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let path = env.path("商品效果.xlsx");
    let mut book = Workbook::new();
    // A first sheet that is not the report.
    let notes = book.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "本表由生意参谋导出").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("商品效果").unwrap();
    sheet
        .write_string(0, 0, "商品效果明细 2025-06-17~2025-06-18")
        .unwrap();
    let header = [
        "统计日期",
        "商品ID",
        "商品名称",
        "商品访客数",
        "支付买家数",
        "支付件数",
        "支付金额",
        "支付转化率",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let rows = [
        (17, "600001", 1200.0, 30.0, 31.0, 2990.0, "2.50%"),
        (18, "600001", 4000.0, 160.0, 170.0, 15990.5, "4.00%"),
    ];
    for (r, (day, id, visitors, buyers, units, amount, conversion)) in rows.iter().enumerate() {
        let row = r as u32 + 2;
        sheet
            .write_datetime_with_format(
                row,
                0,
                ExcelDateTime::from_ymd(2025, 6, *day).unwrap(),
                &date,
            )
            .unwrap();
        sheet.write_string(row, 1, *id).unwrap();
        sheet.write_string(row, 2, "纯棉T恤").unwrap();
        sheet.write_number(row, 3, *visitors).unwrap();
        sheet.write_number(row, 4, *buyers).unwrap();
        sheet.write_number(row, 5, *units).unwrap();
        sheet.write_number(row, 6, *amount).unwrap();
        sheet.write_string(row, 7, *conversion).unwrap();
    }
    sheet.write_string(4, 0, "合计").unwrap();
    sheet.write_number(4, 3, 5200.0).unwrap();
    book.save(&path).unwrap();

    let result = env.json(&["import", "--shop", "tb", path.to_str().unwrap()]);
    let outcome = first_import(&result);
    assert_eq!(outcome["format"], "product-days");
    assert_eq!(outcome["sheet"], "商品效果");
    assert_eq!(outcome["rows_read"], 2);
    assert_eq!(outcome["inserted"], 2);
    let summary = env.summary("tb");
    assert_eq!(summary["product_days"], 2);
    assert_eq!(summary["products"], 1);

    let again = env.json(&["import", "--shop", "tb", path.to_str().unwrap()]);
    assert_eq!(first_import(&again)["unchanged"], 2);
}
