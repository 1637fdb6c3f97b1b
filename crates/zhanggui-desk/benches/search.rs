//! Speed of script search over a library of 100,000 scripts: every query an agent types
//! (pinyin, initials, typos, Chinese, mixed, shortcuts) timed one by one, side by side with
//! a plain scan of every script for the query text (what a spreadsheet's filter does, and
//! it finds far less).
//!
//! Run with `cargo bench --workspace --bench search`.

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zhanggui_desk::{Doc, Index};

const SCRIPTS: usize = 100_000;
const ROUNDS: usize = 20;

const TOPICS: &[&str] = &[
    "发货时间",
    "催发货",
    "退货流程",
    "退货运费",
    "换货",
    "开发票",
    "尺码推荐",
    "优惠券",
    "赠品",
    "物流查询",
    "库存",
    "快递选择",
    "售后保修",
    "质量问题",
    "好评返现",
    "预售说明",
    "改地址",
    "拒收",
    "补发",
    "缺货",
    "议价",
    "包邮",
    "会员积分",
    "活动规则",
    "定制",
    "安装说明",
    "使用方法",
    "清洗保养",
    "颜色差异",
    "破损处理",
];
const SENTENCES: &[&str] = &[
    "亲，付款后48小时内发货，节假日顺延",
    "已经帮您催仓库尽快发货了",
    "收到商品7天内可以申请退货",
    "质量问题退货运费由我们承担",
    "尺码不合适可以申请换货",
    "可以开具电子发票，请留下抬头和税号",
    "请告诉我您的身高和体重，帮您推荐尺码",
    "店铺首页可以领取优惠券，下单自动抵扣",
    "下单即送精美赠品一份",
    "您的包裹已由{物流公司}发出，单号{物流单号}",
    "这款目前有现货，当天就能发出",
    "默认发中通快递，需要顺丰请补差价",
    "商品保修一年，非人为损坏免费维修",
    "给您带来不便非常抱歉，我们马上处理",
    "确认收货后五星好评可以联系客服领取红包",
    "预售商品付款后15天内发货",
    "地址需要修改请在发货前联系我们",
    "包裹如有破损请拒收并联系我们补发",
    "这款暂时缺货，到货后第一时间通知您",
    "价格已经是活动最低价了，买到就是赚到",
    "全场满99元包邮，偏远地区除外",
    "会员下单可以累计积分，积分可以抵现",
    "支持定制logo，请把图片发给客服",
    "安装视频在详情页，按步骤操作就可以",
    "请用温水手洗，不要暴晒",
    "不同显示器会有轻微色差，以实物为准",
];
const PRODUCTS: &[&str] = &[
    "连衣裙",
    "T恤",
    "牛仔裤",
    "保温杯",
    "不粘锅",
    "面膜",
    "口红",
    "四件套",
    "抱枕",
    "婴儿湿巾",
    "羽绒服",
    "夹克",
    "收纳盒",
    "刀具套装",
    "防晒霜",
    "精华液",
    "爬行垫",
    "地毯",
    "香薰",
    "卫衣",
];

fn library() -> Vec<Doc> {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    (0..SCRIPTS)
        .map(|i| {
            let topic = TOPICS[rng.random_range(0..TOPICS.len())];
            let product = PRODUCTS[rng.random_range(0..PRODUCTS.len())];
            let n = rng.random_range(1..=3);
            let text: Vec<&str> = (0..n)
                .map(|_| SENTENCES[rng.random_range(0..SENTENCES.len())])
                .collect();
            Doc {
                id: i as u64,
                title: format!("{product}{topic}"),
                text: format!("亲，关于{product}：{}。", text.join("，")),
                shortcut: (i % 1_000 == 0).then(|| format!("k{i}")),
                tags: vec![product.to_owned()],
            }
        })
        .collect()
}

const QUERIES: &[&str] = &[
    "fh",
    "tuihuo",
    "退货运费",
    "fapio",
    "youhuiquang",
    "退活",
    "顺丰 kuaidi",
    "尺码",
    "/k5000",
    "zengpin",
    "发票 税号",
    "lianyiqun",
    "bwb",
    "面膜 退货",
    "安装",
    "xz",
    "tuihuoyunfei",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let docs = library();
    let started = Instant::now();
    let index = Index::build(&docs);
    println!(
        "{} scripts indexed in {:.1} s",
        index.len(),
        started.elapsed().as_secs_f64()
    );
    let mut ours = Vec::new();
    let mut scan = Vec::new();
    for _ in 0..ROUNDS {
        for q in QUERIES {
            let t = Instant::now();
            let hits = index.search(q, 20, &|_| 0);
            ours.push(t.elapsed());
            std::hint::black_box(hits);
            let t = Instant::now();
            let needle = q.trim_start_matches('/');
            let found = docs
                .iter()
                .filter(|d| d.title.contains(needle) || d.text.contains(needle))
                .take(20)
                .count();
            scan.push(t.elapsed());
            std::hint::black_box(found);
        }
    }
    for q in QUERIES {
        let t = Instant::now();
        let hits = index.search(q, 3, &|_| 0);
        let took = t.elapsed();
        let titles: Vec<&str> = hits
            .iter()
            .map(|h| docs[h.id as usize].title.as_str())
            .collect();
        println!("  {q:>12}  {:.3} ms  {titles:?}", took.as_secs_f64() * 1e3);
    }
    ours.sort();
    scan.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "index: median {:.3} ms, p99 {:.3} ms, max {:.3} ms over {} queries",
        ms(percentile(&ours, 0.5)),
        ms(percentile(&ours, 0.99)),
        ms(*ours.last().unwrap()),
        ours.len()
    );
    println!(
        "plain scan: median {:.3} ms, p99 {:.3} ms",
        ms(percentile(&scan, 0.5)),
        ms(percentile(&scan, 0.99))
    );
    println!(
        "ratio (scan / index, medians): {:.1}x",
        ms(percentile(&scan, 0.5)) / ms(percentile(&ours, 0.5))
    );
}
