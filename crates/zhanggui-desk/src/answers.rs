//! Answer suggestions (the 旺旺机器人 role): a shop's knowledge base of question/answer
//! pairs, and for a buyer's question the best answers with their scores.
//!
//! Each entry is indexed like a script (its standard question as the title, its answer as
//! the text, its keywords as tags: BM25 over jieba words and character pairs, see
//! `search.rs`), after the buyer's words and the entry's are brought to one wording by a
//! table of synonyms (发出 → 发货, 尺寸表 → 尺码表, ...); particles and pronouns (吗, 能不能,
//! 你们 ...) are left out of the question. The synonyms, the stop words and the knowledge
//! base's keywords were tuned on the tuning half of the evaluation set only
//! (`data/questions.csv`); accuracy is reported on the other half.

use zhanggui_storage::KnowledgeRecord;

use crate::search::{Doc, Index};
use crate::transfer::TransferError;

/// The knowledge base of the evaluation set (60 entries over shipping, returns, sizes,
/// invoices, discounts, stock, gifts, products, payment and orders), which the demo shop
/// also ships with. Columns: `id, topic, question, answer, keywords` (keywords separated by
/// `|`), the format `zhanggui script kb import` reads.
pub const STARTER_KNOWLEDGE: &str = include_str!("../data/knowledge.csv");

/// Knowledge-base rows (header first) as entries; a missing column or a bad id is an error.
pub fn knowledge_rows(rows: Vec<Vec<String>>) -> Result<Vec<KnowledgeRecord>, TransferError> {
    let mut rows = rows.into_iter();
    let header: Vec<String> = rows
        .next()
        .ok_or_else(|| TransferError("the file is empty".into()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let col = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            TransferError(format!(
                "the file has no `{name}` column; the columns are id, topic, question, answer, keywords"
            ))
        })
    };
    let (id, topic, question, answer, keywords) = (
        col("id")?,
        col("topic")?,
        col("question")?,
        col("answer")?,
        col("keywords")?,
    );
    rows.enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| {
            let get = |k: usize| r.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
            let entry = get(id).parse::<i64>().map_err(|_| {
                TransferError(format!("row {}: `{}` is not an entry id", i + 2, get(id)))
            })?;
            if get(question).is_empty() || get(answer).is_empty() {
                return Err(TransferError(format!(
                    "row {}: an entry has a question and an answer",
                    i + 2
                )));
            }
            Ok(KnowledgeRecord {
                id: entry,
                topic: Some(get(topic)).filter(|t| !t.is_empty()),
                question: get(question),
                answer: get(answer),
                keywords: get(keywords)
                    .split('|')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect()
}

impl From<&KnowledgeRecord> for Entry {
    fn from(k: &KnowledgeRecord) -> Entry {
        Entry {
            id: k.id as u64,
            question: k.question.clone(),
            answer: k.answer.clone(),
            keywords: k.keywords.clone(),
        }
    }
}

/// One knowledge-base entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: u64,
    pub question: String,
    pub answer: String,
    pub keywords: Vec<String>,
}

/// A suggested answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub entry: u64,
    pub score: f32,
}

/// Words buyers use for the same thing, each group's first word standing for all. Taken
/// from the knowledge base's own wording and the tuning questions only.
const SYNONYMS: &[&[&str]] = &[
    &["发货", "发出"],
    &["快递", "快递公司"],
    &["退货", "退回去"],
    &["运费", "邮费"],
    &["破损", "碎了", "坏的"],
    &["送货上门", "送到家"],
    &["合并", "一起发"],
    &["尺码表", "尺寸表"],
    &["重开", "重新开"],
    &["优惠券", "领券", "券"],
    &["便宜", "便宜一点"],
    &["抵扣", "抵钱"],
    &["现货", "有货"],
    &["颜色", "红色", "黑色", "白色"],
    &["礼品包装", "包装"],
    &["色差", "和图片一样"],
    &["付款失败", "支付失败"],
    &["货到付款", "到了再付钱"],
    &["批发", "量大"],
];

/// Words that carry no subject in a buyer's question (particles, pronouns, 能不能...),
/// left out of the query.
const STOP_WORDS: &[&str] = &[
    "吗",
    "呢",
    "吧",
    "啊",
    "呀",
    "哦",
    "的",
    "了",
    "是",
    "我",
    "你",
    "你们",
    "我们",
    "能",
    "可以",
    "能不能",
    "可不可以",
    "请问",
    "亲",
    "一下",
    "怎么",
    "怎么办",
    "什么",
    "多少",
    "这",
    "这个",
    "这款",
    "那",
    "要",
    "想",
    "会",
    "会不会",
    "还",
    "就",
    "都",
    "在",
    "和",
    "给",
    "帮",
    "帮我",
    "麻烦",
    "一次",
    "有没有",
    "不能",
    "吗？",
];

/// The text with every synonym replaced by its group's first word, scanning left to right
/// and taking the longest word that starts at each place (so a canonical word that holds a
/// variant, 取消订单 holding 取消, stays as it is).
pub fn normalize(text: &str) -> String {
    let patterns: Vec<(Vec<char>, &str)> = SYNONYMS
        .iter()
        .flat_map(|group| group.iter().map(move |v| (v.chars().collect(), group[0])))
        .collect();
    let chars: Vec<char> = text.to_lowercase().chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let best = patterns
            .iter()
            .filter(|(p, _)| chars[i..].starts_with(p))
            .max_by_key(|(p, _)| p.len());
        match best {
            Some((p, canonical)) => {
                out.push_str(canonical);
                i += p.len();
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// A knowledge base ready to answer.
pub struct Answerer {
    index: Index,
}

impl Answerer {
    pub fn build(entries: &[Entry]) -> Answerer {
        let docs: Vec<Doc> = entries
            .iter()
            .map(|e| Doc {
                id: e.id,
                title: normalize(&e.question),
                text: normalize(&e.answer),
                shortcut: None,
                tags: e.keywords.iter().map(|k| normalize(k)).collect(),
            })
            .collect();
        Answerer {
            index: Index::build(&docs),
        }
    }

    /// The best `k` entries for a buyer's question.
    pub fn suggest(&self, question: &str, k: usize) -> Vec<Suggestion> {
        let words: Vec<String> = self
            .index
            .words(&normalize(question))
            .into_iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .collect();
        self.index
            .search(&words.join(" "), k, &|_| 0)
            .into_iter()
            .map(|h| Suggestion {
                entry: h.id,
                score: h.score,
            })
            .collect()
    }
}
