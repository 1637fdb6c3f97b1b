//! `zhanggui diagnose`: what is wrong and what to do: problems, then opportunities, each
//! ranked by the money at stake.

use std::process::ExitCode;

use zhanggui_analytics::diagnosis::thresholds::SETTING_PREFIX;
use zhanggui_analytics::diagnosis::Thresholds;
use zhanggui_analytics::{diagnose, DiagnoseRequest, Diagnosis};
use zhanggui_domain::{Currency, Money};
use zhanggui_storage::Store;

use crate::cli::{Cli, DiagnoseArgs};
use crate::{db, output, selection, UsageError};
use zhanggui_tables::diagnosis::sheet;
use zhanggui_tables::sheet::{to_csv, write_xlsx, Sheet};

pub fn run(cli: &Cli, args: &DiagnoseArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shops = selection::shops(&store, args.period.shop.as_deref())?;
    let (period, compare, anchor) = selection::period(&args.period)?;
    let all = selection::each_shop(&shops, |shop| {
        let mut thresholds = Thresholds::from_settings(&store.settings(shop)?)?;
        for pair in &args.set {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| UsageError(format!("--set {pair}: write KEY=VALUE")))?;
            thresholds
                .set(key.trim(), value)
                .map_err(|e| UsageError(e.to_string()))?;
            if args.save {
                store.set_setting(
                    shop,
                    &format!("{SETTING_PREFIX}{}", key.trim()),
                    Some(value.trim()),
                )?;
            }
        }
        let req = DiagnoseRequest {
            period,
            compare,
            anchor,
            thresholds: Some(thresholds),
        };
        Ok(diagnose(&store, shop, req)?)
    })?;
    let all: Vec<(Currency, Diagnosis)> = all
        .into_iter()
        .map(|(shop, d)| (shop.currency, d))
        .collect();
    if cli.json {
        output::json_shops(&all)?;
        return Ok(ExitCode::SUCCESS);
    }
    let sheets: Vec<Sheet> = all.iter().map(|(c, d)| sheet(d, *c)).collect();
    if args.export.csv {
        print!("{}", to_csv(&sheets)?);
    } else if let Some(path) = &args.export.xlsx {
        write_xlsx(&sheets, path)?;
        println!("wrote {}", path.display());
    } else {
        for (currency, d) in &all {
            println!("{}", render(d, *currency, args.details));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The diagnosis for people: one line per finding, ranked, then what to do.
pub fn render(d: &Diagnosis, currency: Currency, details: bool) -> String {
    let mut out = format!(
        "{}  诊断 {} .. {}  ({} {} .. {}; {} tests)\n",
        d.shop,
        d.period.from,
        d.period.to,
        d.compare.zh(),
        d.compared_with.from,
        d.compared_with.to,
        d.tests
    );
    if d.findings.is_empty() {
        out.push_str("nothing significant found\n");
        return out;
    }
    for (i, f) in d.findings.iter().enumerate() {
        let stake = if f.money_at_stake > 0 {
            Money::new(f.money_at_stake, currency).to_string()
        } else {
            "-".into()
        };
        out.push_str(&format!(
            "\n{}. [{}·{}] {}  (money at stake {stake})\n   → {}\n",
            i + 1,
            f.severity.zh(),
            f.kind.zh(),
            f.title,
            f.action
        ));
        if details {
            for e in &f.evidence {
                out.push_str(&format!("   evidence: {e}\n"));
            }
            out.push_str(&format!("   estimate: {}\n", f.stake_basis));
            if !f.confidence.statement.is_empty() {
                out.push_str(&format!("   confidence: {}\n", f.confidence.statement));
            }
        }
    }
    out
}
