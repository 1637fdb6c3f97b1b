//! Taobao's 退款报表: recognised from its header, one refund per row keyed by 退款编号, imported
//! again without duplicates, updated by a later export, a bad value reported by row.

use crate::support::{first_import, write_gbk, Env};

const HEADER: &str = "订单编号,退款编号,支付宝交易号,订单付款时间,宝贝ID,宝贝标题,商家编码,买家会员名称,买家实际支付金额,买家退款金额,手工退款/系统退款,是否需要退货,退款的申请时间,超时时间,退款状态,货物状态,买家退款原因,买家退款说明,完结时间";

fn file(env: &Env, name: &str, rows: &[&str]) -> String {
    let mut text = format!("{HEADER}\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    let path = env.path(name);
    write_gbk(&path, &text);
    path.to_str().unwrap().to_owned()
}

const FIRST: &str = "=\"1930679858170647\",=\"88001\",2019051522001,2019-05-15 16:51:00,590001,加厚毛巾,MJ-3,买家甲,598.00,100.00,系统退款,否,2019-05-16 10:00:00,,退款成功,买家未收到货,不想要了,,2019-05-16 12:00:00";
const SECOND_OPEN: &str = "=\"1930679858170648\",=\"88002\",2019051622002,2019-05-16 09:01:00,590002,浴巾,YJ-1,买家乙,1598.00,1598.00,系统退款,是,2019-05-18 10:00:00,2019-05-25 10:00:00,买家已经申请退款，等待卖家同意,买家已收到货,质量问题,起球,";
const SECOND_DONE: &str = "=\"1930679858170648\",=\"88002\",2019051622002,2019-05-16 09:01:00,590002,浴巾,YJ-1,买家乙,1598.00,1598.00,系统退款,是,2019-05-18 10:00:00,,退款成功,买家已退货,质量问题,起球,2019-05-22 15:00:00";

#[test]
fn a_taobao_refund_report_imports_once_and_later_exports_update_it() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let path = file(&env, "refunds.csv", &[FIRST, SECOND_OPEN]);
    let result = env.json(&["import", "--shop", "tb", &path]);
    let outcome = first_import(&result);
    assert_eq!(outcome["format"], "taobao-refunds", "{result}");
    assert_eq!(outcome["kind"], "refunds");
    assert_eq!(
        (outcome["inserted"].as_u64(), outcome["rejected"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(env.summary("tb")["refunds"], 2);

    let again = env.json(&["import", "--shop", "tb", &path]);
    assert_eq!(first_import(&again)["unchanged"], 2, "{again}");

    // A later export: the open case was settled after the goods came back.
    let later = file(&env, "later.csv", &[SECOND_DONE]);
    let result = env.json(&["import", "--shop", "tb", &later]);
    let outcome = first_import(&result);
    assert_eq!(
        (outcome["inserted"].as_u64(), outcome["updated"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(env.summary("tb")["refunds"], 2);
}

#[test]
fn a_refund_row_with_a_value_that_is_not_yes_or_no_is_reported() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let bad = FIRST.replace(",否,", ",也许,");
    let path = file(&env, "bad.csv", &[&bad, SECOND_OPEN]);
    let result = env.json(&["import", "--shop", "tb", &path]);
    let outcome = first_import(&result);
    assert_eq!(outcome["rejected"], 1, "{result}");
    let rejection = &outcome["rejections"][0];
    assert_eq!(rejection["column"], "是否需要退货");
    assert_eq!(rejection["value"], "也许");
    assert_eq!(env.summary("tb")["refunds"], 1);
}
