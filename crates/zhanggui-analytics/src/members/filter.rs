//! Segment filters (人群圈选): a typed condition over a member's fields, combined with
//! `and`, `or`, `not` and parentheses, written as text and stored as JSON.
//!
//! ```text
//! r >= 4 and m >= 4 and not segment = 重要价值客户
//! p_alive < 0.5 and value > 300 and (region = "浙江" or category has 女装)
//! last_purchase < 2025-06-01 and orders >= 2
//! ```
//!
//! Every field has a type, and a comparison is checked against it when the filter is
//! parsed: a money field takes an amount in the shop's currency (`spend > 500` is ¥500), a
//! date field a `YYYY-MM-DD` day, `segment` one of the eight segment names (Chinese or the
//! English key), `category` takes `has`, text takes `=`, `!=` or `contains`. A mistake is
//! reported with its position, never read as something else.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::profile::Member;
use super::rfm::Segment;

/// A member field a filter can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    R,
    F,
    M,
    Segment,
    PAlive,
    ExpectedOrders,
    Value,
    Spend,
    Orders,
    LastPurchase,
    FirstPurchase,
    DaysSinceLast,
    Region,
    Category,
}

/// What kind of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Number,
    Money,
    Date,
    Text,
    SegmentName,
    Set,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::R,
        Field::F,
        Field::M,
        Field::Segment,
        Field::PAlive,
        Field::ExpectedOrders,
        Field::Value,
        Field::Spend,
        Field::Orders,
        Field::LastPurchase,
        Field::FirstPurchase,
        Field::DaysSinceLast,
        Field::Region,
        Field::Category,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::R => "r",
            Field::F => "f",
            Field::M => "m",
            Field::Segment => "segment",
            Field::PAlive => "p_alive",
            Field::ExpectedOrders => "expected_orders",
            Field::Value => "value",
            Field::Spend => "spend",
            Field::Orders => "orders",
            Field::LastPurchase => "last_purchase",
            Field::FirstPurchase => "first_purchase",
            Field::DaysSinceLast => "days_since_last",
            Field::Region => "region",
            Field::Category => "category",
        }
    }

    /// What the field means, for help texts and the web form.
    pub fn meaning(self) -> &'static str {
        match self {
            Field::R => "recency score 1..bins (R 分, higher is more recent)",
            Field::F => "frequency score 1..bins (F 分)",
            Field::M => "monetary score 1..bins (M 分)",
            Field::Segment => "one of the eight RFM segments (重要价值客户 ...)",
            Field::PAlive => "probability the customer is still active, 0..1 (BG/NBD)",
            Field::ExpectedOrders => "expected orders over the horizon (BG/NBD)",
            Field::Value => "predicted lifetime value over the horizon, in the shop's currency",
            Field::Spend => "total paid, in the shop's currency",
            Field::Orders => "paid orders",
            Field::LastPurchase => "day of the last paid order (YYYY-MM-DD)",
            Field::FirstPurchase => "day of the first paid order (YYYY-MM-DD)",
            Field::DaysSinceLast => "days since the last paid order",
            Field::Region => "region of the latest paid order (收货地区)",
            Field::Category => "categories bought (use `has`)",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Field::R
            | Field::F
            | Field::M
            | Field::PAlive
            | Field::ExpectedOrders
            | Field::Orders
            | Field::DaysSinceLast => Kind::Number,
            Field::Value | Field::Spend => Kind::Money,
            Field::LastPurchase | Field::FirstPurchase => Kind::Date,
            Field::Region => Kind::Text,
            Field::Segment => Kind::SegmentName,
            Field::Category => Kind::Set,
        }
    }

    /// Fields only a fitted model gives.
    pub fn is_prediction(self) -> bool {
        matches!(self, Field::PAlive | Field::ExpectedOrders | Field::Value)
    }

    fn parse(word: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == word)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Has,
    Contains,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Has => "has",
            Op::Contains => "contains",
        }
    }
}

/// A literal, typed by the field it is compared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Literal {
    Number(f64),
    Date(NaiveDate),
    Text(String),
    Segment(Segment),
}

/// A filter, as stored (JSON) and evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    All(Vec<Filter>),
    Any(Vec<Filter>),
    Not(Box<Filter>),
    Compare {
        field: Field,
        op: Op,
        value: Literal,
    },
}

