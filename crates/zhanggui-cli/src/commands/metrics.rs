//! `zhanggui metrics`: the metric dictionary, as a table or as docs/metrics.md.

use std::process::ExitCode;

use zhanggui_analytics::doc::dictionary_markdown;
use zhanggui_domain::metrics::METRICS;

use crate::cli::{Cli, MetricsArgs};
use crate::output;

pub fn run(cli: &Cli, args: &MetricsArgs) -> anyhow::Result<ExitCode> {
    if args.markdown {
        print!("{}", dictionary_markdown());
    } else if cli.json {
        output::json(METRICS)?;
    } else {
        let rows: Vec<Vec<String>> = METRICS
            .iter()
            .map(|m| {
                vec![
                    m.id.to_owned(),
                    m.zh.to_owned(),
                    m.en.to_owned(),
                    m.formula_text(),
                ]
            })
            .collect();
        println!(
            "{}",
            output::table(&["id", "指标", "metric", "formula"], &rows)
        );
    }
    Ok(ExitCode::SUCCESS)
}
