//! Reading a buyer's review (评价) the way the DSR scores read a shop: what it says about the
//! goods (描述相符: quality, description, size, colour), the service (服务态度) and the
//! logistics (物流服务), each positive, negative or not mentioned; and its topics.
//!
//! A lexicon, clause by clause: a clause's aspect words say which dimension it is about
//! (a clause with none is about the goods when it praises or blames without saying what);
//! its sentiment words say how, with negation handled (`不满意` is a complaint, `不慢` is
//! praise, `一点也不好` is a complaint): a negator shortly before a sentiment word turns it
//! over, and a lexicon entry that already holds its negation (不满意, 不错) is read whole.

use serde::Serialize;

/// A DSR dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// 描述相符: the goods, their quality, size, colour, and whether they match the page.
    Goods,
    /// 服务态度: customer service, after-sale handling.
    Service,
    /// 物流服务: shipping speed, couriers, packaging in transit.
    Logistics,
}

/// What a review says about one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Positive,
    Negative,
}

/// A review read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reading {
    pub goods: Option<Polarity>,
    pub service: Option<Polarity>,
    pub logistics: Option<Polarity>,
    /// Topics named (尺码, 色差, 质量, 发货, 客服 ...), in order of appearance.
    pub topics: Vec<&'static str>,
}

impl Reading {
    pub fn of(&self, d: Dimension) -> Option<Polarity> {
        match d {
            Dimension::Goods => self.goods,
            Dimension::Service => self.service,
            Dimension::Logistics => self.logistics,
        }
    }

    /// Whether the review complains about anything.
    pub fn complains(&self) -> bool {
        [self.goods, self.service, self.logistics].contains(&Some(Polarity::Negative))
    }
}

/// Aspect words: (word, dimension, topic).
const ASPECTS: &[(&str, Dimension, &str)] = &[
    ("质量", Dimension::Goods, "质量"),
    ("做工", Dimension::Goods, "质量"),
    ("面料", Dimension::Goods, "材质"),
    ("材质", Dimension::Goods, "材质"),
    ("布料", Dimension::Goods, "材质"),
    ("手感", Dimension::Goods, "材质"),
    ("尺码", Dimension::Goods, "尺码"),
    ("码数", Dimension::Goods, "尺码"),
    ("大小", Dimension::Goods, "尺码"),
    ("偏大", Dimension::Goods, "尺码"),
    ("偏小", Dimension::Goods, "尺码"),
    ("颜色", Dimension::Goods, "颜色"),
    ("色差", Dimension::Goods, "颜色"),
    ("掉色", Dimension::Goods, "颜色"),
    ("褪色", Dimension::Goods, "颜色"),
    ("描述", Dimension::Goods, "描述"),
    ("图片", Dimension::Goods, "描述"),
    ("实物", Dimension::Goods, "描述"),
    ("味道", Dimension::Goods, "气味"),
    ("异味", Dimension::Goods, "气味"),
    ("效果", Dimension::Goods, "效果"),
    ("衣服", Dimension::Goods, "商品"),
    ("裤子", Dimension::Goods, "商品"),
    ("杯子", Dimension::Goods, "商品"),
    ("东西", Dimension::Goods, "商品"),
    ("宝贝", Dimension::Goods, "商品"),
    ("商品", Dimension::Goods, "商品"),
    ("款式", Dimension::Goods, "款式"),
    ("版型", Dimension::Goods, "款式"),
    ("起球", Dimension::Goods, "质量"),
    ("开线", Dimension::Goods, "质量"),
    ("线头", Dimension::Goods, "质量"),
    ("客服", Dimension::Service, "客服"),
    ("态度", Dimension::Service, "客服"),
    ("服务", Dimension::Service, "客服"),
    ("回复", Dimension::Service, "客服"),
    ("回消息", Dimension::Service, "客服"),
    ("售后", Dimension::Service, "售后"),
    ("退款", Dimension::Service, "售后"),
    ("退货", Dimension::Service, "售后"),
    ("换货", Dimension::Service, "售后"),
    ("卖家", Dimension::Service, "客服"),
    ("店家", Dimension::Service, "客服"),
    ("老板", Dimension::Service, "客服"),
    ("物流", Dimension::Logistics, "物流"),
    ("快递", Dimension::Logistics, "物流"),
    ("发货", Dimension::Logistics, "发货"),
    ("送货", Dimension::Logistics, "物流"),
    ("到货", Dimension::Logistics, "物流"),
    ("配送", Dimension::Logistics, "物流"),
    ("快递员", Dimension::Logistics, "物流"),
    ("包装", Dimension::Logistics, "包装"),
    ("包裹", Dimension::Logistics, "包装"),
    ("速度", Dimension::Logistics, "物流"),
    ("压坏", Dimension::Logistics, "包装"),
    ("丢件", Dimension::Logistics, "物流"),
    ("发错", Dimension::Goods, "发错"),
    ("瑕疵", Dimension::Goods, "质量"),
];

