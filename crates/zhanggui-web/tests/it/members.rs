//! Members in the cockpit: the members view agrees with itself and with the filters, a
//! segment is sized live, saved, listed, exported with personal data only for roles that
//! may see it, audited, and deleted; the pages render.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::fixture::{block_on, refused, World};

fn size(a: &super::fixture::Answer) -> u64 {
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    a.json()["size"].as_u64().unwrap()
}

#[test]
fn segments_are_sized_saved_exported_by_role_and_shown() {
    block_on(async {
        let w = World::new(20_000);
        let boss = w.login("boss").await;
        let helper = w.login("helper").await;
        let shop = w.shops[0].name.as_str().to_owned();
        let q = format!("shop={shop}");

        // The members view: eight segments covering every member, a ranked win-back list.
        let v = w.get(&boss, &format!("/api/v1/members?{q}")).await.json();
        let members = v["members"].as_u64().unwrap();
        assert!(members > 100, "{v}");
        let in_segments: u64 = v["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["customers"].as_u64().unwrap())
            .sum();
        assert_eq!(in_segments, members);
        assert_eq!(v["personal"], true);
        let risk: Vec<f64> = v["win_back"]["customers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["value_at_risk"]["amount"].as_f64().unwrap())
            .collect();
        assert!(risk.windows(2).all(|x| x[0] >= x[1]));

        // Live size: a filter and its negation split the members; everyone has an order.
        let preview = |f: &str| format!("/api/v1/segments/preview?{q}&filter={}", urlencode(f));
        let all = size(&w.get(&boss, &preview("orders >= 1")).await);
        assert_eq!(all, members);
        let loyal = size(&w.get(&boss, &preview("orders >= 2 and r >= 3")).await);
        let rest = size(&w.get(&boss, &preview("not (orders >= 2 and r >= 3)")).await);
        assert!(
            loyal > 0 && loyal + rest == members,
            "{loyal} + {rest} != {members}"
        );
        // The 重要价值客户 segment has the size the segment table says.
        let top = v["segments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["zh"] == "重要价值客户")
            .unwrap()["customers"]
            .as_u64()
            .unwrap();
        assert_eq!(
            size(&w.get(&boss, &preview("segment = 重要价值客户")).await),
            top
        );
        let bad = w.get(&boss, &preview("spend > lots")).await;
        refused(&bad, StatusCode::BAD_REQUEST, "bad_request", "character 9");

        // Save (managers and owners), list with the size, export.
        let saved = w
            .json(
                &boss,
                "POST",
                &format!("/api/v1/segments?{q}"),
                json!({"name": "老客", "filter": "orders >= 2 and r >= 3"}),
            )
            .await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.text());
        assert_eq!(saved.json()["size"].as_u64().unwrap(), loyal);
        let refused_save = w
            .json(
                &helper,
                "POST",
                &format!("/api/v1/segments?{q}"),
                json!({"name": "x", "filter": "r > 1"}),
            )
            .await;
        assert_eq!(refused_save.status, StatusCode::FORBIDDEN);
        let list = w
            .get(&helper, &format!("/api/v1/segments?{q}"))
            .await
            .json();
        assert_eq!(list, json!([list[0].clone()]));
        assert_eq!(list[0]["name"], "老客");
        assert_eq!(list[0]["size"].as_u64().unwrap(), loyal);
        assert_eq!(list[0]["saved_by"], "boss");

        let export = |who| {
            let w = &w;
            let q = q.clone();
            async move {
                let a = w
                    .get(
                        who,
                        &format!(
                            "/api/v1/segments/{}/export?{q}&format=csv",
                            urlencode("老客")
                        ),
                    )
                    .await;
                assert_eq!(a.status, StatusCode::OK, "{}", a.text());
                a.text().trim_start_matches('\u{feff}').to_owned()
            }
        };
        let full = export(&boss).await;
        let header = full.lines().next().unwrap();
        assert!(header.starts_with("buyer_id,region,last_order"), "{header}");
        assert_eq!(full.lines().count() as u64, loyal + 1);
        // The assistant may not see personal data: pseudonyms and no region.
        let anon = export(&helper).await;
        assert!(!anon.lines().next().unwrap().contains("region"));
        assert_eq!(anon.lines().count() as u64, loyal + 1);
        let real: Vec<&str> = full
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        for line in anon.lines().skip(1) {
            let id = line.split(',').next().unwrap();
            assert!(id.starts_with("会员-") && !real.contains(&id), "{line}");
        }
        let hv = w.get(&helper, &format!("/api/v1/members?{q}")).await.json();
        assert_eq!(hv["personal"], false);
        assert!(hv["win_back"]["customers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["buyer"].as_str().unwrap().starts_with("会员-")));

        // Saving and both exports are in the audit log.
        let audit: Value = w.get(&boss, "/api/v1/audit").await.json();
        let actions: Vec<String> = audit
            .as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{} {}", e["action"], e["detail"]))
            .collect();
        assert!(actions
            .iter()
            .any(|a| a.contains("segment.save") && a.contains("老客")));
        assert!(actions
            .iter()
            .any(|a| a.contains("segment.export") && a.contains("with personal data")));
        assert!(actions
            .iter()
            .any(|a| a.contains("segment.export") && a.contains("pseudonymous")));

        // The pages.
        let page = w.get(&boss, &format!("/members?{q}")).await;
        let html = page.text();
        assert_eq!(page.status, StatusCode::OK, "{html}");
        assert!(
            html.contains("重要价值客户") && html.contains("挽回名单"),
            "{html}"
        );
        let page = w.get(&boss, &format!("/members/segments?{q}")).await;
        let html = page.text();
        assert!(html.contains("老客") && html.contains("data-preview") && html.contains("p_alive"));
        let page = w
            .get(&helper, &format!("/members/segments?{q}"))
            .await
            .text();
        assert!(!page.contains("<textarea"), "an assistant gets no form");

        // Predicted value: the fitted models and the first buyers by lifetime value, or the
        // reason there is no fit; pseudonyms for the assistant.
        let value = w
            .get(&boss, &format!("/api/v1/members/value?{q}&limit=5"))
            .await
            .json();
        if let Some(fitted) = value["verdict"].get("fitted") {
            assert!(
                fitted["bg_nbd"]["log_likelihood"].as_f64().unwrap() < 0.0,
                "{value}"
            );
            let buyers = fitted["customers"].as_array().unwrap();
            assert_eq!(buyers.len(), 5);
            let ltv: Vec<f64> = buyers
                .iter()
                .map(|c| c["lifetime_value"]["amount"].as_f64().unwrap())
                .collect();
            assert!(ltv.windows(2).all(|x| x[0] >= x[1]));
            let hidden = w
                .get(&helper, &format!("/api/v1/members/value?{q}&limit=5"))
                .await
                .json();
            assert!(hidden["verdict"]["fitted"]["customers"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["buyer"].as_str().unwrap().starts_with("会员-")));
        } else {
            assert!(
                value["verdict"]["too_little_history"]["reason"].is_string(),
                "{value}"
            );
        }
        let bad = w
            .get(&boss, &format!("/api/v1/members/value?{q}&model=magic"))
            .await;
        refused(
            &bad,
            StatusCode::BAD_REQUEST,
            "bad_request",
            "bgnbd or pareto",
        );
        // Member day: three metrics, each lift inside its interval (or no estimate).
        let md = w
            .get(
                &boss,
                &format!("/api/v1/members/memberday?{q}&weekday=wed&since=2025-09-03"),
            )
            .await;
        assert_eq!(md.status, StatusCode::OK, "{}", md.text());
        let lifts = md.json()["lifts"].as_array().unwrap().clone();
        assert_eq!(lifts.len(), 3);
        for pair in &lifts {
            if let Some(l) = pair[1].as_object() {
                let (lo, mid, hi) = (
                    l["low"].as_f64().unwrap(),
                    l["lift"].as_f64().unwrap(),
                    l["high"].as_f64().unwrap(),
                );
                assert!(lo <= mid && mid <= hi, "{pair}");
            }
        }
        let bad = w
            .get(
                &boss,
                &format!("/api/v1/members/memberday?{q}&weekday=funday&since=2025-09-03"),
            )
            .await;
        refused(&bad, StatusCode::BAD_REQUEST, "bad_request", "funday");
        let page = w
            .get(&boss, &format!("/members?{q}&weekday=wed&since=2025-09-03"))
            .await
            .text();
        assert!(
            page.contains("class=\"lifts\"") && page.contains("访客数"),
            "{page}"
        );

        // Delete.
        let gone = w
            .send(
                &boss,
                "DELETE",
                &format!("/api/v1/segments/{}?{q}", urlencode("老客")),
                None,
                Vec::new(),
            )
            .await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.text());
        assert_eq!(
            w.get(&boss, &format!("/api/v1/segments?{q}")).await.json(),
            json!([])
        );
    });
}

fn urlencode(s: &str) -> String {
    zhanggui_web::pages::url_encode(s)
}
