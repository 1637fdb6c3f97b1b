//! Search ranking cases an agent meets: Chinese words, full pinyin, initials, a typo in
//! pinyin or in Chinese, mixed input, shortcuts, and the agent's own use breaking ties.

use zhanggui_desk::{Doc, Index};

fn library() -> Vec<Doc> {
    let scripts: &[(&str, &str, Option<&str>)] = &[
        (
            "发货时间",
            "亲，付款后48小时内发货，节假日顺延，请耐心等待哦",
            Some("fh"),
        ),
        (
            "催发货",
            "亲，已经帮您催仓库尽快发货了，发出后会第一时间通知您",
            None,
        ),
        (
            "退货流程",
            "亲，收到商品7天内可以申请退货，请在订单页点击申请退货并填写退货单号",
            Some("th"),
        ),
        (
            "退货运费",
            "亲，质量问题退货运费由我们承担，非质量问题退货运费需要您承担哦",
            None,
        ),
        (
            "换货",
            "亲，尺码不合适可以申请换货，我们收到退回的商品后会尽快换货寄出",
            None,
        ),
        (
            "开发票",
            "亲，可以开具电子发票，请在订单备注里留下抬头和税号",
            Some("fp"),
        ),
        (
            "尺码推荐",
            "亲，请告诉我您的身高和体重，我帮您推荐合适的尺码",
            Some("cm"),
        ),
        (
            "优惠券",
            "亲，店铺首页可以领取满200减20的优惠券，下单时自动抵扣",
            None,
        ),
        ("赠品", "亲，下单即送精美赠品一份，随商品一起发出", None),
        (
            "物流查询",
            "亲，您的包裹已由{物流公司}发出，单号{物流单号}，可以在订单详情里查看物流",
            None,
        ),
        ("库存", "亲，这款目前有现货，下单后当天就能发出", None),
        ("快递选择", "亲，默认发中通快递，需要顺丰请补差价", None),
    ];
    scripts
        .iter()
        .enumerate()
        .map(|(i, (title, text, shortcut))| Doc {
            id: i as u64 + 1,
            title: (*title).to_owned(),
            text: (*text).to_owned(),
            shortcut: shortcut.map(str::to_owned),
            tags: Vec::new(),
        })
        .collect()
}

fn titles(index: &Index, docs: &[Doc], query: &str) -> Vec<String> {
    index
        .search(query, 5, &|_| 0)
        .iter()
        .map(|h| docs.iter().find(|d| d.id == h.id).unwrap().title.clone())
        .collect()
}

#[test]
fn agents_find_scripts_the_way_they_type() {
    let docs = library();
    let index = Index::build(&docs);
    let first = |q: &str| {
        titles(&index, &docs, q)
            .first()
            .cloned()
            .unwrap_or_default()
    };
    let found = |q: &str| titles(&index, &docs, q);

    // Chinese words.
    assert!(first("退货").starts_with("退货"), "{:?}", found("退货"));
    assert_eq!(first("发票"), "开发票");
    // Full pinyin and initials.
    assert!(first("tuihuo").starts_with("退货"), "{:?}", found("tuihuo"));
    assert!(first("fahuo").contains("发货"), "{:?}", found("fahuo"));
    assert!(
        found("fh").iter().take(2).all(|t| t.contains("发货")),
        "{:?}",
        found("fh")
    );
    assert_eq!(first("yhq"), "优惠券");
    assert_eq!(first("zengpin"), "赠品");
    // Pinyin of several words typed in one go.
    assert!(
        first("tuihuoyunfei").contains("运费"),
        "{:?}",
        found("tuihuoyunfei")
    );
    // One letter wrong, missing or extra in pinyin; a wrong character in Chinese.
    assert!(first("tuihou").starts_with("退货"), "{:?}", found("tuihou"));
    assert!(first("fapio").contains("发票"), "{:?}", found("fapio"));
    assert!(
        first("youhuiquang").contains("优惠"),
        "{:?}",
        found("youhuiquang")
    );
    assert!(first("退活").starts_with("退货"), "{:?}", found("退活"));
    // Mixed input: a Chinese word and pinyin.
    assert_eq!(first("顺丰 kuaidi"), "快递选择");
    assert!(
        first("退货 yunfei").contains("运费"),
        "{:?}",
        found("退货 yunfei")
    );
    // A shortcut goes first.
    assert_eq!(first("/cm"), "尺码推荐");
    // Nothing matches nothing.
    assert!(found("xyzzy").is_empty());
}

#[test]
fn equal_relevance_goes_to_the_scripts_the_agent_uses() {
    let docs: Vec<Doc> = (1..=3)
        .map(|i| Doc {
            id: i,
            title: "发货时间".into(),
            text: "亲，48小时内发货".into(),
            shortcut: None,
            tags: Vec::new(),
        })
        .collect();
    let index = Index::build(&docs);
    let used = |id: u64| if id == 2 { 9 } else { 0 };
    let hits = index.search("fahuo", 3, &used);
    assert_eq!(hits[0].id, 2, "{hits:?}");
    let hits = index.search("fahuo", 3, &|id| id);
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [3, 2, 1]);
}
