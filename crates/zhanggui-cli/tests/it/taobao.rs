//! Taobao exports: a GBK 订单报表 and 宝贝报表 with the traps real files have, each alone and
//! both together, imported again, updated by a later export, strict and dry runs.

use crate::support::{first_import, money, write_gbk, Env};

const ORDER_HEADER: &str = "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,返点积分,买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址 ,运送方式,联系电话 ,联系手机,订单创建时间,订单付款时间 ,宝贝标题 ,宝贝种类 ,物流单号 ,物流公司,订单备注,宝贝总数量,店铺Id,店铺名称,订单关闭原因,卖家服务费,买家服务费,发票抬头,是否手机订单,退款金额";

/// One 订单报表 row from the fields a test cares about.
fn order_row(
    no: &str,
    buyer: &str,
    goods: &str,
    paid: &str,
    state: &str,
    created: &str,
    paid_at: &str,
) -> String {
    format!(
        "{no},{buyer},,{goods},0.00,0,{goods},0,{paid},0,{state},,*,浙江省 杭州市 西湖区 某路1号,快递,,'13800000000,{created},{paid_at},宝贝,1,=\"YT123\",圆通速递,,1,0,演示店,,0,0,,手机订单,0.00\n"
    )
}

fn orders_file(env: &Env, name: &str, rows: &[String]) -> String {
    let mut text = String::from("订单报表\n");
    text.push_str(ORDER_HEADER);
    text.push('\n');
    for r in rows {
        text.push_str(r);
    }
    let path = env.path(name);
    write_gbk(&path, &text);
    path.to_str().unwrap().to_owned()
}

fn three_orders() -> Vec<String> {
    vec![
        order_row(
            "=\"1930679858170647\"",
            "买家甲",
            "￥598.00",
            "598.00",
            "交易成功",
            "2019-05-15 16:50:12",
            "2019-05-15 16:51:00",
        ),
        order_row(
            "=\"1930679858170648\"",
            "买家乙",
            "\"1,598.00\"",
            "1598.00",
            "买家已付款，等待卖家发货",
            "2019/5/16 09:00",
            "2019/5/16 09:01",
        ),
        order_row(
            "'1930679858170649",
            "买家甲",
            "59元",
            "0",
            "等待买家付款",
            "2019-05-17 10:00:00",
            "",
        ),
    ]
}

const LINE_HEADER: &str = "订单编号,子订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码,买家实际支付金额,退款状态,退款金额";

fn lines_file(env: &Env, name: &str) -> String {
    let text = format!(
        "{LINE_HEADER}\n\
         =\"1930679858170647\",=\"1930679858170647001\",纯棉T恤,299.00,2,TB-1-1,颜色分类:黑色,,,交易成功,TB-1,598.00,没有申请退款,0\n\
         =\"1930679858170648\",=\"1930679858170648001\",连衣裙,999.00,1,TB-2-1,颜色分类:白色,,,买家已付款，等待卖家发货,TB-2,999.00,没有申请退款,0\n\
         =\"1930679858170648\",=\"1930679858170648002\",针织衫,599.00,1,TB-3-1,颜色分类:灰色,,,买家已付款，等待卖家发货,TB-3,599.00,没有申请退款,0\n\
         =\"1930679858170649\",=\"1930679858170649001\",保温杯,59.00,1,TB-4-1,,,,等待买家付款,TB-4,59.00,没有申请退款,0\n\
         合计,,,,5,,,,,,,2255.00,,\n"
    );
    let path = env.path(name);
    write_gbk(&path, &text);
    path.to_str().unwrap().to_owned()
}

#[test]
fn the_order_report_alone_then_the_line_report_join_on_the_order_number() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let orders = orders_file(&env, "ExportOrderList201905171000.csv", &three_orders());
    let result = env.json(&["import", "--shop", "tb", &orders]);
    let outcome = first_import(&result);
    assert_eq!(outcome["format"], "taobao-orders");
    assert_eq!(outcome["encoding"], "gb18030");
    assert_eq!(outcome["rows_read"], 3);
    assert_eq!(outcome["inserted"], 3);

    let summary = env.summary("tb");
    assert_eq!(summary["orders"], 3);
    assert_eq!(summary["customers"], 2);
    assert_eq!(summary["order_lines"], 0);
    // Paid: 598.00 + 1598.00; the unpaid order does not count.
    assert_eq!(summary["paid_amount"], money(2196.0, "CNY"));
    assert_eq!(summary["first_day"], "2019-05-15");

    let lines = lines_file(&env, "ExportOrderDetailList201905171000.csv");
    let result = env.json(&["import", "--shop", "tb", &lines]);
    let outcome = first_import(&result);
    assert_eq!(outcome["format"], "taobao-lines");
    // The totals row (合计) is not a line.
    assert_eq!(outcome["rows_read"], 4);
    assert_eq!(outcome["inserted"], 4);
    let summary = env.summary("tb");
    assert_eq!(
        summary["orders"], 3,
        "lines joined the orders they belong to"
    );
    assert_eq!(summary["order_lines"], 4);
    assert_eq!(summary["products"], 4);
    // The order report's amounts stay the order's amounts.
    assert_eq!(summary["paid_amount"], money(2196.0, "CNY"));
    // Order 1930679858170648 says 1,598.00 of goods; its lines 999 + 599 agree.
    let warnings = result["quality"].as_array().unwrap();
    assert!(
        !warnings.iter().any(|q| q["kind"] == "lines_do_not_add_up"),
        "{warnings:?}"
    );
}

