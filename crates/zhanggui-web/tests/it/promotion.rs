//! Promotion in the cockpit: an ad report and a cost sheet uploaded on the pages give each
//! plan's ROI against the break-even of the shop's margin, the budget moves and the
//! diagnosis's finding on the losing plan; the API gives the same numbers as the report;
//! assistants and agents may not see it.

use axum::http::StatusCode;

use super::fixture::{block_on, multipart, World};

fn amount(v: &serde_json::Value) -> f64 {
    v["amount"]
        .as_f64()
        .unwrap_or_else(|| panic!("money, not {v}"))
}

#[test]
fn an_uploaded_ztc_report_shows_each_plan_against_break_even_on_the_page_and_in_the_api() {
    block_on(async {
        let w = World::new(3000);
        let boss = w.login("boss").await;
        let helper = w.login("helper").await;
        let kefu = w.login("kefu").await;
        let shop = w.shops[0].name.as_str().to_owned();
        let read = |name: &str| std::fs::read(w.files_dir().join(name)).unwrap();
        let (world, admin) = (&w, &boss);
        let upload = |path: &'static str, file: &str, bytes: Vec<u8>| {
            let csrf = admin.csrf.clone().unwrap();
            let (ct, body) = multipart(&[("csrf", &csrf)], &[("file", file, bytes)]);
            let uri = format!("{path}?shop={shop}");
            async move { world.send(admin, "POST", &uri, Some(&ct), body).await }
        };

        // Before any report the page says what to import.
        let empty = w.get(&boss, &format!("/ads?shop={shop}")).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.text());
        assert!(empty.text().contains("还没有推广报表"), "{}", empty.text());

        // The margin behind break-even comes from the profit model: costs, bill, expenses.
        for name in ["成本表.csv", "支付宝账务明细.csv", "费用表.csv"] {
            let costs = upload("/profit/costs", name, read(name)).await;
            assert_eq!(costs.status, StatusCode::OK, "{name}: {}", costs.text());
        }
        let page = upload("/ads/import", "直通车报表.csv", read("直通车报表.csv")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(
            html.contains("直通车报表.csv (直通车)"),
            "the notice names the tool told from the header: {html}"
        );
        for words in [
            "各计划 ROI",
            "定向-清仓",
            "搜索-爆款",
            "<svg",
            "budget moves",
        ] {
            assert!(html.contains(words), "the page shows {words}");
        }
        let again = upload("/ads/import", "直通车报表.csv", read("直通车报表.csv"))
            .await
            .text();
        assert!(
            again.contains("0 新增"),
            "imported twice, nothing new: {again}"
        );
        let bad = upload("/ads/import", "x.csv", b"a,b\n1,2\n".to_vec()).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());

        let v = w
            .get(&boss, &format!("/api/v1/ads?shop={shop}&period=30d"))
            .await;
        assert_eq!(v.status, StatusCode::OK, "{}", v.text());
        let v = v.json();
        let r = &v["report"];
        let plan = |name: &str| {
            r["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["campaign"] == name)
                .cloned()
                .unwrap_or_else(|| panic!("no plan {name}: {r}"))
        };
        assert!(
            r["margin"].is_number(),
            "the margin from the cost prices: {r}"
        );
        let losing = plan("定向-清仓");
        assert_eq!(losing["standing"], "below", "{losing}");
        assert!(losing["roi_high"].as_f64().unwrap() < losing["break_even_roi"].as_f64().unwrap());
        assert_eq!(plan("搜索-爆款")["standing"], "above");
        // ROI is sales over spend, from the same row.
        let roi = amount(&losing["sales"]) / amount(&losing["spend"]);
        assert!((losing["roi"].as_f64().unwrap() - roi).abs() < 1e-9);
        // The plans' spend adds up to the tool's.
        let sum: f64 = r["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| amount(&p["spend"]))
            .sum();
        assert!((sum - amount(&r["tools"][0]["spend"])).abs() < 0.005, "{r}");
        let moves = r["moves"].as_array().unwrap();
        assert!(
            moves.iter().any(|m| m["from_campaign"] == "定向-清仓"),
            "budget moves away from the losing plan: {moves:?}"
        );
        // A CTR line per plan, a point per day it ran.
        let trends = v["trends"].as_array().unwrap();
        assert_eq!(trends.len(), 3, "{trends:?}");
        assert!(trends
            .iter()
            .all(|t| t["days"].as_array().unwrap().len() == 30));
        let by_creative = w
            .get(&boss, &format!("/api/v1/ads?shop={shop}&by=creative"))
            .await
            .json();
        assert_eq!(by_creative["report"]["by"], "creative");
        let bad_by = w
            .get(&boss, &format!("/api/v1/ads?shop={shop}&by=week"))
            .await;
        assert_eq!(bad_by.status, StatusCode::BAD_REQUEST);

        // The diagnosis names the losing plan, with the money it lost.
        let d = w
            .get(&boss, &format!("/api/v1/diagnosis?shop={shop}"))
            .await
            .json();
        let finding = d["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "plan_below_break_even")
            .cloned()
            .unwrap_or_else(|| panic!("no plan finding: {d}"));
        assert_eq!(finding["subject"], "定向-清仓");
        let sales = amount(&losing["sales"]);
        let loss = amount(&losing["spend"]) - sales * losing["margin"].as_f64().unwrap();
        assert!(
            (amount(&finding["money_at_stake"]) - loss).abs() < 0.01,
            "{finding}"
        );

        let export = w
            .get(&boss, &format!("/api/v1/export/ads?shop={shop}&format=csv"))
            .await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.text().contains("定向-清仓"));

        for who in [&helper, &kefu] {
            let refused = w.get(who, &format!("/api/v1/ads?shop={shop}")).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
            let page = w.get(who, &format!("/ads?shop={shop}")).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN);
            let nav = w.get(who, &format!("/products?shop={shop}")).await.text();
            assert!(!nav.contains("href=\"/ads"), "no 推广 in their navigation");
        }
    });
}
