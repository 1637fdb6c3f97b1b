//! Shops and the schema, as a new user meets them.

use crate::support::Env;

#[test]
fn shops_are_listed_with_their_defaults_and_the_schema_is_current() {
    let env = Env::new();
    let empty = env.ok(&["shop", "list"]);
    assert!(empty.contains("no shops yet"), "{empty}");
    env.add_shop("tmall", "天猫旗舰店", &[]);
    env.add_shop(
        "shopify",
        "us",
        &["--currency", "usd", "--timezone", "America/Los_Angeles"],
    );
    let shops = env.json(&["shop", "list"]);
    assert_eq!(shops[0]["name"], "天猫旗舰店");
    assert_eq!(shops[0]["currency"], "CNY");
    assert_eq!(shops[0]["timezone"], "Asia/Shanghai");
    assert_eq!(shops[1]["currency"], "USD");
    assert_eq!(shops[1]["timezone"], "America/Los_Angeles");
    let bad_zone = env.run(&[
        "shop",
        "add",
        "--platform",
        "jd",
        "--name",
        "x",
        "--timezone",
        "Mars/Base",
    ]);
    assert_eq!(bad_zone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_zone.stderr).contains("time zone"));

    let migrate = env.json(&["migrate"]);
    assert_eq!(migrate["schema_version"], 15);
    assert_eq!(
        migrate["applied"].as_array().unwrap().len(),
        0,
        "already applied on first open"
    );
}
