//! What a diagnosis finds: the problem or opportunity, its evidence, the money at stake,
//! the action in the operator's words, and how sure it is.

use serde::Serialize;

/// How much a finding matters, from its money at stake against the period's sales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    /// High from 5% of the period's sales, medium from 1%.
    pub fn of(stake: i64, sales: i64) -> Severity {
        let share = if sales > 0 {
            stake as f64 / sales as f64
        } else {
            0.0
        };
        if share >= 0.05 {
            Severity::High
        } else if share >= 0.01 {
            Severity::Medium
        } else {
            Severity::Low
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Severity::High => "高",
            Severity::Medium => "中",
            Severity::Low => "低",
        }
    }
}

/// Whether a finding is money the books show lost or owed, sales being lost, or money that
/// could be won. The books come first (each sale of a product sold at a loss makes it
/// worse, and their amounts are measured, not estimated from a change), then problems
/// (seed 002: fix conversion before buying more traffic), then opportunities, each kind
/// ranked by its money at stake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// From costs and bills: a product sold at a loss, ads above break-even, refunds that
    /// eat a margin, paid orders the platform never settled.
    Profit,
    /// Something fell, broke, or is below its reference: sales are being lost now.
    Problem,
    /// A lever to pull: traffic to steer, a rise to build on. Its stake rests on an
    /// assumed step (`growth_step` more visitors), not on a loss measured.
    Opportunity,
}

impl Kind {
    pub fn zh(self) -> &'static str {
        match self {
            Kind::Profit => "利润",
            Kind::Problem => "问题",
            Kind::Opportunity => "机会",
        }
    }
}

/// How sure a finding is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confidence {
    /// The test behind it, or why none applies.
    pub test: &'static str,
    /// The test's p-value, and the same adjusted for the number of tests in the run
    /// (Benjamini-Hochberg).
    pub p_value: Option<f64>,
    pub adjusted_p: Option<f64>,
    /// In words.
    pub statement: String,
}

impl Confidence {
    /// A finding about a level against a reference (no test of a change applies).
    pub fn level(statement: &str) -> Confidence {
        Confidence {
            test: "none: a level compared with a reference",
            p_value: None,
            adjusted_p: None,
            statement: statement.to_owned(),
        }
    }

    /// A tested finding; the adjusted p-value is filled in when all tests are known.
    pub fn tested(test: &'static str, p_value: f64) -> Confidence {
        Confidence {
            test,
            p_value: Some(p_value),
            adjusted_p: None,
            statement: String::new(),
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule that found it.
    pub rule: &'static str,
    pub kind: Kind,
    pub severity: Severity,
    /// The product or source it is about, if any.
    pub subject: Option<String>,
    pub subject_label: Option<String>,
    /// One line, in Chinese, with the numbers.
    pub title: String,
    /// The numbers behind it, with their periods.
    pub evidence: Vec<String>,
    /// Minor units of the shop's currency.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub money_at_stake: i64,
    /// How the money at stake was estimated.
    pub stake_basis: &'static str,
    /// What to do, in the operator's words.
    pub action: String,
    pub confidence: Confidence,
}

impl Finding {
    /// A finding of `rule`, not yet about a product or source, with its estimate of the
    /// money at stake (negative estimates count as nothing at stake).
    pub fn new(rule: &'static str, title: String, stake: f64, basis: &'static str) -> Finding {
        Finding {
            rule,
            kind: Kind::Problem,
            severity: Severity::Low,
            subject: None,
            subject_label: None,
            title,
            evidence: Vec::new(),
            money_at_stake: stake.max(0.0).round() as i64,
            stake_basis: basis,
            action: String::new(),
            confidence: Confidence::level(""),
        }
    }

    /// The same finding as one about profit (from costs and bills).
    pub fn profit(mut self) -> Finding {
        self.kind = Kind::Profit;
        self
    }

    /// The same finding as an opportunity rather than a problem.
    pub fn opportunity(mut self) -> Finding {
        self.kind = Kind::Opportunity;
        self
    }

    /// The same finding about one product or source.
    pub fn about(mut self, subject: &str, label: Option<String>) -> Finding {
        self.subject = Some(subject.to_owned());
        self.subject_label = label;
        self
    }
}
