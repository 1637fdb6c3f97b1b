//! Files that cannot be imported: a clear message, exit code 1, and an unchanged database.

use std::io::Write;

use crate::support::Env;

fn setup() -> (Env, serde_json::Value) {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let path = env.path("good.csv");
    std::fs::write(
        &path,
        "订单编号,标题,价格,购买数量\n1001,T恤,10.00,1\n1002,裙子,20.00,2\n",
    )
    .unwrap();
    env.ok(&["import", "--shop", "tb", path.to_str().unwrap()]);
    let before = env.json(&["summary"]);
    (env, before)
}

fn assert_refused(env: &Env, before: &serde_json::Value, file: &str, expect: &[&str]) {
    let out = env.run(&["import", "--shop", "tb", file]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    for word in expect {
        assert!(stderr.contains(word), "expected `{word}` in: {stderr}");
    }
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert_eq!(&env.json(&["summary"]), before, "the database changed");
}

#[test]
fn an_unknown_file_says_what_each_format_needs() {
    let (env, before) = setup();
    let path = env.path("unknown.csv");
    std::fs::write(&path, "foo,bar,baz\n1,2,3\n").unwrap();
    assert_refused(
        &env,
        &before,
        path.to_str().unwrap(),
        &[
            "does not recognise",
            "taobao-orders",
            "订单编号",
            "zhanggui mapping new",
        ],
    );
}

#[test]
fn a_corrupt_file_changes_nothing() {
    let (env, before) = setup();
    // Binary noise.
    let noise = env.path("noise.csv");
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&noise, bytes).unwrap();
    assert_refused(&env, &before, noise.to_str().unwrap(), &["noise.csv"]);

    // A gzip file cut short in the middle of its data.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut text = String::from("订单编号,标题,价格,购买数量\n");
    for i in 0..20_000 {
        text.push_str(&format!("{},T恤 {},10.00,1\n", 5000 + i, i * 7919 % 1000));
    }
    gz.write_all(text.as_bytes()).unwrap();
    let packed = gz.finish().unwrap();
    let cut = env.path("cut.csv.gz");
    std::fs::write(&cut, &packed[..packed.len() / 2]).unwrap();
    assert_refused(&env, &before, cut.to_str().unwrap(), &["cut.csv.gz"]);

    // A spreadsheet in name only.
    let fake = env.path("fake.xlsx");
    std::fs::write(&fake, b"PK\x03\x04this is not a zip archive").unwrap();
    assert_refused(&env, &before, fake.to_str().unwrap(), &["fake.xlsx"]);

    // An empty file.
    let empty = env.path("empty.csv");
    std::fs::write(&empty, b"").unwrap();
    assert_refused(&env, &before, empty.to_str().unwrap(), &["empty"]);
}

#[test]
fn bad_usage_exits_with_code_two() {
    let (env, _) = setup();
    let file = env.path("good.csv");
    let file = file.to_str().unwrap();
    assert_eq!(
        env.run(&["import", "--shop", "nope", file]).status.code(),
        Some(2)
    );
    assert_eq!(
        env.run(&["import", "--shop", "tb", "--format", "nope", file])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        env.run(&["shop", "add", "--platform", "ebay", "--name", "x"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(env.run(&["frobnicate"]).status.code(), Some(2));
    let dup = env.run(&["shop", "add", "--platform", "taobao", "--name", "tb"]);
    assert_eq!(dup.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));
}

#[test]
fn a_mapping_skeleton_is_written_from_any_header() {
    let env = Env::new();
    let path = env.path("erp.csv");
    std::fs::write(
        &path,
        "单号,商品编码,数量,单价,下单时间\nA1,X,1,9.90,2024-01-01 10:00\n",
    )
    .unwrap();
    let skeleton = env.ok(&["mapping", "new", path.to_str().unwrap()]);
    assert!(
        skeleton.contains("# The file's columns: 单号, 商品编码, 数量, 单价, 下单时间"),
        "{skeleton}"
    );
    // Filled in by the user, it imports the file.
    let filled = skeleton
        .replace("# order_no = \"\"", "order_no = \"单号\"")
        .replace("# product_code = \"\"", "product_code = \"商品编码\"")
        .replace("# quantity = \"\"", "quantity = \"数量\"")
        .replace("# unit_price = \"\"", "unit_price = \"单价\"")
        .replace("# created_at = \"\"", "created_at = \"下单时间\"");
    let mapping = env.path("erp.toml");
    std::fs::write(&mapping, filled).unwrap();
    env.add_shop("generic", "erp", &[]);
    env.ok(&[
        "import",
        "--shop",
        "erp",
        "--mapping",
        mapping.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    assert_eq!(env.summary("erp")["order_lines"], 1);
}

#[test]
fn a_database_held_by_another_process_is_refused_with_a_message() {
    let (env, _) = setup();
    let (_held, _) = zhanggui_storage::DuckStore::open(&env.db()).unwrap();
    let out = env.run(&["summary"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("in use by another zhanggui process"),
        "{stderr}"
    );
}