/// Why a filter text is not a filter, with the character position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilterError {
    pub position: usize,
    pub message: String,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position + 1, self.message)
    }
}

impl std::error::Error for FilterError {}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    Op(Op),
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, FilterError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |position: usize, message: String| FilterError { position, message };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | '（' => {
                out.push((start, Token::Open));
                i += 1;
            }
            ')' | '）' => {
                out.push((start, Token::Close));
                i += 1;
            }
            '"' | '“' | '”' | '\'' => {
                let close = |d: char| d == c || (c == '“' && d == '”');
                let mut s = String::new();
                i += 1;
                while i < chars.len() && !close(chars[i]) {
                    s.push(chars[i]);
                    i += 1;
                }
                if i == chars.len() {
                    return Err(err(start, "a quote is not closed".into()));
                }
                i += 1;
                out.push((start, Token::Quoted(s)));
            }
            '=' | '!' | '<' | '>' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('=', Some('=')) => (Op::Eq, 2),
                    ('=', _) => (Op::Eq, 1),
                    ('!', Some('=')) => (Op::Ne, 2),
                    ('<', Some('=')) => (Op::Le, 2),
                    ('<', Some('>')) => (Op::Ne, 2),
                    ('<', _) => (Op::Lt, 1),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('>', _) => (Op::Gt, 1),
                    _ => return Err(err(start, "`!` stands only in `!=`; write `not`".into())),
                };
                out.push((start, Token::Op(op)));
                i += len;
            }
            _ => {
                let mut s = String::new();
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !"()（）=!<>\"'“”".contains(chars[i])
                {
                    s.push(chars[i]);
                    i += 1;
                }
                let token = match s.to_lowercase().as_str() {
                    "has" | "包含" => Token::Op(Op::Has),
                    "contains" => Token::Op(Op::Contains),
                    _ => Token::Word(s),
                };
                out.push((start, token));
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    at: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn position(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end, |(p, _)| *p)
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, FilterError> {
        Err(FilterError {
            position: self.position(),
            message: message.into(),
        })
    }

    fn keyword(&mut self, words: &[&str]) -> bool {
        if let Some(Token::Word(w)) = self.peek() {
            if words.contains(&w.to_lowercase().as_str()) {
                self.at += 1;
                return true;
            }
        }
        false
    }

    fn any(&mut self) -> Result<Filter, FilterError> {
        let mut parts = vec![self.all()?];
        while self.keyword(&["or", "或"]) {
            parts.push(self.all()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Filter::Any(parts)
        })
    }

    fn all(&mut self) -> Result<Filter, FilterError> {
        let mut parts = vec![self.unary()?];
        while self.keyword(&["and", "且"]) {
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Filter::All(parts)
        })
    }

    fn unary(&mut self) -> Result<Filter, FilterError> {
        if self.keyword(&["not", "非"]) {
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let inner = self.any()?;
            if self.peek() != Some(&Token::Close) {
                return self.fail("expected `)`");
            }
            self.at += 1;
            return Ok(inner);
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Filter, FilterError> {
        let Some(Token::Word(word)) = self.peek().cloned() else {
            return self.fail(format!("expected a field: {}", field_names()));
        };
        let Some(field) = Field::parse(&word.to_lowercase()) else {
            return self.fail(format!("`{word}` is not a field: {}", field_names()));
        };
        self.at += 1;
        let Some(Token::Op(op)) = self.peek().cloned() else {
            return self.fail(format!("expected a comparison after `{word}`"));
        };
        let allowed: &[Op] = match field.kind() {
            Kind::Number | Kind::Money | Kind::Date => {
                &[Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge]
            }
            Kind::Text => &[Op::Eq, Op::Ne, Op::Contains],
            Kind::SegmentName => &[Op::Eq, Op::Ne],
            Kind::Set => &[Op::Has],
        };
        if !allowed.contains(&op) {
            let list: Vec<&str> = allowed.iter().map(|o| o.symbol()).collect();
            return self.fail(format!(
                "`{word}` takes {}, not `{}`",
                list.join(", "),
                op.symbol()
            ));
        }
        self.at += 1;
        let (raw, quoted) = match self.peek().cloned() {
            Some(Token::Word(w)) => (w, false),
            Some(Token::Quoted(q)) => (q, true),
            _ => return self.fail(format!("expected a value after `{word} {}`", op.symbol())),
        };
        let value = match field.kind() {
            Kind::Number | Kind::Money => match raw.parse::<f64>() {
                Ok(v) if !quoted && v.is_finite() => Literal::Number(v),
                _ => return self.fail(format!("`{word}` is compared with a number, not `{raw}`")),
            },
            Kind::Date => match NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
                Ok(d) => Literal::Date(d),
                Err(_) => {
                    return self.fail(format!(
                        "`{word}` is compared with a day like 2025-06-01, not `{raw}`"
                    ))
                }
            },
            Kind::SegmentName => match Segment::ALL
                .into_iter()
                .find(|s| s.zh() == raw || s.as_str() == raw)
            {
                Some(s) => Literal::Segment(s),
                None => {
                    let names: Vec<&str> = Segment::ALL.iter().map(|s| s.zh()).collect();
                    return self.fail(format!("`{raw}` is not a segment: {}", names.join(", ")));
                }
            },
            Kind::Text | Kind::Set => Literal::Text(raw),
        };
        self.at += 1;
        Ok(Filter::Compare { field, op, value })
    }
}

