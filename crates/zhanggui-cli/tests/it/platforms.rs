//! The order exports of JD, Pinduoduo and Douyin, imported with no options: each is told
//! by its header, its state words become the order states (only paid, shipped and
//! completed orders count as paid), and a state word zhanggui does not know rejects its row
//! with the reason instead of guessing.

use crate::support::{first_import, money, write_gbk, Env};

fn import(env: &Env, shop: &str, path: &std::path::Path) -> serde_json::Value {
    env.json(&["import", "--shop", shop, path.to_str().unwrap()])
}

#[test]
fn a_jd_order_export_imports_without_options() {
    let env = Env::new();
    env.add_shop("jd", "jd", &[]);
    // One row per product of an order; the order's amounts repeated on each row.
    let text = "订单号,商品ID,商品名称,订购数量,支付方式,下单时间,京东价,订单金额,结算金额,余额支付,应付金额,订单状态,订单类型,下单帐号,客户姓名,客户地址,联系电话,订单备注,商家备注,运费金额,付款确认时间,货号,订单完成时间\n\
        =\"251234567890\",100012,保温杯 500ml,2,在线支付,2025-03-01 10:00:00,59.00,118.00,118.00,0.00,118.00,完成,普通订单,jd_buyer1,张*,北京 朝阳区 某路1号,138****0000,,,0.00,2025-03-01 10:01:00,BWB-500,2025-03-05 12:00:00\n\
        =\"251234567891\",100012,保温杯 500ml,1,在线支付,2025-03-02 11:00:00,59.00,99.00,99.00,0.00,104.00,等待出库,普通订单,jd_buyer2,李*,上海 浦东新区 某路2号,139****0000,请尽快发货,,5.00,2025-03-02 11:02:00,BWB-500,\n\
        =\"251234567891\",100013,杯刷,1,在线支付,2025-03-02 11:00:00,40.00,99.00,99.00,0.00,104.00,等待出库,普通订单,jd_buyer2,李*,上海 浦东新区 某路2号,139****0000,请尽快发货,,5.00,2025-03-02 11:02:00,BS-01,\n\
        =\"251234567892\",100013,杯刷,1,在线支付,2025-03-03 09:00:00,40.00,40.00,40.00,0.00,40.00,已取消,普通订单,jd_buyer3,王*,广东 广州市 某路3号,137****0000,,,0.00,,BS-01,\n";
    let path = env.path("jd_orders.csv");
    write_gbk(&path, text);
    let result = import(&env, "jd", &path);
    let outcome = first_import(&result);
    assert_eq!(outcome["format"], "jd-orders", "{result}");
    assert_eq!(outcome["rejected"], 0, "{result}");
    let summary = env.summary("jd");
    assert_eq!(summary["orders"], 3);
    assert_eq!(summary["order_lines"], 4);
    assert_eq!(summary["products"], 2, "货号 is the product code");
    // 完成 and 等待出库 are paid; 已取消 is not.
    assert_eq!(summary["paid_amount"], money(118.0 + 104.0, "CNY"));
}

