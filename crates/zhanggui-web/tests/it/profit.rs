//! Profit in the cockpit: the API gives the same P&L as the model, adding up to the cent;
//! the 利润 page draws it; assistants and agents may not see it.

use axum::http::StatusCode;

use super::fixture::{block_on, multipart, World};

fn amount(v: &serde_json::Value) -> f64 {
    v["amount"]
        .as_f64()
        .unwrap_or_else(|| panic!("money, not {v}"))
}

#[test]
fn the_profit_page_and_api_show_the_pnl_to_those_who_may_see_it() {
    block_on(async {
        let w = World::new(3000);
        let boss = w.login("boss").await;
        let helper = w.login("helper").await;
        let kefu = w.login("kefu").await;
        let shop = w.shops[0].name.as_str().to_owned();

        let a = w
            .get(&boss, &format!("/api/v1/profit?shop={shop}&period=30d"))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let v = a.json();
        let r = &v["report"];
        let rows = r["rows"].as_array().unwrap();
        assert!(!rows.is_empty(), "{r}");
        // Without cost prices every product is listed as missing one, none counted free.
        assert_eq!(r["missing_cost"].as_array().unwrap().len(), rows.len());
        assert!(rows.iter().all(|p| p["gross_profit"].is_null()));
        // Net sales of the rows add up to the shop's.
        let sum: f64 = rows.iter().map(|p| amount(&p["net_sales"])).sum();
        assert!(
            (sum - amount(&r["net_sales"])).abs() < 0.005,
            "{sum} vs {r}"
        );
        assert!(!v["months"]["rows"].as_array().unwrap().is_empty());
        let by_day = w
            .get(&boss, &format!("/api/v1/profit?shop={shop}&by=day"))
            .await
            .json();
        assert_eq!(by_day["report"]["by"], "day");
        let bad = w
            .get(&boss, &format!("/api/v1/profit?shop={shop}&by=week"))
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);

        let page = w.get(&boss, &format!("/profit?shop={shop}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        for words in [
            "从销售额到净利润",
            "近12个月净利润",
            "缺成本价的商品",
            "<svg",
        ] {
            assert!(html.contains(words), "the page shows {words}");
        }

        for who in [&helper, &kefu] {
            let refused = w.get(who, &format!("/api/v1/profit?shop={shop}")).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
            let page = w.get(who, &format!("/profit?shop={shop}")).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN);
            let nav = w.get(who, &format!("/products?shop={shop}")).await.text();
            assert!(
                !nav.contains("href=\"/profit"),
                "no 利润 in their navigation"
            );
        }
    });
}

