//! `zhanggui ads ...`: ad reports in (`import`), what each plan earns against break-even
//! (`report`), and where to move the budget (`budget`).

use std::process::ExitCode;

use zhanggui_analytics::period::PeriodSpec;
use zhanggui_analytics::promotion::report::{parse_by, GOAL_PREFIX, MARGIN_SETTING, SHARE_PREFIX};
use zhanggui_analytics::promotion::{ads_report, AdsRequest, Goal, MoveRules};
use zhanggui_import::side::ad_reports::{import_ad_report, AdImportError, AdReportError};
use zhanggui_storage::{AdBy, AdStore, DayRange, DuckStore, Store};
use zhanggui_tables::promotion::sheets;
use zhanggui_tables::sheet::{to_csv, write_xlsx, Sheet};

use crate::cli::{AdsArgs, AdsCommand, AdsWindow, Cli, ExportArgs};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, args: &AdsArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shop = selection::one_shop(&store, args.shop.as_deref())?;
    match &args.command {
        AdsCommand::Import {
            files,
            tool,
            attribution,
            map,
        } => {
            let overrides = zhanggui_import::side::parse_overrides(map).map_err(UsageError)?;
            let mut any_rejected = false;
            let mut done = Vec::new();
            for file in files {
                let imported = match import_ad_report(
                    &store,
                    &shop,
                    file,
                    tool.as_deref(),
                    attribution.as_deref(),
                    &overrides,
                ) {
                    Err(AdImportError::Read(e @ AdReportError::UnknownTool(_))) => {
                        return Err(UsageError(e.to_string()).into())
                    }
                    other => other?,
                };
                for r in &imported.rejected {
                    eprintln!("{} row {}: {}", file.display(), r.row, r.reason);
                }
                any_rejected |= !imported.rejected.is_empty();
                if !cli.json {
                    println!(
                        "{}: {} report, {} rows read into {} ad rows: {} new, {} changed, {} \
                         unchanged; {} rows rejected",
                        file.display(),
                        imported.tool.as_deref().unwrap_or("per-row tool"),
                        imported.read,
                        imported.rows,
                        imported.saved.inserted,
                        imported.saved.updated,
                        imported.saved.unchanged,
                        imported.rejected.len()
                    );
                }
                done.push(serde_json::json!({
                    "file": file.display().to_string(),
                    "tool": imported.tool,
                    "read": imported.read,
                    "rows": imported.rows,
                    "inserted": imported.saved.inserted,
                    "updated": imported.saved.updated,
                    "unchanged": imported.saved.unchanged,
                    "rejected": imported.rejected,
                }));
            }
            if cli.json {
                output::json(&done)?;
            }
            Ok(if any_rejected {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        AdsCommand::Report { window, by, export } => {
            let by = parse_by(by).ok_or_else(|| {
                UsageError(format!(
                    "--by {by}: campaign, creative, product, day or tool"
                ))
            })?;
            let req = request(&store, &shop, window, by, MoveRules::default())?;
            let report = ads_report(&store, &shop, req)?;
            if cli.json {
                output::json(&report)?;
                return Ok(ExitCode::SUCCESS);
            }
            show(&sheets(&report), export, &report.notes)?;
            Ok(ExitCode::SUCCESS)
        }
        AdsCommand::Budget {
            window,
            share,
            cap,
            goals,
            targets,
            save,
            export,
        } => {
            if !(0.0..=1.0).contains(share) || *cap < 0.0 {
                return Err(
                    UsageError("--share is a fraction (0..1), --cap at least 0".into()).into(),
                );
            }
            let pairs = |list: &[String],
                         what: &str|
             -> Result<Vec<(String, String)>, UsageError> {
                list.iter()
                    .map(|p| {
                        p.split_once('=')
                            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                            .ok_or_else(|| UsageError(format!("--{what} {p}: write TOOL=VALUE")))
                    })
                    .collect()
            };
            let goals = pairs(goals, "goal")?;
            let targets = pairs(targets, "target")?;
            for (tool, goal) in &goals {
                if Goal::parse(goal).is_none() {
                    return Err(UsageError(format!(
                        "--goal {tool}={goal}: the goal is sales or exposure"
                    ))
                    .into());
                }
            }
            for (tool, t) in &targets {
                if !t.parse::<f64>().is_ok_and(|v| (0.0..=1.0).contains(&v)) {
                    return Err(UsageError(format!(
                        "--target {tool}={t}: the share is a fraction (0..1)"
                    ))
                    .into());
                }
            }
            let rules = MoveRules {
                share: *share,
                cap: *cap,
            };
            let mut req = request(&store, &shop, window, AdBy::Campaign, rules)?;
            for (tool, goal) in &goals {
                req.goals
                    .insert(tool.clone(), Goal::parse(goal).unwrap_or(Goal::Sales));
            }
            for (tool, t) in &targets {
                req.targets.insert(tool.clone(), t.parse().unwrap_or(0.0));
            }
            if *save {
                for (tool, goal) in &goals {
                    store.set_setting(&shop, &format!("{GOAL_PREFIX}{tool}"), Some(goal))?;
                }
                for (tool, t) in &targets {
                    store.set_setting(&shop, &format!("{SHARE_PREFIX}{tool}"), Some(t))?;
                }
                if let Some(m) = window.margin {
                    store.set_setting(&shop, MARGIN_SETTING, Some(&m.to_string()))?;
                }
            }
            let report = ads_report(&store, &shop, req);
            let report = report?;
            if cli.json {
                output::json(&serde_json::json!({
                    "shop": report.shop,
                    "from": report.from,
                    "to": report.to,
                    "move_rules": report.move_rules,
                    "moves": report.moves,
                    "split": report.split,
                    "margin": report.margin,
                    "margin_source": report.margin_source,
                    "notes": report.notes,
                }))?;
                return Ok(ExitCode::SUCCESS);
            }
            let all: Vec<Sheet> = sheets(&report)
                .into_iter()
                .filter(|s| s.name.starts_with("budget"))
                .collect();
            show(&all, export, &report.notes)?;
            if report.moves.is_empty() {
                println!(
                    "No move to suggest: a move needs a plan whose ROI is below break-even and \
                     one above it, each beyond what its counts leave uncertain, in one tool."
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn request(
    store: &DuckStore,
    shop: &zhanggui_domain::Shop,
    window: &AdsWindow,
    by: AdBy,
    rules: MoveRules,
) -> anyhow::Result<AdsRequest> {
    let spec = PeriodSpec::parse(&window.period).map_err(|e| UsageError(e.to_string()))?;
    let anchor = match selection::until(window.until.as_deref())? {
        Some(d) => d,
        None => match store.ad_span(shop)? {
            Some((_, last)) => last,
            None => {
                return Err(UsageError(format!(
                    "shop {} has no ad reports yet: zhanggui ads import --shop {} FILE",
                    shop.name, shop.name
                ))
                .into())
            }
        },
    };
    let range: DayRange = spec.resolve(anchor);
    if let Some(m) = window.margin {
        if !(m > 0.0 && m <= 1.0) {
            return Err(UsageError(format!("--margin {m}: a fraction above 0, at most 1")).into());
        }
    }
    Ok(AdsRequest {
        range,
        by,
        margin: window.margin,
        rules,
        goals: Default::default(),
        targets: Default::default(),
    })
}

fn show(all: &[Sheet], export: &ExportArgs, notes: &[String]) -> anyhow::Result<()> {
    if export.csv {
        print!("{}", to_csv(all)?);
    } else if let Some(path) = &export.xlsx {
        write_xlsx(all, path)?;
        println!("wrote {} ({} sheets)", path.display(), all.len());
    } else {
        for sheet in all {
            println!("{}\n{}\n", sheet.name, sheet.render());
        }
        for n in notes {
            println!("note: {n}");
        }
    }
    Ok(())
}