/// Sentiment words, each positive (+1) or negative (−1). Entries holding their own
/// negation (不满意, 不错, 不好) are matched whole before a negator is looked for.
const SENTIMENT: &[(&str, i32)] = &[
    ("不满意", -1),
    ("不错", 1),
    ("不好", -1),
    ("不行", -1),
    ("不值", -1),
    ("不理人", -1),
    ("不回", -1),
    ("不耐烦", -1),
    ("不合适", -1),
    ("不舒服", -1),
    ("没问题", 1),
    ("没毛病", 1),
    ("没有色差", 1),
    ("无色差", 1),
    ("满意", 1),
    ("喜欢", 1),
    ("好评", 1),
    ("推荐", 1),
    ("很好", 1),
    ("挺好", 1),
    ("好看", 1),
    ("好用", 1),
    ("好穿", 1),
    ("舒服", 1),
    ("合身", 1),
    ("合适", 1),
    ("正品", 1),
    ("划算", 1),
    ("值", 1),
    ("赞", 1),
    ("棒", 1),
    ("完美", 1),
    ("耐心", 1),
    ("热情", 1),
    ("周到", 1),
    ("及时", 1),
    ("快", 1),
    ("迅速", 1),
    ("神速", 1),
    ("完好", 1),
    ("结实", 1),
    ("严实", 1),
    ("仔细", 1),
    ("一致", 1),
    ("相符", 1),
    ("一样", 1),
    ("好", 1),
    ("差", -1),
    ("差劲", -1),
    ("垃圾", -1),
    ("失望", -1),
    ("后悔", -1),
    ("糟糕", -1),
    ("慢", -1),
    ("太慢", -1),
    ("磨蹭", -1),
    ("破", -1),
    ("烂", -1),
    ("坏", -1),
    ("破损", -1),
    ("压坏", -1),
    ("掉色", -1),
    ("褪色", -1),
    ("起球", -1),
    ("开线", -1),
    ("线头", -1),
    ("色差", -1),
    ("异味", -1),
    ("难闻", -1),
    ("刺鼻", -1),
    ("假货", -1),
    ("假", -1),
    ("敷衍", -1),
    ("推脱", -1),
    ("恶劣", -1),
    ("骗", -1),
    ("坑", -1),
    ("偏大", -1),
    ("偏小", -1),
    ("太大", -1),
    ("太小", -1),
    ("薄", -1),
    ("粗糙", -1),
    ("不符", -1),
    ("退货", -1),
    ("贴心", 1),
    ("精致", 1),
    ("新颖", 1),
    ("给力", 1),
    ("方便", 1),
    ("惊喜", 1),
    ("超出预期", 1),
    ("真诚", 1),
    ("负责", 1),
    ("专业", 1),
    ("漂亮", 1),
    ("用心", 1),
    ("精美", 1),
    ("标准", 1),
    ("瑕疵", -1),
    ("踩雷", -1),
    ("丢件", -1),
    ("怪味", -1),
    ("烦", -1),
    ("不管", -1),
    ("不处理", -1),
    ("不给退", -1),
    ("不更新", -1),
    ("发错", -1),
    ("太长", -1),
    ("太短", -1),
];

/// Words that turn the next sentiment word over.
const NEGATORS: &[&str] = &[
    "一点也不",
    "一点都不",
    "并不",
    "并没有",
    "没有",
    "不是",
    "不太",
    "不怎么",
    "不够",
    "没",
    "不",
    "别",
    "毫不",
    "从不",
];

/// A negator counts when fewer than this many characters stand between it and the
/// sentiment word.
const NEGATION_REACH: usize = 3;

/// Words that start a new clause inside a sentence (但是东西有色差).
const TURNS: &[&str] = &["但是", "可是", "不过", "就是", "而且", "但"];

