//! Walks every route of the server and proves the refusals: a user without rights in a
//! shop is refused by each route that touches it, an agent reaches neither settings nor
//! users, and nobody unsigned reaches anything but the login.

use axum::http::StatusCode;
use serde_json::json;
use zhanggui_web::auth::Right;
use zhanggui_web::{Access, ROUTES};

use super::fixture::{block_on, multipart, Client, World};

fn fill(path: &str, job: u64) -> String {
    path.replace("{code}", "P0001")
        .replace("{id}", &job.to_string())
        .replace("{file}", "0")
        .replace("{table}", "kpis")
        .replace("{name}", "s")
}

/// A request to `path` naming `shop`, with a body fit for the route.
async fn call(
    w: &World,
    who: &Client,
    method: &str,
    path: &str,
    shop: &str,
) -> super::fixture::Answer {
    let csrf = who.csrf.clone().unwrap_or_default();
    let uri = format!("{path}?shop={shop}");
    let api = path.starts_with("/api/");
    match (method, path) {
        ("POST", "/import")
        | ("POST", "/api/v1/imports")
        | ("POST", "/desk/files")
        | ("POST", "/profit/costs")
        | ("POST", "/ads/import") => {
            let (ct, body) = multipart(
                &[("csrf", &csrf)],
                &[("file", "x.csv", b"a,b\n1,2\n".to_vec())],
            );
            w.send(who, "POST", &uri, Some(&ct), body).await
        }
        ("POST", _) | ("PUT", _) | ("DELETE", _) if api => {
            let body = match path {
                "/api/v1/settings/thresholds" => json!({"alpha": "0.01"}),
                "/api/v1/shops" => json!({"name": "new-shop", "platform": "jd"}),
                "/api/v1/users" => json!({"login": "intruder", "password": "long enough pw"}),
                p if p.ends_with("/roles") => json!({"shop": shop, "role": "director"}),
                "/api/v1/tokens" => json!({"name": "t"}),
                "/api/v1/segments" => json!({"name": "s", "filter": "r > 1"}),
                "/api/v1/tasks" => json!({"kind": "unshipped", "order_no": "1", "done": true}),
                "/api/v1/notify/rules" => {
                    json!({"name": "r", "channel": "wecom", "to": "https://x"})
                }
                p if p.ends_with("/restore") => json!({"version": 1}),
                p if p.starts_with("/api/v1/scripts") && !p.contains("import") => json!({
                    "scope": "public", "category": "售后", "title": "t", "text": "亲"
                }),
                p if p.ends_with("/fill") => json!({"values": {"买家昵称": "x"}}),
                p if p.ends_with("/actions") => json!({"action": "note", "note": "x"}),
                "/api/v1/session" => json!({"login": "x", "password": "y"}),
                "/api/v1/me/language" => json!({"language": "en"}),
                _ => json!({}),
            };
            w.json(who, method, &uri, body).await
        }
        ("POST", _) => {
            let form = format!(
                "csrf={csrf}&alpha=0.01&login=intruder&password=long+enough+pw&name=new-shop&platform=jd&user=2&shop={shop}&role=director&language=en&filter=r+%3E+1&id=R1&action=note&kind=unshipped&order=1&do=done&scope=public&category=c&title=t&text=x"
            );
            w.send(
                who,
                "POST",
                &uri,
                Some("application/x-www-form-urlencoded"),
                form.into_bytes(),
            )
            .await
        }
        _ => w.get(who, &uri).await,
    }
}

