//! The customer-service desk in the cockpit: an agent searches the scripts their scope
//! allows, fills one for an order (a use is counted), asks the knowledge base, follows up
//! a bad review until its alert ends, takes and finishes an order follow-up; the page shows
//! all of it; other shops' desks stay closed.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::fixture::{block_on, refused, World};

fn enc(s: &str) -> String {
    zhanggui_web::pages::url_encode(s)
}

#[test]
fn the_desk_serves_agents_end_to_end() {
    block_on(async {
        let w = World::new(8_000);
        let kefu = w.login("kefu").await;
        let manager = w.login("manager").await;
        let shop = w.shops[0].name.as_str().to_owned();
        let other = w.shops[1].name.as_str().to_owned();
        let q = format!("shop={shop}");

        // Search by initials and pinyin; the agent sees public and 售后 scripts, not 售前's.
        let found = w.get(&kefu, &format!("/api/v1/scripts?{q}&q=fh")).await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.text());
        let hits = found.json();
        assert!(
            hits[0]["title"].as_str().unwrap().contains("发货"),
            "{hits:#}"
        );
        let tuihuo = w
            .get(&kefu, &format!("/api/v1/scripts?{q}&q=tuihuo"))
            .await
            .json();
        assert!(
            tuihuo[0]["title"].as_str().unwrap().contains("退货"),
            "{tuihuo:#}"
        );
        let all = w
            .get(&kefu, &format!("/api/v1/scripts?{q}&limit=200"))
            .await
            .json();
        let all = all.as_array().unwrap();
        assert!(all.iter().any(|s| s["department"] == "售后"));
        assert!(all.iter().all(|s| s["department"] != "售前"));
        let managers = w
            .get(&manager, &format!("/api/v1/scripts?{q}&limit=200"))
            .await
            .json();
        assert!(managers
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["department"] == "售前"));

        // Fill a script for a real order: the variables come from the order; a use is counted.
        let tracking = all
            .iter()
            .find(|s| s["text"].as_str().unwrap().contains("{物流单号}"))
            .expect("a script with the tracking number");
        let id = tracking["id"].as_i64().unwrap();
        let tasks = w.get(&kefu, &format!("/api/v1/tasks?{q}")).await;
        assert_eq!(tasks.status, StatusCode::OK, "{}", tasks.text());
        let tasks = tasks.json();
        let stalled: Vec<&Value> = tasks
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"] == "tracking_stalled")
            .collect();
        assert!(
            !stalled.is_empty(),
            "the demo has stalled parcels: {tasks:#}"
        );
        let order = stalled[0]["order_no"].as_str().unwrap().to_owned();
        let filled = w
            .json(
                &kefu,
                "POST",
                &format!("/api/v1/scripts/{id}/fill?{q}"),
                json!({"order_no": order}),
            )
            .await;
        assert_eq!(filled.status, StatusCode::OK, "{}", filled.text());
        let text = filled.json()["text"].as_str().unwrap().to_owned();
        assert!(text.contains("YT") && !text.contains('{'), "{text}");
        let again = w
            .get(&kefu, &format!("/api/v1/scripts?{q}&limit=1"))
            .await
            .json();
        assert_eq!(again[0]["id"], id, "the most used script comes first");
        assert_eq!(again[0]["my_uses"], 1);
        // Without an order, a variable without a value is an error naming it.
        let missing = w
            .json(
                &kefu,
                "POST",
                &format!("/api/v1/scripts/{id}/fill?{q}"),
                json!({}),
            )
            .await;
        refused(&missing, StatusCode::BAD_REQUEST, "bad_request", "物流单号");

        // The knowledge base answers a buyer's question.
        let answers = w
            .get(
                &kefu,
                &format!("/api/v1/knowledge/suggest?{q}&q={}", enc("退货运费谁出")),
            )
            .await
            .json();
        assert_eq!(answers.as_array().unwrap().len(), 3);
        assert!(
            answers[0]["answer"].as_str().unwrap().contains("运费"),
            "{answers:#}"
        );

        // A bad review: an alert with reply scripts filled for its order; followed up, it ends.
        let alerts = w
            .get(&kefu, &format!("/api/v1/reviews?{q}&alerts=true"))
            .await
            .json();
        let alerts = alerts.as_array().unwrap();
        assert!(!alerts.is_empty());
        let first = &alerts[0];
        assert!(
            !first["suggested"].as_array().unwrap().is_empty(),
            "{first:#}"
        );
        assert!(!first["replies"][0].as_str().unwrap().contains('{'));
        let review = first["review_id"].as_str().unwrap().to_owned();
        let before = w
            .get(&kefu, &format!("/api/v1/reviews/metrics?{q}"))
            .await
            .json();
        let url = format!("/api/v1/reviews/{review}/actions?{q}");
        let contact = w
            .json(&kefu, "POST", &url, json!({"action": "contact"}))
            .await;
        assert_eq!(contact.status, StatusCode::CREATED, "{}", contact.text());
        let bad = w
            .json(&kefu, "POST", &url, json!({"action": "compensation"}))
            .await;
        refused(&bad, StatusCode::BAD_REQUEST, "bad_request", "amount");
        let comp = w
            .json(
                &kefu,
                "POST",
                &url,
                json!({"action": "compensation", "amount": "20"}),
            )
            .await;
        assert_eq!(comp.status, StatusCode::CREATED);
        let closed = w
            .json(&kefu, "POST", &url, json!({"action": "replied"}))
            .await;
        assert_eq!(closed.status, StatusCode::CREATED);
        let unknown = w
            .json(
                &kefu,
                "POST",
                &format!("/api/v1/reviews/R-none/actions?{q}"),
                json!({"action": "note"}),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let after = w
            .get(&kefu, &format!("/api/v1/reviews/metrics?{q}"))
            .await
            .json();
        assert_eq!(
            after["open_alerts"].as_u64().unwrap() + 1,
            before["open_alerts"].as_u64().unwrap()
        );
        assert_eq!(after["compensation"]["currency"], "CNY");
        assert_eq!(
            after["compensation"]["amount"].as_f64().unwrap(),
            before["compensation"]["amount"].as_f64().unwrap() + 20.0
        );

        // Take a task, then finish it.
        let tasks_url = format!("/api/v1/tasks?{q}");
        let set = |body: Value| w.json(&kefu, "POST", &tasks_url, body);
        let took =
            set(json!({"kind": "tracking_stalled", "order_no": order, "owner": "kefu"})).await;
        assert_eq!(took.status, StatusCode::NO_CONTENT, "{}", took.text());
        let listed = w.get(&kefu, &format!("/api/v1/tasks?{q}")).await.json();
        let mine = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["order_no"] == order.as_str())
            .unwrap();
        assert_eq!(mine["owner"], "kefu");
        let done = set(json!({"kind": "tracking_stalled", "order_no": order, "done": true})).await;
        assert_eq!(done.status, StatusCode::NO_CONTENT);
        let listed = w.get(&kefu, &format!("/api/v1/tasks?{q}")).await.json();
        assert!(!listed
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["order_no"] == order.as_str() && t["kind"] == "tracking_stalled"));
        let wrong = set(json!({"kind": "lost", "order_no": order})).await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);

        // The page: scripts found server-side, the review alerts, the tasks; in the menu.
        let page = w
            .get(
                &kefu,
                &format!("/desk?{q}&q=tuihuo&ask={}", enc("什么时候发货")),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(
            html.contains(">客服台</a>"),
            "the desk is in the agent's menu"
        );
        assert!(html.contains("退货"));
        assert!(html.contains("中差评提醒") && html.contains("待跟进订单"));
        assert!(
            html.contains("desk&#x2f;reviews&#x2f;follow") || html.contains("/desk/reviews/follow")
        );
        // The page's own forms work: a note on a review, taking a task.
        let csrf = kefu.csrf.clone().unwrap();
        let form = format!("csrf={csrf}&id={review}&action=note&note=ok");
        let posted = w
            .send(
                &kefu,
                "POST",
                &format!("/desk/reviews/follow?{q}"),
                Some("application/x-www-form-urlencoded"),
                form.into_bytes(),
            )
            .await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text());
        // An agent adds a personal script from the page; the library's rules refuse a
        // public one.
        let script_form = |scope: &str| {
            format!("csrf={csrf}&scope={scope}&category=%E5%94%AE%E5%90%8E&title=%E9%A1%B5%E9%9D%A2%E8%AF%9D%E6%9C%AF&text=%E4%BA%B2&shortcut=ymhs&tags=a+b")
        };
        let added = w
            .send(
                &kefu,
                "POST",
                &format!("/desk/scripts?{q}"),
                Some("application/x-www-form-urlencoded"),
                script_form("personal").into_bytes(),
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
        let found = w
            .get(&kefu, &format!("/api/v1/scripts?{q}&q=ymhs"))
            .await
            .json();
        assert_eq!(
            (found[0]["title"].as_str(), found[0]["scope"].as_str()),
            (Some("页面话术"), Some("personal"))
        );
        let public = w
            .send(
                &kefu,
                "POST",
                &format!("/desk/scripts?{q}"),
                Some("application/x-www-form-urlencoded"),
                script_form("public").into_bytes(),
            )
            .await;
        assert_eq!(public.status, StatusCode::FORBIDDEN);

        // A review export uploaded from the page: the page says what it did, the rows it
        // could not read included.
        let (ct, body) = super::fixture::multipart(
            &[("csrf", &csrf), ("kind", "reviews")],
            &[(
                "file",
                "评价.csv",
                "评价时间,订单编号,评价结果,评价内容\n2025-11-30 10:00:00,8001,差评,物流太慢了\n2025-11-30 10:00:00,8002,很好,好\n"
                    .as_bytes()
                    .to_vec(),
            )],
        );
        let uploaded = w
            .send(&kefu, "POST", &format!("/desk/files?{q}"), Some(&ct), body)
            .await;
        assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.text());
        let html = uploaded.text();
        assert!(
            html.contains("导入评价: 1 读取行数, 1 新增"),
            "{}",
            html.split("class=\"notice\">")
                .nth(1)
                .unwrap_or("no notice")
                .chars()
                .take(300)
                .collect::<String>()
        );
        assert!(html.contains("行 3"));
        // Task details in the page's language.
        assert!(html.contains("小时未发货") || html.contains("小时没有更新"));

        // Another shop's desk is closed to this agent.
        let closed = w.get(&kefu, &format!("/api/v1/scripts?shop={other}")).await;
        assert_eq!(closed.status, StatusCode::FORBIDDEN);
    });
}

