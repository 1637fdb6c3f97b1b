//! Column mappings: a TOML file that names which column of a user's file is which field, for
//! files no preset knows (ERP exports, flat order-line files). `zhanggui mapping new FILE`
//! writes a skeleton from the file's header.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;
use zhanggui_domain::OrderState;

use crate::binding::{Binding, StateRule};
use crate::fields::{Field, RowKind};
use crate::presets::{detect, PRESETS};
use crate::read::Header;

/// A column mapping as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Recorded with each import as its format.
    pub name: String,
    pub kind: RowKind,
    /// field name → column name.
    pub columns: BTreeMap<String, String>,
    #[serde(default)]
    pub state: StateSection,
    #[serde(default)]
    pub file: FileSection,
}

/// How the file is laid out, for text files that cannot say it themselves.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSection {
    /// Whether the first row names the columns; without a header, columns are named by
    /// position: "1", "2", ...
    #[serde(default = "yes")]
    pub header: bool,
    /// `"whitespace"`: columns are separated by runs of spaces or tabs.
    pub delimiter: Option<String>,
}

fn yes() -> bool {
    true
}

impl Default for FileSection {
    fn default() -> Self {
        FileSection {
            header: true,
            delimiter: None,
        }
    }
}

/// How order states are set when no column holds them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateSection {
    /// The state of every order no rule and no column decides (e.g. `completed`).
    pub default: Option<String>,
    #[serde(default)]
    pub rules: Vec<StateRuleSpec>,
}

/// `column` starting with `starts_with` means the order is in `state`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateRuleSpec {
    pub column: String,
    pub starts_with: String,
    pub state: String,
}

/// Why a mapping cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("cannot read the mapping {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("the mapping {path} is not valid: {reason}")]
    Invalid { path: String, reason: String },
    #[error("the mapping `{name}` names columns this file does not have: {missing}; the file's columns are: {available}")]
    MissingColumns {
        name: String,
        missing: String,
        available: String,
    },
}

impl Mapping {
    /// Reads and checks a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, MappingError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| MappingError::Read {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        Self::parse(&text).map_err(|reason| MappingError::Invalid {
            path: shown,
            reason,
        })
    }

    /// Parses and checks mapping text.
    pub fn parse(text: &str) -> Result<Mapping, String> {
        let mapping: Mapping = toml::from_str(text).map_err(|e| e.to_string())?;
        for field in mapping.columns.keys() {
            field.parse::<Field>()?;
        }
        if let Some(d) = mapping.file.delimiter.as_deref() {
            if d != "whitespace" {
                return Err(format!(
                    "[file] delimiter `{d}` is not known: write \"whitespace\" (other delimiters are detected)"
                ));
            }
        }
        if let Some(state) = &mapping.state.default {
            parse_state(state)?;
        }
        for rule in &mapping.state.rules {
            parse_state(&rule.state)?;
        }
        let required: &[Field] = match mapping.kind {
            RowKind::Orders => &[Field::OrderNo],
            RowKind::OrderLines => &[Field::OrderNo, Field::Quantity],
            RowKind::ProductDays => &[Field::ProductCode, Field::Day],
            RowKind::SourceDays => &[Field::Source, Field::Day],
            RowKind::Refunds => &[Field::RefundNo],
        };
        for field in required {
            if !mapping.columns.contains_key(field.as_str()) {
                return Err(format!(
                    "a mapping of kind {} must name a column for `{field}` ({})",
                    mapping.kind.as_str(),
                    field.doc()
                ));
            }
        }
        Ok(mapping)
    }

    /// How to read the file's text.
    pub fn layout(&self) -> crate::read::Layout {
        crate::read::Layout {
            header: self.file.header,
            whitespace: self.file.delimiter.as_deref() == Some("whitespace"),
        }
    }

    /// The columns this mapping names as `a+b` (a key joined from several columns) that the
    /// header does not have itself, with the positions of their parts.
    pub fn joins(&self, header: &Header) -> Vec<(String, Vec<usize>)> {
        self.columns
            .values()
            .filter(|c| c.contains('+') && header.index_of(c).is_none())
            .filter_map(|c| {
                let parts: Option<Vec<usize>> =
                    c.split('+').map(|p| header.index_of(p.trim())).collect();
                parts.map(|p| (c.clone(), p))
            })
            .collect()
    }

    /// Whether a header has every column the mapping names (joined ones by their parts).
    pub fn accepts(&self, header: &Header) -> bool {
        let joined = self.joins(header);
        self.columns
            .values()
            .all(|c| header.index_of(c).is_some() || joined.iter().any(|(name, _)| name == c))
    }

    /// Binds the mapping to a file's header.
    pub fn bind(&self, header: &Header) -> Result<Binding, MappingError> {
        let mut bound = Vec::new();
        let mut missing = Vec::new();
        for (field, column) in &self.columns {
            let field: Field = field.parse().expect("checked on load");
            match header.index_of(column) {
                Some(col) => bound.push((field, col)),
                None => missing.push(format!("`{column}` (for {field})")),
            }
        }
        let mut rules = Vec::new();
        for rule in &self.state.rules {
            match header.index_of(&rule.column) {
                Some(column) => rules.push(StateRule {
                    column,
                    column_name: rule.column.clone(),
                    starts_with: rule.starts_with.clone(),
                    state: parse_state(&rule.state).expect("checked on load"),
                }),
                None => missing.push(format!("`{}` (in a state rule)", rule.column)),
            }
        }
        if !missing.is_empty() {
            return Err(MappingError::MissingColumns {
                name: self.name.clone(),
                missing: missing.join(", "),
                available: header.names.join(", "),
            });
        }
        let mut binding = Binding::new(self.name.clone(), self.kind, header, &bound);
        binding.default_state = self
            .state
            .default
            .as_deref()
            .map(|s| parse_state(s).expect("checked on load"));
        binding.state_rules = rules;
        Ok(binding)
    }
}