fn field_names() -> String {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    names.join(", ")
}

impl Filter {
    /// Parses a filter text.
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        let tokens = tokenize(text)?;
        if tokens.is_empty() {
            return Err(FilterError {
                position: 0,
                message: "the filter is empty".into(),
            });
        }
        let mut p = Parser {
            tokens,
            at: 0,
            end: text.chars().count(),
        };
        let filter = p.any()?;
        if p.at < p.tokens.len() {
            return p.fail("expected `and`, `or` or the end");
        }
        Ok(filter)
    }

    /// The fields the filter reads.
    pub fn fields(&self) -> Vec<Field> {
        let mut out = Vec::new();
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields(&self, out: &mut Vec<Field>) {
        match self {
            Filter::All(parts) | Filter::Any(parts) => {
                parts.iter().for_each(|p| p.collect_fields(out))
            }
            Filter::Not(inner) => inner.collect_fields(out),
            Filter::Compare { field, .. } => {
                if !out.contains(field) {
                    out.push(*field)
                }
            }
        }
    }

    /// Whether a member is in the segment. `money_scale` is 10^(the currency's minor
    /// digits). A missing value (no region, no prediction) matches no comparison.
    pub fn matches(&self, m: &Member, money_scale: f64) -> bool {
        match self {
            Filter::All(parts) => parts.iter().all(|p| p.matches(m, money_scale)),
            Filter::Any(parts) => parts.iter().any(|p| p.matches(m, money_scale)),
            Filter::Not(inner) => !inner.matches(m, money_scale),
            Filter::Compare { field, op, value } => compare(m, *field, *op, value, money_scale),
        }
    }
}

fn order<T: PartialOrd>(a: T, op: Op, b: T) -> bool {
    match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::Has | Op::Contains => false,
    }
}

fn compare(m: &Member, field: Field, op: Op, value: &Literal, money_scale: f64) -> bool {
    let number = |v: Option<f64>| match (v, value) {
        (Some(v), Literal::Number(want)) => order(v, op, *want),
        _ => false,
    };
    let day = |d: NaiveDate| match value {
        Literal::Date(want) => order(d, op, *want),
        _ => false,
    };
    match field {
        Field::R => number(Some(f64::from(m.r))),
        Field::F => number(Some(f64::from(m.f))),
        Field::M => number(Some(f64::from(m.m))),
        Field::PAlive => number(m.p_alive),
        Field::ExpectedOrders => number(m.expected_orders),
        Field::Value => number(m.value.map(|v| v / money_scale)),
        Field::Spend => number(Some(m.spend as f64 / money_scale)),
        Field::Orders => number(Some(m.orders as f64)),
        Field::DaysSinceLast => number(Some(m.days_since_last as f64)),
        Field::LastPurchase => day(m.last_purchase),
        Field::FirstPurchase => day(m.first_purchase),
        Field::Segment => match value {
            Literal::Segment(s) => order(m.segment, op, *s),
            _ => false,
        },
        Field::Region => match (&m.region, value) {
            (Some(region), Literal::Text(want)) => match op {
                Op::Contains => region.contains(want.as_str()),
                _ => order(region.as_str(), op, want.as_str()),
            },
            _ => false,
        },
        Field::Category => match value {
            Literal::Text(want) => m.categories.iter().any(|c| c == want),
            _ => false,
        },
    }
}

