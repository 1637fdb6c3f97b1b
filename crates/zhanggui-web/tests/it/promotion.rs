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

#[test]
fn the_budget_split_set_on_the_page_is_the_split_of_the_api_and_survives_a_reload() {
    block_on(async {
        let w = World::new(3000);
        let boss = w.login("boss").await;
        let shop = w.shops[0].name.as_str().to_owned();
        let csrf = boss.csrf.clone().unwrap();
        let ztc = std::fs::read(w.files_dir().join("直通车报表.csv")).unwrap();
        let (ct, body) = multipart(&[("csrf", &csrf)], &[("file", "直通车报表.csv", ztc)]);
        let up = w
            .send(
                &boss,
                "POST",
                &format!("/ads/import?shop={shop}"),
                Some(&ct),
                body,
            )
            .await;
        assert_eq!(up.status, StatusCode::OK, "{}", up.text());
        assert!(
            up.text().contains("按目标分配预算"),
            "the page offers the split form"
        );

        let post = |form: String| {
            let uri = format!("/ads/split?shop={shop}");
            let who = &boss;
            let w = &w;
            async move {
                w.send(
                    who,
                    "POST",
                    &uri,
                    Some("application/x-www-form-urlencoded"),
                    form.into_bytes(),
                )
                .await
            }
        };
        let tool = "%E7%9B%B4%E9%80%9A%E8%BD%A6"; // 直通车
        let saved = post(format!("csrf={csrf}&goal.{tool}=exposure&share.{tool}=60")).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
        let html = saved.text();
        assert!(
            html.contains(r#"value="60""#),
            "the share is shown again: {html}"
        );
        assert!(html.contains(r#"<option value="exposure" selected>"#));

        let v = w
            .get(&boss, &format!("/api/v1/ads?shop={shop}&period=30d"))
            .await
            .json();
        let split = &v["report"]["split"][0];
        assert_eq!(split["tool"], "直通车", "{split}");
        assert_eq!(split["goal"], "exposure");
        assert!((split["target_share"].as_f64().unwrap() - 0.6).abs() < 1e-12);

        // A share above the whole budget, or no CSRF token, changes nothing.
        let bad = post(format!("csrf={csrf}&share.{tool}=140")).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
        let forged = post(format!("goal.{tool}=sales")).await;
        assert_ne!(forged.status, StatusCode::OK);
        let again = w
            .get(&boss, &format!("/api/v1/ads?shop={shop}&period=30d"))
            .await
            .json();
        assert_eq!(again["report"]["split"][0]["goal"], "exposure");
        assert!(
            (again["report"]["split"][0]["target_share"]
                .as_f64()
                .unwrap()
                - 0.6)
                .abs()
                < 1e-12
        );
    });
}