fn parse_state(word: &str) -> Result<OrderState, String> {
    OrderState::from_platform_word(word).ok_or_else(|| {
        format!("`{word}` is not a state; use created, paid, shipped, completed or closed")
    })
}

/// A mapping skeleton for a file's header: columns a preset would recognise are filled in,
/// every other field is listed commented out with what it means.
pub fn skeleton(header: &Header, file_name: &str) -> String {
    let kind = detect(header).map_or(RowKind::OrderLines, |p| p.kind);
    let mut guessed: BTreeMap<Field, String> = BTreeMap::new();
    for preset in PRESETS.iter().filter(|p| p.kind == kind) {
        for (field, names) in preset.columns {
            if let Some(col) = header.find(names) {
                guessed
                    .entry(*field)
                    .or_insert_with(|| header.names[col].clone());
            }
        }
    }
    let stem = Path::new(file_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("my-export");
    let mut out = String::new();
    let _ = writeln!(out, "# zhanggui column mapping for {file_name}");
    let _ = writeln!(
        out,
        "# Fill in which column holds which field, then: zhanggui import --shop NAME --mapping THIS_FILE {file_name}"
    );
    let _ = writeln!(out, "# The file's columns: {}", header.names.join(", "));
    let _ = writeln!(out);
    let _ = writeln!(out, "name = {:?}", stem);
    let _ = writeln!(
        out,
        "# orders | order_lines | product_days | source_days | refunds\nkind = {:?}",
        kind.as_str()
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "[columns]");
    for field in Field::ALL {
        match guessed.get(field) {
            Some(column) => {
                let _ = writeln!(out, "{} = {:?}  # {}", field.as_str(), column, field.doc());
            }
            None => {
                let _ = writeln!(out, "# {} = \"\"  # {}", field.as_str(), field.doc());
            }
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "# When no column holds the order state:\n# [state]\n# default = \"completed\"\n# [[state.rules]]\n# column = \"\"\n# starts_with = \"C\"\n# state = \"closed\""
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_online_retail_example_loads() {
        let text = include_str!("../../../examples/mappings/online_retail.toml");
        let mapping = Mapping::parse(text).unwrap();
        assert_eq!(mapping.kind, RowKind::OrderLines);
        assert_eq!(mapping.state.rules.len(), 1);
    }

    #[test]
    fn unknown_fields_and_states_are_refused() {
        let bad_field =
            "name = \"x\"\nkind = \"orders\"\n[columns]\norder_no = \"A\"\nprice = \"B\"\n";
        assert!(Mapping::parse(bad_field).unwrap_err().contains("price"));
        let bad_state = "name = \"x\"\nkind = \"orders\"\n[columns]\norder_no = \"A\"\n[state]\ndefault = \"lost\"\n";
        assert!(Mapping::parse(bad_state).unwrap_err().contains("lost"));
        let missing = "name = \"x\"\nkind = \"order_lines\"\n[columns]\norder_no = \"A\"\n";
        assert!(Mapping::parse(missing).unwrap_err().contains("quantity"));
    }

    #[test]
    fn a_skeleton_is_a_valid_mapping_once_filled() {
        let header = Header::new(
            ["订单编号", "标题", "价格", "购买数量", "其他"]
                .map(String::from)
                .to_vec(),
            1,
        );
        let text = skeleton(&header, "ExportOrderDetailList.csv");
        let mapping = Mapping::parse(&text).unwrap();
        assert_eq!(
            mapping.columns.get("order_no").map(String::as_str),
            Some("订单编号")
        );
        assert!(mapping.bind(&header).is_ok());
    }
}