fn clauses(text: &str) -> Vec<String> {
    let mut marked = text.to_owned();
    for t in TURNS {
        marked = marked.replace(t, &format!("，{t}"));
    }
    marked
        .split(|c: char| "，。！？；,.!?;～~ \n".contains(c) || c == '、')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The sentiment words as characters, longest first, made once.
fn sentiment_words() -> &'static [(Vec<char>, &'static str, i32)] {
    static WORDS: std::sync::OnceLock<Vec<(Vec<char>, &'static str, i32)>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        // Reversed, then longest first (a stable sort): the first match is the longest, and
        // of two as long the later entry of the lexicon, as before.
        let mut words: Vec<_> = SENTIMENT
            .iter()
            .rev()
            .map(|(w, v)| (w.chars().collect::<Vec<char>>(), *w, *v))
            .collect();
        words.sort_by_key(|(c, _, _)| std::cmp::Reverse(c.len()));
        words
    })
}

/// The clause's sentiment: the sum over its sentiment words, each turned over by a negator
/// just before it.
fn sentiment(clause: &[char]) -> i32 {
    let mut total = 0;
    let mut i = 0;
    while i < clause.len() {
        let word = sentiment_words()
            .iter()
            .find(|(c, _, _)| clause[i..].starts_with(c));
        let Some((chars, w, value)) = word else {
            i += 1;
            continue;
        };
        let len = chars.len();
        // A negator ending within NEGATION_REACH characters before the word.
        let before: String = clause[i.saturating_sub(NEGATION_REACH + 2)..i]
            .iter()
            .collect();
        let negated = !w.starts_with('不')
            && !w.starts_with('没')
            && NEGATORS.iter().any(|n| {
                before
                    .rfind(n)
                    .is_some_and(|at| before[at + n.len()..].chars().count() < NEGATION_REACH)
            });
        total += if negated { -value } else { *value };
        i += len;
    }
    total
}

/// Reads a review.
pub fn read(text: &str) -> Reading {
    let mut r = Reading {
        goods: None,
        service: None,
        logistics: None,
        topics: Vec::new(),
    };
    let mut sums = [0_i32; 3];
    let mut mentioned = [false; 3];
    let mut previous: Vec<Dimension> = Vec::new();
    for clause in clauses(text) {
        let mut dims: Vec<Dimension> = Vec::new();
        for (word, dim, topic) in ASPECTS {
            if clause.contains(word) {
                if !dims.contains(dim) {
                    dims.push(*dim);
                }
                if !r.topics.contains(topic) {
                    r.topics.push(topic);
                }
            }
        }
        // Aspect words are no sentiment (快 in 快递): masked, unless they are complaints
        // themselves (色差, 掉色, 压坏 ...).
        let mut masked = clause.clone();
        for (word, _, _) in ASPECTS {
            if !SENTIMENT.iter().any(|(w, _)| w == word) {
                masked = masked.replace(word, &"□".repeat(word.chars().count()));
            }
        }
        let s = sentiment(&masked.chars().collect::<Vec<_>>());
        if dims.is_empty() {
            if s == 0 {
                continue;
            }
            // Praise or blame without saying of what: of what the clause before spoke of,
            // else of the goods.
            dims = previous.clone();
            if dims.is_empty() {
                dims.push(Dimension::Goods);
            }
        }
        previous = dims.clone();
        if s == 0 {
            continue;
        }
        for d in dims {
            let k = d as usize;
            mentioned[k] = true;
            sums[k] += s.signum();
        }
    }
    // Praise and blame of one dimension in equal measure count as blame: a complaint is
    // what the shop must not miss.
    let polarity = |k: usize| {
        mentioned[k].then_some(if sums[k] > 0 {
            Polarity::Positive
        } else {
            Polarity::Negative
        })
    };
    r.goods = polarity(0);
    r.service = polarity(1);
    r.logistics = polarity(2);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negation_turns_sentiment_over() {
        assert_eq!(read("很满意").goods, Some(Polarity::Positive));
        assert_eq!(read("不满意").goods, Some(Polarity::Negative));
        assert_eq!(read("物流不慢").logistics, Some(Polarity::Positive));
        assert_eq!(read("质量一点也不好").goods, Some(Polarity::Negative));
        assert_eq!(read("客服态度不错").service, Some(Polarity::Positive));
        let mixed = read("衣服质量很好，但是快递太慢了，客服也不理人");
        assert_eq!(mixed.goods, Some(Polarity::Positive));
        assert_eq!(mixed.logistics, Some(Polarity::Negative));
        assert_eq!(mixed.service, Some(Polarity::Negative));
        assert!(mixed.complains());
        assert!(mixed.topics.contains(&"物流") && mixed.topics.contains(&"客服"));
    }
}
