//! The metric dictionary as a Markdown document (`docs/metrics.md`), rendered from the
//! dictionary itself so that the two cannot drift apart.

use zhanggui_domain::metrics::{measure_name, Measure, Unit, METRICS};

fn unit_text(u: Unit) -> &'static str {
    match u {
        Unit::Count => "count",
        Unit::Money => "money (the shop's currency)",
        Unit::Rate => "percentage",
        Unit::Ratio => "ratio",
        Unit::Duration => "hours",
        Unit::Score => "score out of 5",
    }
}

/// The dictionary in Markdown.
pub fn dictionary_markdown() -> String {
    let mut out = String::from(
        "# Metric dictionary (指标字典)\n\n\
         Every number zhanggui reports, defined once. This file is generated from the \
         dictionary in `crates/zhanggui-domain/src/metrics.rs` by `zhanggui metrics \
         --markdown`; a test fails when it is out of date.\n\n\
         Conventions: a day is a day of the shop's time zone; an order belongs to the day \
         it was paid (orders without a payment time: the day they were placed); money is \
         kept in integer minor units and never summed as floating point; a metric whose \
         data is missing (no traffic report imported, a grouping the data cannot give) is \
         reported as unavailable with the reason, never as 0. Buyers are counted by the \
         platform's buyer id; orders without one count as orders, not buyers.\n\n",
    );
    out.push_str("| id | 指标 | metric | formula | unit | better |\n|---|---|---|---|---|---|\n");
    for m in METRICS {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            m.id,
            m.zh,
            m.en,
            m.formula_text(),
            unit_text(m.unit),
            if m.higher_is_better {
                "higher"
            } else {
                "lower"
            }
        ));
    }
    out.push_str("\n## Definitions\n");
    for m in METRICS {
        out.push_str(&format!(
            "\n### {} {} (`{}`)\n\n{}\n\n- Formula: {}\n- Orders counted: {}\n- Unit: {}; {} is better\n",
            m.zh,
            m.en,
            m.id,
            m.definition,
            m.formula_text(),
            m.states,
            unit_text(m.unit),
            if m.higher_is_better { "higher" } else { "lower" },
        ));
    }
    out.push_str("\n## Measures and where they come from\n\n| measure | source |\n|---|---|\n");
    for m in Measure::ALL {
        out.push_str(&format!("| {} | {} |\n", measure_name(m), m.source()));
    }
    out.push_str(
        "\n## Peer benchmarks\n\n\
         同行同层平均 and 同行同层优秀 come from the rows of that name in the traffic-source \
         report. Over a period, counts and money are summed over its days and rates are \
         averaged over them; a benchmark is shown only when the report carries it for every \
         day of the period.\n",
    );
    out
}
