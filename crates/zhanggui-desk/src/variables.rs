//! Variables in reply scripts: `{买家昵称}`, `{订单号}`, `{商品标题}`, `{物流公司}`, `{物流单号}`,
//! `{店铺名称}`, `{收货城市}`, filled from an order or a buyer when the script is sent. An
//! unknown variable is an error when the script is saved, and a variable without a value is
//! an error when it is filled: a reply never goes out with a blank where a name should be.
//! `{{` and `}}` stand for literal braces.

use std::collections::BTreeMap;
use std::fmt;

use zhanggui_storage::OrderForScript;

/// A variable a script may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variable {
    BuyerNick,
    OrderNo,
    ProductTitle,
    Carrier,
    TrackingNo,
    ShopName,
    City,
}

impl Variable {
    pub const ALL: [Variable; 7] = [
        Variable::BuyerNick,
        Variable::OrderNo,
        Variable::ProductTitle,
        Variable::Carrier,
        Variable::TrackingNo,
        Variable::ShopName,
        Variable::City,
    ];

    /// The name written between braces.
    pub fn name(self) -> &'static str {
        match self {
            Variable::BuyerNick => "买家昵称",
            Variable::OrderNo => "订单号",
            Variable::ProductTitle => "商品标题",
            Variable::Carrier => "物流公司",
            Variable::TrackingNo => "物流单号",
            Variable::ShopName => "店铺名称",
            Variable::City => "收货城市",
        }
    }

    pub fn parse(name: &str) -> Option<Variable> {
        Variable::ALL.into_iter().find(|v| v.name() == name.trim())
    }
}

/// The variables' values for a shop and, when given, one of its orders (the buyer id, the
/// first line's title, carrier, tracking number, region); what the order lacks stays unset.
pub fn values_for(shop_name: &str, order: Option<OrderForScript>) -> BTreeMap<Variable, String> {
    let mut values = BTreeMap::new();
    values.insert(Variable::ShopName, shop_name.to_owned());
    if let Some(o) = order {
        values.insert(Variable::OrderNo, o.order_no);
        for (k, v) in [
            (Variable::BuyerNick, o.buyer),
            (Variable::ProductTitle, o.title),
            (Variable::Carrier, o.carrier),
            (Variable::TrackingNo, o.tracking_no),
            (Variable::City, o.region),
        ] {
            if let Some(v) = v {
                values.insert(k, v);
            }
        }
    }
    values
}

/// A script's text with its variables found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Var(Variable),
}

/// Why a script's text cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// Character position of the brace.
    pub position: usize,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position + 1, self.message)
    }
}

impl std::error::Error for TemplateError {}

/// Why a script cannot be filled for this order: the variables that have no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingValues(pub Vec<Variable>);

impl fmt::Display for MissingValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.0.iter().map(|v| format!("{{{}}}", v.name())).collect();
        write!(f, "no value for {}", names.join(", "))
    }
}

impl std::error::Error for MissingValues {}

fn known() -> String {
    let names: Vec<String> = Variable::ALL
        .iter()
        .map(|v| format!("{{{}}}", v.name()))
        .collect();
    names.join(" ")
}

impl Template {
    /// Finds the variables of a script's text; an unknown or unclosed one is an error.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let chars: Vec<char> = text.chars().collect();
        let mut pieces = Vec::new();
        let mut plain = String::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '{' if chars.get(i + 1) == Some(&'{') => {
                    plain.push('{');
                    i += 2;
                }
                '}' if chars.get(i + 1) == Some(&'}') => {
                    plain.push('}');
                    i += 2;
                }
                '{' => {
                    let start = i;
                    let close = chars[i + 1..].iter().position(|c| *c == '}' || *c == '{');
                    let Some(len) = close.filter(|l| chars[i + 1 + l] == '}') else {
                        return Err(TemplateError {
                            position: start,
                            message: "a `{` is not closed (write `{{` for a brace)".into(),
                        });
                    };
                    let name: String = chars[i + 1..i + 1 + len].iter().collect();
                    let Some(var) = Variable::parse(&name) else {
                        return Err(TemplateError {
                            position: start,
                            message: format!(
                                "`{{{name}}}` is not a variable; they are {}",
                                known()
                            ),
                        });
                    };
                    if !plain.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut plain)));
                    }
                    pieces.push(Piece::Var(var));
                    i += len + 2;
                }
                '}' => {
                    return Err(TemplateError {
                        position: i,
                        message: "a `}` without its `{` (write `}}` for a brace)".into(),
                    })
                }
                c => {
                    plain.push(c);
                    i += 1;
                }
            }
        }
        if !plain.is_empty() {
            pieces.push(Piece::Text(plain));
        }
        Ok(Template { pieces })
    }

    /// The variables used, each once, in order of first use.
    pub fn variables(&self) -> Vec<Variable> {
        let mut out = Vec::new();
        for p in &self.pieces {
            if let Piece::Var(v) = p {
                if !out.contains(v) {
                    out.push(*v);
                }
            }
        }
        out
    }

    /// The text with every variable replaced by its value.
    pub fn fill(&self, values: &BTreeMap<Variable, String>) -> Result<String, MissingValues> {
        let missing: Vec<Variable> = self
            .variables()
            .into_iter()
            .filter(|v| values.get(v).is_none_or(|s| s.trim().is_empty()))
            .collect();
        if !missing.is_empty() {
            return Err(MissingValues(missing));
        }
        Ok(self
            .pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.as_str(),
                Piece::Var(v) => values[v].as_str(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_found_checked_and_filled() {
        let t = Template::parse(
            "亲爱的{买家昵称}，您的订单{订单号}已由{物流公司}发出，单号{物流单号}。{{活动}}",
        )
        .unwrap();
        assert_eq!(
            t.variables(),
            [
                Variable::BuyerNick,
                Variable::OrderNo,
                Variable::Carrier,
                Variable::TrackingNo
            ]
        );
        let mut values = BTreeMap::new();
        values.insert(Variable::BuyerNick, "小王".to_owned());
        values.insert(Variable::OrderNo, "1930688123".to_owned());
        values.insert(Variable::Carrier, "顺丰".to_owned());
        let missing = t.fill(&values).unwrap_err();
        assert_eq!(missing.0, [Variable::TrackingNo]);
        assert!(missing.to_string().contains("{物流单号}"));
        values.insert(Variable::TrackingNo, "SF123".to_owned());
        assert_eq!(
            t.fill(&values).unwrap(),
            "亲爱的小王，您的订单1930688123已由顺丰发出，单号SF123。{活动}"
        );
    }

    #[test]
    fn mistakes_are_refused_where_they_are() {
        let e = Template::parse("您好{买家名字}").unwrap_err();
        assert_eq!(e.position, 2);
        assert!(e.message.contains("{买家昵称}"), "{e}");
        let e = Template::parse("单号{物流单号").unwrap_err();
        assert!(e.message.contains("not closed"));
        let e = Template::parse("好的}").unwrap_err();
        assert_eq!(e.position, 2);
        assert!(Template::parse("没有变量的话术")
            .unwrap()
            .variables()
            .is_empty());
    }
}
