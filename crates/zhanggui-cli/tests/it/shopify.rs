//! A Shopify orders export with no options: order fields on the first line of each order only,
//! times with offsets, financial and fulfillment statuses.

use crate::support::{first_import, money, Env};

const HEADER: &str = "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Shipping Country,Cancelled at,Refunded Amount,Lineitem discount";

#[test]
fn a_shopify_export_imports_with_no_options() {
    let env = Env::new();
    env.add_shop("shopify", "us-store", &["--timezone", "America/New_York"]);
    let text = format!(
        "{HEADER}\n\
         #1001,ann@example.com,paid,2024-02-21 10:31:00 -0500,fulfilled,2024-02-22 09:00:00 -0500,no,USD,70.00,5.99,5.60,81.59,,0.00,Standard,2024-02-21 10:30:00 -0500,2,Linen Throw,25.00,,SP-1,true,true,fulfilled,Ann,US,,0.00,0.00\n\
         #1001,ann@example.com,,,,,,,,,,,,,,,1,Ceramic Mug,20.00,,SP-2,true,true,fulfilled,,,,,0.00\n\
         #1002,bob@example.com,refunded,2024-02-23 08:00:00 -0500,unfulfilled,,no,USD,20.00,5.99,1.60,27.59,,0.00,Standard,2024-02-23 07:59:00 -0500,1,Ceramic Mug,20.00,,SP-2,true,true,pending,Bob,CA,,27.59,0.00\n\
         #1003,ann@example.com,pending,,unfulfilled,,no,USD,25.00,5.99,2.00,32.99,,0.00,Standard,2024-02-24 23:30:00 -0500,1,Linen Throw,25.00,,SP-1,true,true,pending,Ann,US,,0.00,0.00\n"
    );
    let path = env.path("orders_export.csv");
    std::fs::write(&path, text).unwrap();
    let result = env.json(&["import", "--shop", "us-store", path.to_str().unwrap()]);
    let outcome = first_import(&result);
    assert_eq!(outcome["format"], "shopify-orders");
    assert_eq!(outcome["inserted"], 4);

    let summary = env.summary("us-store");
    assert_eq!(summary["orders"], 3);
    assert_eq!(summary["order_lines"], 4);
    assert_eq!(summary["customers"], 2);
    // #1001 is paid (81.59); #1002 was paid and then refunded (支付金额 does not net refunds);
    // #1003 is still pending.
    assert_eq!(summary["paid_amount"], money(81.59 + 27.59, "USD"));
    assert_eq!(summary["refund_amount"], money(27.59, "USD"));
    // 2024-02-24 23:30 in New York is the 24th there, though the 25th in UTC.
    assert_eq!(summary["last_day"], "2024-02-24");
}
