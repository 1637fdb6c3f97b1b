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
        assert_eq!(
            after["compensation_minor"].as_i64().unwrap(),
            before["compensation_minor"].as_i64().unwrap() + 2000
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

        // Another shop's desk is closed to this agent.
        let closed = w.get(&kefu, &format!("/api/v1/scripts?shop={other}")).await;
        assert_eq!(closed.status, StatusCode::FORBIDDEN);
    });
}