#[test]
fn the_checks_speak_of_all_the_files_of_one_command() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let orders = orders_file(&env, "ExportOrderList.csv", &three_orders());
    let lines = lines_file(&env, "ExportOrderDetailList.csv");
    // The order report alone: its orders have no lines yet, and the check says so.
    let alone = env.json(&["import", "--shop", "tb", "--dry-run", &orders]);
    assert_eq!(
        alone["quality"],
        serde_json::json!([]),
        "a dry run checks nothing"
    );
    let other = Env::new();
    other.add_shop("taobao", "tb", &[]);
    let alone = other.json(&["import", "--shop", "tb", &orders]);
    let kinds = |v: &serde_json::Value| -> Vec<String> {
        v["quality"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(kinds(&alone).contains(&"orders_without_lines".to_owned()));
    // Both reports in one command: the lines the second file brings are there when the
    // checks run, so no order is said to lack lines, and the warnings come once, at the end.
    let both = env.json(&["import", "--shop", "tb", &orders, &lines]);
    assert_eq!(both["imported"].as_array().unwrap().len(), 2);
    assert!(
        !kinds(&both).contains(&"orders_without_lines".to_owned()),
        "{}",
        both["quality"]
    );
    for file in both["imported"].as_array().unwrap() {
        assert_eq!(file["quality"], serde_json::json!([]));
    }
    // In a terminal too: lines first, then orders, and no warning about missing lines.
    let fresh = Env::new();
    fresh.add_shop("taobao", "tb", &[]);
    let text = fresh.ok(&["import", "--shop", "tb", &lines, &orders]);
    assert!(!text.contains("orders with no lines"), "{text}");
    let alone = Env::new();
    alone.add_shop("taobao", "tb", &[]);
    let text = alone.ok(&["import", "--shop", "tb", &orders]);
    assert!(text.contains("warning: 3 orders with no lines"), "{text}");
}

#[test]
fn the_line_report_alone_makes_its_orders() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let lines = lines_file(&env, "ExportOrderDetailList.csv");
    env.ok(&["import", "--shop", "tb", &lines]);
    let summary = env.summary("tb");
    assert_eq!(summary["orders"], 3);
    assert_eq!(summary["order_lines"], 4);
    // Without the order report, paid orders are worth what their lines were paid.
    assert_eq!(summary["paid_amount"], money(598.0 + 999.0 + 599.0, "CNY"));
}

#[test]
fn importing_twice_changes_nothing_and_a_later_export_updates_state() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let first = orders_file(&env, "a.csv", &three_orders());
    env.ok(&["import", "--shop", "tb", &first]);
    let again = env.json(&["import", "--shop", "tb", &first]);
    let outcome = first_import(&again);
    assert_eq!(outcome["inserted"], 0);
    assert_eq!(outcome["updated"], 0);
    assert_eq!(outcome["unchanged"], 3);

    // A later export: the unpaid order was paid, and a new order came in.
    let mut rows = three_orders();
    rows[2] = order_row(
        "'1930679858170649",
        "买家甲",
        "59.00",
        "59.00",
        "买家已付款，等待卖家发货",
        "2019-05-17 10:00:00",
        "2019-05-17 10:05:00",
    );
    rows.push(order_row(
        "=\"1930679858170650\"",
        "买家丙",
        "10.00",
        "10.00",
        "交易成功",
        "2019-05-18 10:00:00",
        "2019-05-18 10:00:30",
    ));
    let later = orders_file(&env, "b.csv", &rows);
    let result = env.json(&["import", "--shop", "tb", &later]);
    let outcome = first_import(&result);
    assert_eq!(outcome["inserted"], 1);
    assert_eq!(outcome["updated"], 1);
    assert_eq!(outcome["unchanged"], 2);
    let summary = env.summary("tb");
    assert_eq!(summary["orders"], 4);
    assert_eq!(summary["paid_amount"], money(2196.0 + 59.0 + 10.0, "CNY"));
}

#[test]
fn a_mangled_id_rejects_its_row_with_the_reason_and_strict_rejects_the_file() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let mut rows = three_orders();
    rows.push(order_row(
        "1.93068E+15",
        "买家丁",
        "1.00",
        "1.00",
        "交易成功",
        "2019-05-18 10:00:00",
        "2019-05-18 10:00:30",
    ));
    let file = orders_file(&env, "mangled.csv", &rows);

    let strict = env.run(&["import", "--shop", "tb", "--strict", &file]);
    assert_eq!(strict.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(stderr.contains("1.93068E+15"), "{stderr}");
    assert!(stderr.contains("row 6"), "{stderr}");
    assert_eq!(env.summary("tb")["orders"], 0, "strict: nothing written");

    let dry = env.json(&["import", "--shop", "tb", "--dry-run", &file]);
    assert_eq!(first_import(&dry)["inserted"], 3);
    assert_eq!(env.summary("tb")["orders"], 0, "dry run: nothing written");

    let result = env.json(&["import", "--shop", "tb", &file]);
    let outcome = first_import(&result);
    assert_eq!(outcome["inserted"], 3);
    assert_eq!(outcome["rejected"], 1);
    let rejection = &outcome["rejections"][0];
    assert_eq!(rejection["row"], 6);
    assert_eq!(rejection["column"], "订单编号");
    assert_eq!(rejection["value"], "1.93068E+15");
    assert!(rejection["reason"]
        .as_str()
        .unwrap()
        .contains("scientific notation"));
    let reject_file = env.path("mangled.csv.rejected.csv");
    let text = std::fs::read_to_string(&reject_file).expect("a reject file beside the input");
    assert!(
        text.contains("1.93068E+15") && text.contains("订单编号"),
        "{text}"
    );
    assert_eq!(
        text.matches("file,row,column,value,reason").count(),
        1,
        "one header: {text}"
    );
}