#[test]
fn a_pinduoduo_order_export_imports_without_options() {
    let env = Env::new();
    env.add_shop("pdd", "pdd", &[]);
    let text = "商品,订单号,订单状态,商品总价(元),店铺优惠折扣(元),平台优惠折扣(元),邮费(元),用户实付金额(元),商家实收金额(元),商品数量(件),省,支付时间,发货时间,确认收货时间,商品id,商品规格,商家编码-SKU维度,商家编码-商品维度,快递单号,快递公司,售后状态\n\
        加厚毛巾 3条装,250301-123456789012345,已签收,29.90,3.00,2.00,0.00,24.90,26.90,1,浙江省,2025-03-01 08:00:00,2025-03-01 18:00:00,2025-03-04 09:00:00,555001,蓝色,MJ-3-BLUE,MJ-3,YT0001,圆通快递,无售后或售后取消\n\
        加厚毛巾 3条装,250302-123456789012346,\"已发货，待签收\",59.80,0.00,0.00,0.00,59.80,59.80,2,江苏省,2025-03-02 08:00:00,2025-03-02 19:00:00,,555001,灰色,MJ-3-GREY,MJ-3,YT0002,圆通快递,无售后或售后取消\n\
        浴巾,250303-123456789012347,待发货,39.00,0.00,0.00,0.00,39.00,39.00,1,广东省,2025-03-03 08:00:00,,,555002,白色,YJ-1-WHITE,YJ-1,,,无售后或售后取消\n";
    let path = env.path("pdd_orders.csv");
    std::fs::write(&path, text).unwrap();
    let result = import(&env, "pdd", &path);
    let outcome = first_import(&result);
    assert_eq!(outcome["format"], "pdd-orders", "{result}");
    assert_eq!(outcome["rejected"], 0, "{result}");
    let summary = env.summary("pdd");
    assert_eq!(summary["orders"], 3);
    assert_eq!(summary["order_lines"], 3);
    assert_eq!(
        summary["products"], 2,
        "商家编码-商品维度 is the product code"
    );
    // 24.90 + 59.80 + 39.00, summed in fen.
    assert_eq!(summary["paid_amount"], money(123.70, "CNY"));
    assert_eq!(summary["first_day"], "2025-03-01");
}

#[test]
fn a_douyin_order_export_imports_without_options_and_unknown_states_are_reported() {
    let env = Env::new();
    env.add_shop("douyin", "dy", &[]);
    // UTF-8 with a BOM; one row per sub-order.
    let text = "\u{feff}主订单编号,子订单编号,选购商品,商品规格,商品数量,商品ID,商家编码,商品金额,订单应付金额,订单提交时间,支付完成时间,订单完成时间,订单状态,取消原因,售后状态,省\n\
        6930000000000000001,6930000000000000002,防晒霜 SPF50,50ml,1,3600001,FSS-50,99.00,89.00,2025/03/01 20:00:00,2025/03/01 20:01:00,2025/03/06 10:00:00,已完成,,,四川省\n\
        6930000000000000001,6930000000000000003,防晒喷雾,150ml,2,3600002,FSPW-150,49.00,90.00,2025/03/01 20:00:00,2025/03/01 20:01:00,2025/03/06 10:00:00,已完成,,,四川省\n\
        6930000000000000004,6930000000000000005,防晒霜 SPF50,50ml,1,3600001,FSS-50,99.00,99.00,2025/03/02 21:00:00,2025/03/02 21:00:30,,备货中,,,重庆市\n\
        6930000000000000006,6930000000000000007,防晒霜 SPF50,50ml,1,3600001,FSS-50,99.00,99.00,2025/03/02 22:00:00,,,已关闭,超时未支付,,湖北省\n\
        6930000000000000008,6930000000000000009,防晒霜 SPF50,50ml,1,3600001,FSS-50,99.00,99.00,2025/03/03 22:00:00,2025/03/03 22:01:00,,神秘状态,,,湖北省\n";
    let path = env.path("douyin_orders.csv");
    std::fs::write(&path, text).unwrap();
    let result = import(&env, "dy", &path);
    let outcome = first_import(&result);
    assert_eq!(outcome["format"], "douyin-orders", "{result}");
    assert_eq!(outcome["encoding"], "UTF-8");
    assert_eq!(outcome["rejected"], 1, "{result}");
    let reason = outcome["rejections"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("神秘状态"), "{reason}");
    let summary = env.summary("dy");
    assert_eq!(summary["orders"], 3);
    assert_eq!(summary["order_lines"], 4);
    // An order is worth its sub-orders' 订单应付金额: 89 + 90 for the first, 99 for the
    // paid one (备货中); the closed one is not paid.
    assert_eq!(summary["paid_amount"], money(89.0 + 90.0 + 99.0, "CNY"));
}
