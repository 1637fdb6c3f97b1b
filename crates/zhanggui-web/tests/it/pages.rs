//! The pages: each renders for those allowed, shows the API's numbers, switches language,
//! and the login form signs in and out.

use axum::http::StatusCode;

use super::fixture::{block_on, Client, World, PASSWORD};

#[test]
fn every_page_renders_with_the_numbers_of_the_api() {
    block_on(async {
        let w = World::new(3000);
        let boss = w.login("boss").await;
        let q = "shop=demo-taobao&period=30d&compare=prev";
        let api = w.get(&boss, &format!("/api/v1/overview?{q}")).await.json();
        let page = w.get(&boss, &format!("/?{q}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(page.headers["x-frame-options"], "DENY");
        let html = page.text();
        assert!(
            !html.contains("onchange="),
            "no inline script: the policy would block it"
        );
        for card in api["cards"].as_array().unwrap() {
            let shown = card["shown"]["current"].as_str().unwrap();
            assert!(
                html.contains(shown),
                "the overview shows {} = {shown}",
                card["id"]
            );
        }
        assert!(html.contains("<svg class=\"chart\""), "the trend is drawn");
        assert!(html.contains("<title>"), "chart points carry their values");
        assert!(html.contains("环比"), "Chinese by default");
        let product = api["top_findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                let rule = f["rule"].as_str().unwrap();
                rule.starts_with("product_") || rule == "presale_zero_conversion"
            })
            .find_map(|f| f["subject"].as_str().map(str::to_owned));
        let mut pages = vec![
            format!("/diagnosis?{q}"),
            format!("/products?{q}"),
            format!("/traffic?{q}"),
            "/import?shop=demo-taobao".to_owned(),
            "/dictionary".to_owned(),
            "/settings".to_owned(),
            "/audit".to_owned(),
            format!("/?shop=demo-taobao&period=custom&from=2025-11-01&to=2025-11-30&compare=yoy"),
            format!("/?shop=demo-shopify&period=month"),
            format!("/?shop=demo-taobao&period=today"),
        ];
        let products = w.get(&boss, &format!("/api/v1/products?{q}")).await.json();
        let code = products["products"][0]["code"].as_str().unwrap().to_owned();
        pages.push(format!("/products/{code}?{q}"));
        if let Some(p) = product {
            pages.push(format!("/products/{p}?{q}"));
        }
        for p in &pages {
            let a = w.get(&boss, p).await;
            assert_eq!(a.status, StatusCode::OK, "{p}: {}", a.text());
            assert!(a.text().contains("</html>"), "{p} renders whole");
        }
        // minijinja escapes `/` in attributes as `&#x2f;`, which browsers read as `/`.
        let products_page = w
            .get(&boss, &format!("/products?{q}"))
            .await
            .text()
            .replace("&#x2f;", "/");
        assert!(
            products_page.contains(&format!("/products/{code}?")),
            "products link to their page"
        );

        // English, chosen per user and kept.
        let form = format!("csrf={}&language=en&back=/", boss.csrf.clone().unwrap());
        let switched = w
            .send(
                &boss,
                "POST",
                "/language",
                Some("application/x-www-form-urlencoded"),
                form.into_bytes(),
            )
            .await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        let en = w.get(&boss, &format!("/?{q}")).await.text();
        assert!(
            en.contains("Overview") && en.contains("vs previous"),
            "English after switching"
        );
        let still_zh = w.login("manager").await;
        assert!(w
            .get(&still_zh, &format!("/?{q}"))
            .await
            .text()
            .contains("概览"));

        // An agent sees products, not the reports nor the settings.
        let kefu = w.login("kefu").await;
        let home = w.get(&kefu, "/").await.text().replace("&#x2f;", "/");
        assert!(
            home.contains("还没有任何店铺的权限")
                || home.contains("Products")
                || home.contains("商品")
        );
        assert!(
            !home.contains("href=\"/settings\""),
            "no settings in an agent's navigation"
        );
        let dictionary = w
            .get(&kefu, "/dictionary")
            .await
            .text()
            .replace("&#x2f;", "/");
        assert!(
            !dictionary.contains("href=\"/diagnosis") && dictionary.contains("href=\"/products"),
            "an agent's navigation offers what an agent may use"
        );
        assert_eq!(
            w.get(&kefu, &format!("/products?{q}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            w.get(&kefu, &format!("/diagnosis?{q}")).await.status,
            StatusCode::FORBIDDEN
        );
    });
}

#[test]
fn the_login_form_signs_in_and_out() {
    block_on(async {
        let w = World::new(500);
        let anon = Client::default();
        let form = w.get(&anon, "/login?next=/products").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.text().contains("name=\"password\""));
        let wrong = w
            .send(
                &anon,
                "POST",
                "/login",
                Some("application/x-www-form-urlencoded"),
                b"login=boss&password=nope&next=/products".to_vec(),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.text().contains("账号或密码不对"));
        let ok = w
            .send(
                &anon,
                "POST",
                "/login",
                Some("application/x-www-form-urlencoded"),
                format!("login=boss&password={PASSWORD}&next=//evil.example").into_bytes(),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(ok.headers["location"], "/", "no open redirect");
        let cookie = ok.headers["set-cookie"].to_str().unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(
            !cookie.contains("Secure"),
            "plain HTTP in the test: no Secure flag"
        );
        let client = Client {
            cookie: Some(cookie.split(';').next().unwrap().to_owned()),
            ..Client::default()
        };
        let home = w.get(&client, "/?shop=demo-taobao").await.text();
        let csrf = home
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        // Signing out needs the form's token.
        let forged = w
            .send(
                &client,
                "POST",
                "/logout",
                Some("application/x-www-form-urlencoded"),
                b"csrf=forged".to_vec(),
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let out = w
            .send(
                &client,
                "POST",
                "/logout",
                Some("application/x-www-form-urlencoded"),
                format!("csrf={csrf}").into_bytes(),
            )
            .await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(
            w.get(&client, "/").await.status,
            StatusCode::SEE_OTHER,
            "signed out"
        );
    });
}
