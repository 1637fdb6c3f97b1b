//! The JSON API: the same numbers as the analytics, sessions, tokens, CSRF, login limits,
//! uploads and exports.

use axum::http::StatusCode;
use serde_json::json;
use zhanggui_analytics::{report, Compare, PeriodSpec, ReportRequest};
use zhanggui_domain::metrics::Unit;

use super::fixture::{block_on, multipart, refused, Client, World};

#[test]
fn the_overview_serves_the_numbers_of_the_report() {
    block_on(async {
        let w = World::new(3000);
        let boss = w.login("boss").await;
        let shop = w.shops[0].clone();
        let o = w
            .get(
                &boss,
                "/api/v1/overview?shop=demo-taobao&period=30d&compare=prev",
            )
            .await;
        assert_eq!(o.status, StatusCode::OK, "{}", o.text());
        let o = o.json();
        let expected = w
            .state
            .db
            .read(move |store| {
                Ok(report(
                    store,
                    &shop,
                    ReportRequest {
                        period: PeriodSpec::LastDays(30),
                        compare: Compare::Previous,
                        anchor: None,
                    },
                )
                .unwrap())
            })
            .await
            .unwrap();
        assert_eq!(o["period"]["to"], expected.period.to.to_string());
        let kpis = o["kpis"].as_array().unwrap();
        assert_eq!(kpis.len(), expected.kpis.len());
        for (got, want) in kpis.iter().zip(&expected.kpis) {
            assert_eq!(got["id"], want.id);
            // JSON carries f64 to within one unit in the last place; money is a decimal of
            // yuan (rounded to the fen), with its currency.
            let same = |a: &serde_json::Value, b: Option<f64>| match (a, b) {
                (serde_json::Value::Object(m), Some(b)) => {
                    m["currency"] == "CNY"
                        && (m["amount"].as_f64().unwrap() * 100.0 - b).abs() <= 0.5 + 1e-6
                }
                (a, Some(b)) => (a.as_f64().unwrap() - b).abs() <= 1e-12 * b.abs().max(1.0),
                (a, None) => a.is_null(),
            };
            assert!(
                same(&got["current"], want.current.value),
                "{}: {got}",
                want.id
            );
            assert!(
                same(&got["previous"], want.previous.value),
                "{}: {got}",
                want.id
            );
            assert_eq!(
                got["current"].is_object(),
                want.unit == Unit::Money && want.current.value.is_some(),
                "{got}"
            );
        }
        let cards: Vec<&str> = o["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            cards,
            [
                "paid_amount",
                "visitors",
                "pay_conversion",
                "avg_order_value",
                "paid_buyers",
                "refund_rate"
            ]
        );
        let paid = &o["cards"][0];
        assert!(paid["shown"]["current"].as_str().unwrap().starts_with('¥'));
        // The trend has a value for every day of both periods.
        assert_eq!(o["trend"]["days"].as_array().unwrap().len(), 30);
        assert_eq!(o["trend"]["compared"].as_array().unwrap().len(), 30);
        let trend_sum: f64 = o["trend"]["current"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["amount"].as_f64().unwrap_or(0.0) * 100.0)
            .sum();
        assert_eq!(
            Some(trend_sum.round()),
            expected.kpis[0].current.value,
            "days add up to the period"
        );
        assert!(o["top_findings"].as_array().unwrap().len() <= 5);

        // A period that is not one is refused with the one error shape.
        let bad = w.get(&boss, "/api/v1/overview?period=fortnight").await;
        refused(&bad, StatusCode::BAD_REQUEST, "bad_request", "fortnight");
    });
}