#[test]
fn every_route_refuses_those_without_rights() {
    block_on(async {
        let w = World::new(3000);
        let boss = w.login("boss").await;
        let manager = w.login("manager").await;
        let kefu = w.login("kefu").await;
        let other = w.shops[1].name.as_str().to_owned();
        let own = w.shops[0].name.as_str().to_owned();

        // A job in the other shop, for the routes that name a job.
        let files: Vec<_> = std::fs::read_dir(w.files_dir())
            .unwrap()
            .flatten()
            .collect();
        let shopify = files
            .iter()
            .find(|f| f.file_name().to_string_lossy().contains("orders_export"))
            .expect("the demo writes a Shopify export");
        let (ct, body) = multipart(
            &[],
            &[("file", "orders.csv", std::fs::read(shopify.path()).unwrap())],
        );
        let started = w
            .send(
                &boss,
                "POST",
                &format!("/api/v1/imports?shop={other}"),
                Some(&ct),
                body,
            )
            .await;
        assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.text());
        let job = started.json()["job"]["id"].as_u64().unwrap();

        let mut checked = 0;
        for route in ROUTES {
            let path = fill(route.path, job);
            match route.access {
                Access::Public => continue,
                Access::Shop(right) => {
                    let a = call(&w, &manager, route.method, &path, &other).await;
                    assert_eq!(
                        a.status,
                        StatusCode::FORBIDDEN,
                        "{} {} for a manager of another shop: {}",
                        route.method,
                        route.path,
                        a.text()
                    );
                    if matches!(
                        right,
                        Right::EditSettings
                            | Right::Import
                            | Right::ViewMembers
                            | Right::ViewProfit
                    ) {
                        // An agent of the shop itself may neither import, change settings,
                        // see the members nor the profit.
                        let a = call(&w, &kefu, route.method, &path, &own).await;
                        assert_eq!(
                            a.status,
                            StatusCode::FORBIDDEN,
                            "{} {} for an agent",
                            route.method,
                            route.path
                        );
                    }
                }
                Access::Owner => {
                    for who in [&manager, &kefu] {
                        let a = call(&w, who, route.method, &path, &own).await;
                        assert_eq!(
                            a.status,
                            StatusCode::FORBIDDEN,
                            "{} {} is for owners: {}",
                            route.method,
                            route.path,
                            a.text()
                        );
                    }
                }
                Access::Settings => {
                    let a = call(&w, &kefu, route.method, &path, &own).await;
                    assert_eq!(
                        a.status,
                        StatusCode::FORBIDDEN,
                        "{} {}: an agent reaches no settings",
                        route.method,
                        route.path
                    );
                }
                Access::User => {}
            }
            // Nobody signed in: the API answers 401, a page sends the browser to the login.
            let a = call(&w, &Client::default(), route.method, &path, &own).await;
            if path.starts_with("/api/") {
                assert_eq!(
                    a.status,
                    StatusCode::UNAUTHORIZED,
                    "{} {}",
                    route.method,
                    route.path
                );
                assert_eq!(a.json()["error"]["code"], "unauthorized");
            } else {
                assert_eq!(
                    a.status,
                    StatusCode::SEE_OTHER,
                    "{} {}",
                    route.method,
                    route.path
                );
                let to = a.headers.get("location").unwrap().to_str().unwrap();
                assert!(to.starts_with("/login?next="), "{to}");
            }
            checked += 1;
        }
        assert!(checked > 40, "the walk covered {checked} routes");

        // Nothing the refused calls sent was kept.
        for shop in [&own, &other] {
            let saved = w
                .get(&boss, &format!("/api/v1/segments?shop={shop}"))
                .await
                .json();
            assert_eq!(saved, json!([]), "no segment was saved in {shop}");
        }
        let shops = w.get(&boss, "/api/v1/shops").await.json();
        assert_eq!(shops.as_array().unwrap().len(), 2, "no shop was added");
        let users = w.get(&boss, "/api/v1/users").await.json();
        assert!(users
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["login"] != "intruder"));
        let t = w
            .get(&boss, &format!("/api/v1/settings/thresholds?shop={other}"))
            .await
            .json();
        let alpha = t
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["key"] == "alpha")
            .unwrap();
        assert_eq!(
            alpha["value"], 0.05,
            "the other shop's threshold is unchanged"
        );
    });
}