/// The canonical text of a filter: parsing it gives the same filter back.
impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let joined = |f: &mut fmt::Formatter<'_>, parts: &[Filter], word: &str| {
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    write!(f, " {word} ")?;
                }
                match p {
                    Filter::All(_) | Filter::Any(_) => write!(f, "({p})")?,
                    _ => write!(f, "{p}")?,
                }
            }
            Ok(())
        };
        match self {
            Filter::All(parts) => joined(f, parts, "and"),
            Filter::Any(parts) => joined(f, parts, "or"),
            Filter::Not(inner) => match inner.as_ref() {
                Filter::All(_) | Filter::Any(_) => write!(f, "not ({inner})"),
                _ => write!(f, "not {inner}"),
            },
            Filter::Compare { field, op, value } => {
                write!(f, "{} {} ", field.name(), op.symbol())?;
                match value {
                    Literal::Number(v) => write!(f, "{v}"),
                    Literal::Date(d) => write!(f, "{d}"),
                    Literal::Segment(s) => write!(f, "{}", s.zh()),
                    Literal::Text(t) => write!(f, "\"{}\"", t.replace('"', "'")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member() -> Member {
        Member {
            buyer: "tb_alice".into(),
            first_purchase: NaiveDate::from_ymd_opt(2025, 1, 5).unwrap(),
            last_purchase: NaiveDate::from_ymd_opt(2025, 5, 20).unwrap(),
            days_since_last: 120,
            orders: 3,
            spend: 68_000,
            r: 2,
            f: 4,
            m: 5,
            segment: Segment::ImportantKeep,
            p_alive: Some(0.3),
            expected_orders: Some(0.4),
            value: Some(25_000.0),
            region: Some("浙江省".into()),
            categories: vec!["女装".into(), "配饰".into()],
        }
    }

    #[test]
    fn filters_read_members_as_operators_write_them() {
        let m = member();
        let yes = [
            "r <= 2 and m >= 4",
            "segment = 重要保持客户",
            "segment = important_keep and not segment = 重要价值客户",
            "p_alive < 0.5 and value > 200",
            "spend >= 680 and spend < 680.01",
            "category has 女装 and region contains 浙江",
            "last_purchase < 2025-06-01 or orders > 10",
            "(orders > 10 or days_since_last >= 90) and not category has 童装",
            "region = \"浙江省\"",
        ];
        for text in yes {
            let f = Filter::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(f.matches(&m, 100.0), "{text} should match");
        }
        let no = [
            "r > 2",
            "value > 300",
            "category has 童装",
            "not (m = 5 and f = 4)",
            "region != 浙江省",
        ];
        for text in no {
            assert!(!Filter::parse(text).unwrap().matches(&m, 100.0), "{text}");
        }
        // Without a fit, predictions match nothing (and the caller is told, see profile).
        let unfitted = Member {
            p_alive: None,
            ..member()
        };
        assert!(!Filter::parse("p_alive < 0.5")
            .unwrap()
            .matches(&unfitted, 100.0));
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        let cases = [
            ("spend > lots", 8, "number"),
            ("category = 女装", 9, "has"),
            ("segment = 大客户", 10, "not a segment"),
            ("last_purchase < June", 16, "2025-06-01"),
            ("age > 3", 0, "not a field"),
            ("r > 3 and", 9, "expected a field"),
            ("(r > 3", 6, "`)`"),
            ("r > 3 m > 2", 6, "`and`"),
            ("region = \"杭州", 9, "quote"),
            ("", 0, "empty"),
        ];
        for (text, position, says) in cases {
            let e = Filter::parse(text).expect_err(text);
            assert_eq!(e.position, position, "{text}: {e}");
            assert!(e.message.contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn text_and_json_give_the_same_filter_back() {
        for text in [
            "r >= 4 and (m >= 4 or f >= 4) and not segment = 一般挽留客户",
            "not (p_alive < 0.5 or value > 1000.5) or region contains \"上海\"",
            "last_purchase >= 2025-01-01 and category has \"家居 日用\"",
        ] {
            let f = Filter::parse(text).unwrap();
            assert_eq!(Filter::parse(&f.to_string()).unwrap(), f, "{f}");
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(serde_json::from_str::<Filter>(&json).unwrap(), f);
        }
    }
}