#[test]
fn sessions_need_csrf_tokens_and_api_tokens_do_not() {
    block_on(async {
        let w = World::new(2000);
        let boss = w.login("boss").await;
        let no_csrf = Client {
            csrf: None,
            ..boss.clone()
        };
        let put = |c: Client| {
            let w = &w;
            async move {
                w.json(
                    &c,
                    "PUT",
                    "/api/v1/settings/thresholds?shop=demo-taobao",
                    json!({"alpha": "0.01"}),
                )
                .await
            }
        };
        let refused = put(no_csrf).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.json()["error"]["code"], "forbidden");
        let ok = put(boss.clone()).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
        let alpha = ok
            .json()
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == "alpha")
            .unwrap()
            .clone();
        assert_eq!(alpha["value"], 0.01);
        let bad = w
            .json(
                &boss,
                "PUT",
                "/api/v1/settings/thresholds?shop=demo-taobao",
                json!({"alpha": "2"}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);

        // An API token: no cookie, no CSRF; shown once; revoked, it stops working.
        let made = w
            .json(&boss, "POST", "/api/v1/tokens", json!({"name": "script"}))
            .await;
        assert_eq!(made.status, StatusCode::CREATED);
        let secret = made.json()["token"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("zg_"));
        let script = Client {
            bearer: Some(secret.clone()),
            ..Client::default()
        };
        let me = w.get(&script, "/api/v1/me").await;
        assert_eq!(me.json()["login"], "boss");
        let changed = put(script.clone()).await;
        assert_eq!(changed.status, StatusCode::OK);
        let listed = w.get(&boss, "/api/v1/tokens").await.json();
        assert!(
            !listed.to_string().contains(&secret),
            "the secret is never listed"
        );
        let id = made.json()["id"].as_i64().unwrap();
        let gone = w
            .send(
                &boss,
                "DELETE",
                &format!("/api/v1/tokens/{id}"),
                None,
                Vec::new(),
            )
            .await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT);
        assert_eq!(
            w.get(&script, "/api/v1/me").await.status,
            StatusCode::UNAUTHORIZED
        );

        // Signing out ends the session.
        let out = w
            .send(&boss, "DELETE", "/api/v1/session", None, Vec::new())
            .await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        assert_eq!(
            w.get(&boss, "/api/v1/me").await.status,
            StatusCode::UNAUTHORIZED
        );

        // The audit log saw the logins and the setting changes.
        let boss = w.login("boss").await;
        let log = w.get(&boss, "/api/v1/audit").await.json();
        let actions: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&"login")
                && actions.contains(&"settings")
                && actions.contains(&"token_add")
        );
    });
}

#[test]
fn failed_logins_are_limited() {
    block_on(async {
        let w = World::new(500);
        for _ in 0..5 {
            let a = w
                .json(
                    &Client::default(),
                    "POST",
                    "/api/v1/session",
                    json!({"login": "boss", "password": "wrong password"}),
                )
                .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        }
        let a = w
            .json(
                &Client::default(),
                "POST",
                "/api/v1/session",
                json!({"login": "boss", "password": super::fixture::PASSWORD}),
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::TOO_MANY_REQUESTS,
            "even the right password waits"
        );
        assert_eq!(a.json()["error"]["code"], "too_many_attempts");
        // Another login is not held up by boss's failures.
        let other = w
            .json(
                &Client::default(),
                "POST",
                "/api/v1/session",
                json!({"login": "manager", "password": super::fixture::PASSWORD}),
            )
            .await;
        assert_eq!(other.status, StatusCode::OK);
    });
}

/// Two new orders copied from the demo's Shopify export, paid on its last day: one whole,
/// one whose unit price is not a number.
fn new_orders(w: &World) -> Vec<u8> {
    let path = w.files_dir().join("orders_export.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (name, paid, created, price) = (
        col("Name"),
        col("Paid at"),
        col("Created at"),
        col("Lineitem price"),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let last_paid = rows
        .iter()
        .map(|r| r[paid].to_owned())
        .filter(|p| !p.is_empty())
        .max()
        .unwrap();
    let first = rows.iter().find(|r| !r[paid].is_empty()).unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header).unwrap();
    for (n, bad) in [("#NEW-1", false), ("#NEW-2", true)] {
        let mut r: Vec<String> = first.iter().map(str::to_owned).collect();
        r[name] = n.to_owned();
        r[paid] = last_paid.clone();
        r[created] = last_paid.clone();
        if bad {
            r[price] = "abc".into();
        }
        out.write_record(&r).unwrap();
    }
    out.into_inner().unwrap()
}