#[test]
fn a_cost_sheet_and_a_bill_uploaded_on_the_page_give_profit_roles_and_findings() {
    block_on(async {
        let w = World::new(3000);
        let boss = w.login("boss").await;
        let helper = w.login("helper").await;
        let shop = w.shops[0].name.as_str().to_owned();
        let (world, admin) = (&w, &boss);
        let upload = |file: &str, bytes: Vec<u8>| {
            let csrf = admin.csrf.clone().unwrap();
            let (ct, body) = multipart(&[("csrf", &csrf)], &[("file", file, bytes)]);
            let uri = format!("/profit/costs?shop={shop}");
            async move { world.send(admin, "POST", &uri, Some(&ct), body).await }
        };
        let read = |name: &str| std::fs::read(w.files_dir().join(name)).unwrap();

        // Before: no cost prices, so the overview points to the 利润 page.
        let overview = w.get(&boss, &format!("/?shop={shop}")).await.text();
        assert!(overview.contains("导入成本表后显示利润"), "{overview}");

        let page = upload("成本表.csv", read("成本表.csv")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(
            html.contains("成本表.csv (成本表)"),
            "the notice names the sheet: {html}"
        );
        // Imported again: nothing new.
        let again = upload("成本表.csv", read("成本表.csv")).await.text();
        assert!(again.contains("0 新增"), "{again}");
        for name in ["支付宝账务明细.csv", "费用表.csv"] {
            let a = upload(name, read(name)).await;
            assert_eq!(a.status, StatusCode::OK, "{name}: {}", a.text());
        }
        // Not a cost sheet: refused with what would be accepted.
        let bad = upload("x.csv", b"a,b\n1,2\n".to_vec()).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.text().contains("商家编码"), "{}", bad.text());

        let r = w
            .get(&boss, &format!("/api/v1/profit?shop={shop}&period=30d"))
            .await
            .json();
        let report = &r["report"];
        let rows = report["rows"].as_array().unwrap();
        // Only the product the sheet leaves without a cost can miss one now (if it sold).
        let missing = report["missing_cost"].as_array().unwrap();
        assert!(missing.iter().all(|m| m == "TB0300"), "{report}");
        assert!(rows.iter().filter(|p| p["cost"] == "known").count() >= rows.len() - 1);
        assert!(rows
            .iter()
            .any(|p| p["fees"] == "billed" || p["fees"] == "estimated"));
        // Every product has a role or says why not (a missing cost), and the thresholds
        // are given.
        assert!(
            report["roles"]["thresholds"]["profit_margin"].is_number(),
            "{report}"
        );
        let roles: Vec<&str> = rows.iter().filter_map(|p| p["role"].as_str()).collect();
        assert!(roles.contains(&"profit"), "{roles:?}");
        assert!(rows
            .iter()
            .filter(|p| p["role"].is_null())
            .all(|p| p["cost"] != "known"));

        // The diagnosis leads with the planted loss-maker and the unsettled order, for
        // those who may see profit only.
        let d = w
            .get(&boss, &format!("/api/v1/diagnosis?shop={shop}"))
            .await
            .json();
        let findings = d["findings"].as_array().unwrap();
        let rules: Vec<&str> = findings
            .iter()
            .map(|f| f["rule"].as_str().unwrap_or(""))
            .collect();
        assert!(rules.contains(&"unsettled_orders"), "{rules:?}");
        let d = w
            .get(&helper, &format!("/api/v1/diagnosis?shop={shop}"))
            .await
            .json();
        assert!(
            d["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["kind"] != "profit"),
            "an assistant sees no profit finding: {d}"
        );
        let overview = w.get(&boss, &format!("/?shop={shop}")).await.text();
        assert!(
            overview.contains("data-metric=\"net_profit\""),
            "{overview}"
        );
        let overview = w.get(&helper, &format!("/?shop={shop}")).await.text();
        assert!(!overview.contains("data-metric=\"net_profit\""));
    });
}

#[test]
fn the_owner_sees_every_shop_in_one_currency_at_the_rates_given() {
    block_on(async {
        let w = World::new(3000);
        let boss = w.login("boss").await;
        let manager = w.login("manager").await;
        // demo-shopify is in dollars: without a rate the view is refused, naming it.
        let a = w.get(&boss, "/api/v1/profit/shops?period=30d").await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(a.text().contains("demo-shopify is in USD"), "{}", a.text());
        let v = w
            .get(&boss, "/api/v1/profit/shops?period=30d&rates=USD:7.1")
            .await
            .json();
        assert_eq!(v["currency"], "CNY");
        assert_eq!(v["rates"]["USD"], 7.1);
        // Net sales of the two shops add up to the total, month by month.
        let shops = v["by_shop"].as_array().unwrap();
        assert_eq!(shops.len(), 2);
        let sum: f64 = shops.iter().map(|s| amount(&s["net_sales"])).sum();
        assert!(
            (sum - amount(&v["total"]["net_sales"])).abs() < 0.005,
            "{v}"
        );
        let months: f64 = v["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| amount(&m["net_sales"]))
            .sum();
        assert!((months - sum).abs() < 0.005);
        // The dollar shop's sales at 7.1: its own report converted.
        let usd = w
            .get(&boss, "/api/v1/profit?shop=demo-shopify&period=30d")
            .await
            .json();
        let converted = amount(&usd["report"]["net_sales"]) * 7.1;
        assert!(
            (amount(&shops[1]["net_sales"]) - converted).abs() < 0.01,
            "{v}"
        );
        // On the page: the form and, with the rate, both tables.
        let page = w
            .get(&boss, "/profit?shop=demo-taobao&rates=USD:7.1")
            .await
            .text();
        assert!(
            page.contains("id=\"across-shops\"") && page.contains("pnl-months"),
            "{page}"
        );
        let page = w.get(&boss, "/profit?shop=demo-taobao").await.text();
        assert!(page.contains("demo-shopify is in USD"));
        // A manager of one shop is not an owner.
        let refused = w.get(&manager, "/api/v1/profit/shops?rates=USD:7.1").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let page = w.get(&manager, "/profit?shop=demo-taobao").await.text();
        assert!(!page.contains("across-shops"));
    });
}