#[test]
fn the_library_and_the_desk_files_change_through_the_api() {
    block_on(async {
        let w = World::new(4_000);
        let kefu = w.login("kefu").await;
        let manager = w.login("manager").await;
        let shop = w.shops[0].name.as_str().to_owned();
        let q = format!("shop={shop}");
        let scripts = format!("/api/v1/scripts?{q}");
        let script = |title: &str, scope: &str, text: &str| {
            json!({"scope": scope, "department": null, "category": "售后", "subcategory": "退货",
                   "title": title, "text": text, "shortcut": "apith", "tags": ["退货"]})
        };

        // Managers add public scripts; agents only their own; variables are checked.
        let added = w
            .json(
                &manager,
                "POST",
                &scripts,
                script("接口退货说明", "public", "亲爱的{买家昵称}，请寄回"),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
        let id = added.json()["id"].as_i64().unwrap();
        let refused_public = w
            .json(&kefu, "POST", &scripts, script("客服公共", "public", "亲"))
            .await;
        assert_eq!(
            refused_public.status,
            StatusCode::FORBIDDEN,
            "{}",
            refused_public.text()
        );
        let mine = w
            .json(
                &kefu,
                "POST",
                &scripts,
                script("我的退货", "personal", "亲，我来处理"),
            )
            .await;
        assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.text());
        let bad = w
            .json(
                &manager,
                "POST",
                &scripts,
                script("坏变量", "public", "亲爱的{买家名字}"),
            )
            .await;
        refused(&bad, StatusCode::BAD_REQUEST, "bad_request", "买家名字");
        // The managers do not see the agent's personal script; the agent finds it.
        let found = w
            .get(&kefu, &format!("{scripts}&q={}", enc("我的退货")))
            .await
            .json();
        assert_eq!(found[0]["title"], "我的退货");
        let theirs = w
            .get(&manager, &format!("{scripts}&limit=200"))
            .await
            .json();
        assert!(!theirs
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["title"] == "我的退货"));

        // Edit, versions, restore, delete, restore again.
        let one = format!("/api/v1/scripts/{id}?{q}");
        let edited = w
            .json(
                &manager,
                "PUT",
                &one,
                script("接口退货说明", "public", "亲，请7天内寄回"),
            )
            .await;
        assert_eq!(edited.json()["version"], 2, "{}", edited.text());
        let versions = w
            .get(&kefu, &format!("/api/v1/scripts/{id}/versions?{q}"))
            .await
            .json();
        assert_eq!(versions.as_array().unwrap().len(), 2);
        let restored = w
            .json(
                &manager,
                "POST",
                &format!("/api/v1/scripts/{id}/restore?{q}"),
                json!({"version": 1}),
            )
            .await;
        assert_eq!(restored.json()["version"], 3);
        let deleted = w.send(&manager, "DELETE", &one, None, Vec::new()).await;
        assert_eq!(deleted.json()["deleted"], true, "{}", deleted.text());
        let gone = w.get(&kefu, &format!("{scripts}&q=apith")).await.json();
        assert!(!gone.as_array().unwrap().iter().any(|s| s["id"] == id));
        let back = w
            .json(
                &manager,
                "POST",
                &format!("/api/v1/scripts/{id}/restore?{q}"),
                json!({"version": 3}),
            )
            .await;
        assert_eq!(back.status, StatusCode::OK);
        let text = w.get(&kefu, &format!("{scripts}&q=apith")).await.json();
        assert_eq!(text[0]["text"], "亲爱的{买家昵称}，请寄回");

        // Export, then import the same file: nothing new; a changed row is a conflict,
        // applied only when asked.
        let csv = w
            .get(&manager, &format!("/api/v1/scripts/export?{q}"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        let csv = csv.text();
        assert!(csv.starts_with('\u{feff}') && csv.contains("接口退货说明"));
        let import_url = format!("/api/v1/scripts/import?{q}");
        let replace_url = format!("{import_url}&replace=true");
        let import = |body: String, replace: bool| {
            let url = if replace { &replace_url } else { &import_url };
            w.send(&manager, "POST", url, Some("text/csv"), body.into_bytes())
        };
        let same = import(csv.clone(), false).await.json();
        assert_eq!(
            (
                same["inserted"].as_u64(),
                same["conflicts"].as_array().unwrap().len()
            ),
            (Some(0), 0),
            "{same}"
        );
        assert!(same["unchanged"].as_u64().unwrap() > 80);
        let changed = csv.replace("亲爱的{买家昵称}，请寄回", "亲爱的{买家昵称}，请尽快寄回");
        let kept = import(changed.clone(), false).await.json();
        assert_eq!(kept["conflicts"][0]["applied"], false, "{kept}");
        let applied = import(changed, true).await.json();
        assert_eq!(applied["replaced"], 1, "{applied}");

        // Review and tracking files sent as the body.
        let reviews = "评价时间,订单编号,宝贝名称,买家昵称,评价结果,评价内容\n2025-11-30 10:00:00,9001,围巾,小A,差评,发错货了\n2025-11-30 11:00:00,9002,围巾,小B,很好,好\n";
        let r = w
            .send(
                &kefu,
                "POST",
                &format!("/api/v1/reviews/import?{q}"),
                Some("text/csv"),
                reviews.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = r.json();
        assert_eq!(
            (r["new"].as_u64(), r["rejected"][0]["row"].as_u64()),
            (Some(1), Some(3))
        );
        let tracking = "订单编号,时间,物流信息\n9001,2025-11-28 10:00:00,已揽收\n";
        let t = w
            .send(
                &kefu,
                "POST",
                &format!("/api/v1/tracking/import?{q}"),
                Some("text/csv"),
                tracking.as_bytes().to_vec(),
            )
            .await
            .json();
        assert_eq!(t["new"], 1, "{t}");
        let empty = w
            .send(
                &kefu,
                "POST",
                &format!("/api/v1/tracking/import?{q}"),
                Some("text/csv"),
                Vec::new(),
            )
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);

        // Notification rules: managers only; a robot that does not answer fails, logged.
        let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = dead.local_addr().unwrap().port();
        drop(dead);
        let rules = format!("/api/v1/notify/rules?{q}");
        let rule = json!({"name": "群", "channel": "wecom", "to": format!("http://127.0.0.1:{port}/cgi-bin/webhook/send?key=K"), "events": ["bad_review"]});
        assert_eq!(
            w.json(&kefu, "POST", &rules, rule.clone()).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            w.json(&manager, "POST", &rules, rule).await.status,
            StatusCode::CREATED
        );
        let bad_rule = w
            .json(
                &manager,
                "POST",
                &rules,
                json!({"name": "x", "channel": "fax", "to": "1"}),
            )
            .await;
        refused(&bad_rule, StatusCode::BAD_REQUEST, "bad_request", "fax");
        let run = w
            .send(
                &manager,
                "POST",
                &format!("/api/v1/notify/run?{q}"),
                None,
                Vec::new(),
            )
            .await;
        assert_eq!(run.status, StatusCode::OK, "{}", run.text());
        let run = run.json();
        assert!(
            run["failed"].as_u64().unwrap() >= 1 && run["sent"] == 0,
            "{run}"
        );
        let log = w
            .get(&manager, &format!("/api/v1/notify/log?{q}"))
            .await
            .json();
        assert!(log
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["ok"] == false && d["rule"] == "群"));
        // The same from the page: managers see the rules and the log, add a rule with two
        // alert kinds, send now; agents see none of it.
        let page = w.get(&manager, &format!("/desk?{q}")).await.text();
        assert!(
            page.contains("/desk/notify/run") && page.contains("群"),
            "{}",
            page.split("<main>")
                .nth(1)
                .unwrap_or(&page)
                .chars()
                .take(600)
                .collect::<String>()
        );
        let agent_page = w.get(&kefu, &format!("/desk?{q}")).await.text();
        assert!(!agent_page.contains("/desk/notify/run"));
        let csrf = manager.csrf.clone().unwrap();
        let form = format!(
            "csrf={csrf}&name=mail&channel=email&to=boss%40shop.cn&from=a%40shop.cn&secret=smtp%3A%2F%2F127.0.0.1%3A{port}&event=bad_review&event=unpaid"
        );
        let saved = w
            .send(
                &manager,
                "POST",
                &format!("/desk/notify/rules?{q}"),
                Some("application/x-www-form-urlencoded"),
                form.into_bytes(),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let listed = w.get(&manager, &rules).await.json();
        let mail = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "mail")
            .unwrap();
        assert_eq!(mail["events"], json!(["bad_review", "unpaid"]));
        assert!(mail.get("secret").is_none(), "secrets are never shown");
        let del = format!("csrf={csrf}&name=mail");
        let deleted = w
            .send(
                &manager,
                "POST",
                &format!("/desk/notify/rules/delete?{q}"),
                Some("application/x-www-form-urlencoded"),
                del.into_bytes(),
            )
            .await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER);
        assert!(!w.get(&manager, &rules).await.text().contains("\"mail\""));
        assert_eq!(
            log.as_array()
                .unwrap()
                .iter()
                .filter(|d| d["alert_key"] == log[0]["alert_key"])
                .count(),
            3,
            "three attempts"
        );
    });
}