#[test]
fn an_upload_is_imported_reported_and_seen_by_the_overview() {
    block_on(async {
        let w = World::new(2000);
        let boss = w.login("boss").await;
        let overview = "/api/v1/overview?shop=demo-shopify&period=7d";
        let before = w.get(&boss, overview).await.json();
        let (ct, body) = multipart(&[], &[("file", "orders_export.csv", new_orders(&w))]);
        let started = w
            .send(
                &boss,
                "POST",
                "/api/v1/imports?shop=demo-shopify",
                Some(&ct),
                body,
            )
            .await;
        assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.text());
        let id = started.json()["job"]["id"].as_u64().unwrap();
        let mut job = serde_json::Value::Null;
        for _ in 0..400 {
            job = w
                .get(&boss, &format!("/api/v1/imports/jobs/{id}"))
                .await
                .json();
            if job["finished"] == true {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(job["finished"], true, "{job}");
        let file = &job["files"][0];
        assert_eq!(file["status"], "done", "{job}");
        assert_eq!(file["outcome"]["rows_read"], 2, "{job}");
        assert_eq!(file["outcome"]["rejected"], 1, "{job}");
        assert!(
            !job.to_string().contains(w.dir.path().to_str().unwrap()),
            "no server path leaks"
        );
        let rejects = w
            .get(&boss, &format!("/api/v1/imports/jobs/{id}/rejects/0"))
            .await;
        assert_eq!(rejects.status, StatusCode::OK);
        let text = rejects.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "a header and the one refused row: {text}");
        assert_eq!(
            lines[1],
            "orders_export.csv,3,Lineitem price,abc,`abc` is not a number"
        );
        let history = w
            .get(&boss, "/api/v1/imports?shop=demo-shopify")
            .await
            .json();
        assert!(history["history"][0]["file_name"]
            .as_str()
            .unwrap()
            .ends_with("orders_export.csv"));
        // The new order falls in the last 7 days: the overview is recomputed, not cached.
        let after = w.get(&boss, overview).await.json();
        let orders = |o: &serde_json::Value| {
            o["kpis"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| k["id"] == "paid_orders")
                .unwrap()["current"]
                .as_f64()
                .unwrap()
        };
        assert_eq!(
            orders(&after),
            orders(&before) + 1.0,
            "the import shows in the overview"
        );

        // An upload without a file is refused and says why.
        let (ct, body) = multipart(&[("format", "")], &[]);
        let empty = w
            .send(
                &boss,
                "POST",
                "/api/v1/imports?shop=demo-shopify",
                Some(&ct),
                body,
            )
            .await;
        refused(&empty, StatusCode::BAD_REQUEST, "bad_request", "no file");
    });
}

#[test]
fn every_table_exports_to_csv_and_excel() {
    block_on(async {
        let w = World::new(2000);
        let boss = w.login("boss").await;
        for table in zhanggui_web::export::TABLES {
            let csv = w
                .get(
                    &boss,
                    &format!("/api/v1/export/{table}?shop=demo-taobao&format=csv"),
                )
                .await;
            assert_eq!(csv.status, StatusCode::OK, "{table}: {}", csv.text());
            assert!(
                csv.body.starts_with(b"\xEF\xBB\xBF"),
                "{table}: Excel reads it as UTF-8"
            );
            assert!(csv.text().lines().count() >= 2, "{table} has rows");
            let xlsx = w
                .get(
                    &boss,
                    &format!("/api/v1/export/{table}?shop=demo-taobao&format=xlsx"),
                )
                .await;
            assert_eq!(xlsx.status, StatusCode::OK);
            assert!(xlsx.body.starts_with(b"PK"), "{table}: an xlsx is a zip");
            assert!(xlsx.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains(".xlsx"));
        }
        let products = w
            .get(&boss, "/api/v1/export/products?shop=demo-taobao&format=csv")
            .await
            .text();
        let api = w
            .get(&boss, "/api/v1/products?shop=demo-taobao")
            .await
            .json();
        assert_eq!(
            products.lines().count() - 1,
            api["products"].as_array().unwrap().len(),
            "the export holds every product the page lists"
        );
        let nope = w
            .get(&boss, "/api/v1/export/everything?shop=demo-taobao")
            .await;
        assert_eq!(nope.status, StatusCode::NOT_FOUND);
    });
}

#[test]
fn new_shops_and_roles_take_effect_at_once() {
    block_on(async {
        let w = World::new(500);
        let boss = w.login("boss").await;
        let kefu = w.login("kefu").await;
        // Both are remembered by the server now; what changes must not be served stale.
        assert_eq!(
            w.get(&kefu, "/api/v1/shops")
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let made = w
            .json(
                &boss,
                "POST",
                "/api/v1/shops",
                json!({"name": "京东店", "platform": "jd"}),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
        let shops = w.get(&boss, "/api/v1/shops").await.json();
        assert!(shops.to_string().contains("京东店"), "{shops}");
        let me = w.get(&kefu, "/api/v1/me").await.json();
        let id = me["id"].as_i64().unwrap();
        let before = w.get(&kefu, "/api/v1/overview?shop=demo-taobao").await;
        refused(&before, StatusCode::FORBIDDEN, "forbidden", "view_reports");
        let granted = w
            .json(
                &boss,
                "PUT",
                &format!("/api/v1/users/{id}/roles"),
                json!({"shop": "demo-taobao", "role": "manager"}),
            )
            .await;
        assert_eq!(granted.status, StatusCode::NO_CONTENT, "{}", granted.text());
        let after = w.get(&kefu, "/api/v1/overview?shop=demo-taobao").await;
        assert_eq!(after.status, StatusCode::OK, "the new role counts at once");
        let taken = w
            .json(
                &boss,
                "PUT",
                &format!("/api/v1/users/{id}/roles"),
                json!({"shop": "demo-taobao", "role": null}),
            )
            .await;
        assert_eq!(taken.status, StatusCode::NO_CONTENT);
        let gone = w.get(&kefu, "/api/v1/overview?shop=demo-taobao").await;
        assert_eq!(
            gone.status,
            StatusCode::FORBIDDEN,
            "and so does taking it away"
        );
        let owner_grant = w
            .json(
                &boss,
                "PUT",
                &format!("/api/v1/users/{id}/roles"),
                json!({"shop": "demo-taobao", "role": "owner"}),
            )
            .await;
        refused(
            &owner_grant,
            StatusCode::BAD_REQUEST,
            "bad_request",
            "owner",
        );
    });
}

/// Uploads files into a shop in one job, waits for it to finish and returns it as the API
/// shows it.
async fn upload_and_wait(
    w: &World,
    user: &Client,
    shop: &str,
    files: Vec<(&str, Vec<u8>)>,
) -> serde_json::Value {
    let parts: Vec<(&str, &str, Vec<u8>)> =
        files.into_iter().map(|(n, b)| ("file", n, b)).collect();
    let (ct, body) = multipart(&[], &parts);
    let uri = format!("/api/v1/imports?shop={shop}");
    let started = w.send(user, "POST", &uri, Some(&ct), body).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.text());
    let id = started.json()["job"]["id"].as_u64().unwrap();
    for _ in 0..400 {
        let job = w
            .get(user, &format!("/api/v1/imports/jobs/{id}"))
            .await
            .json();
        if job["finished"] == true {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("import job {id} did not finish");
}

#[test]
fn an_upload_of_several_files_is_checked_once_after_the_last() {
    block_on(async {
        let w = World::new(2000);
        let boss = w.login("boss").await;
        let orders = |no: &str| {
            format!(
                "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间\n\
                 {no},新买家,10.00,交易成功,2025-11-30 10:00:00\n"
            )
            .into_bytes()
        };
        let lines =
            |no: &str| format!("订单编号,标题,价格,购买数量\n{no},新宝贝,10.00,1\n").into_bytes();
        let without_lines = |job: &serde_json::Value| {
            job["quality"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["kind"] == "orders_without_lines")
                .map_or(0, |q| q["count"].as_u64().unwrap())
        };
        // An order report alone: its order has no lines, and the job's checks say so.
        let alone = upload_and_wait(
            &w,
            &boss,
            "demo-taobao",
            vec![("ExportOrderList.csv", orders("Z-NEW-1"))],
        )
        .await;
        let count = without_lines(&alone);
        assert!(count >= 1, "{alone}");
        // An order report and its line report in one upload: checked once, after both
        // files, so the new order is not counted as one without lines.
        let both = upload_and_wait(
            &w,
            &boss,
            "demo-taobao",
            vec![
                ("ExportOrderList2.csv", orders("Z-NEW-2")),
                ("ExportOrderDetailList2.csv", lines("Z-NEW-2")),
            ],
        )
        .await;
        assert_eq!(both["files"][1]["status"], "done", "{both}");
        assert_eq!(without_lines(&both), count, "{both}");
        for f in both["files"].as_array().unwrap() {
            assert_eq!(f["outcome"]["quality"], serde_json::json!([]), "{both}");
        }
    });
}
