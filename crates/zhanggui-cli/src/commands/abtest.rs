//! `zhanggui abtest ...`: creative and image tests (横向测试). `new` defines a test with its
//! fixed horizon, `add` sets arms' counts (by hand, from a file of units, or from an
//! imported ad report's creative, re-read at every readout), `show` reads the test out.

use std::process::ExitCode;

use chrono::NaiveDate;
use zhanggui_analytics::promotion::abtest::{sample_size, ArmCounts, TestMetric};
use zhanggui_analytics::promotion::readouts::{self, read_test, ADS_SOURCE};
use zhanggui_import::side::test_units::read_test_units;
use zhanggui_storage::{AbArm, AbTest, AdStore, DuckStore, StoreError};
use zhanggui_tables::promotion::{readout_sheet, verdict_text};
use zhanggui_tables::sheet::{to_csv, write_xlsx};

use crate::cli::{AbtestArgs, AbtestCommand, Cli};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, args: &AbtestArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shop = selection::one_shop(&store, args.shop.as_deref())?;
    match &args.command {
        AbtestCommand::New {
            name,
            metric,
            start,
            units,
            baseline,
            mde,
        } => {
            let metric = TestMetric::parse(metric)
                .ok_or_else(|| UsageError(format!("--metric {metric}: ctr, cvr, rate or mean")))?;
            let planned = match (units, baseline, mde) {
                (Some(u), _, _) if *u > 0 => *u,
                (Some(u), _, _) => {
                    return Err(UsageError(format!("--units {u}: at least 1")).into())
                }
                (None, Some(b), Some(d)) => sample_size(*b, *d).ok_or_else(|| {
                    UsageError(format!(
                        "--baseline {b} --mde {d}: the baseline and baseline + mde must be rates \
                         between 0 and 1, the mde not 0"
                    ))
                })?,
                _ => {
                    return Err(UsageError(
                        "a test needs its horizon: --units N per arm, or --baseline and --mde \
                         to size it (reading a test before a fixed size inflates false winners)"
                            .into(),
                    )
                    .into())
                }
            };
            let started_on = match start {
                Some(s) => parse_day(s)?,
                None => chrono::Utc::now().date_naive(),
            };
            let test = AbTest {
                name: name.clone(),
                metric: metric.as_str().to_owned(),
                started_on,
                planned_units: Some(planned),
                created_at: chrono::Utc::now().naive_utc(),
            };
            store.add_ab_test(&shop, &test).map_err(|e| match e {
                StoreError::Exists(what) => anyhow::Error::from(UsageError(format!(
                    "{what} already exists in shop {}",
                    shop.name
                ))),
                e => e.into(),
            })?;
            if cli.json {
                output::json(&test)?;
            } else {
                println!(
                    "test {name} ({}) from {started_on}: {planned} units per arm before the verdict",
                    metric.as_str()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        AbtestCommand::Add {
            name,
            arm,
            units,
            successes,
            sum,
            sum_sq,
            file,
            arm_column,
            outcome,
            ads,
        } => {
            let test = find_test(&store, &shop, name)?;
            let mut set = Vec::new();
            let mut rejected = 0;
            if let Some(file) = file {
                let read = read_test_units(
                    file,
                    arm_column.as_deref().unwrap_or_default(),
                    outcome.as_deref().unwrap_or_default(),
                )?;
                for r in &read.rejected {
                    eprintln!("row {}: {}", r.row, r.reason);
                }
                rejected = read.rejected.len();
                for (found, c) in read.arms {
                    if arm_filter(found.as_str(), arm.as_deref()) {
                        set.push(AbArm {
                            arm: found,
                            units: c.units,
                            successes: c.successes,
                            value_sum: Some(c.value_sum),
                            value_sq_sum: Some(c.value_sq_sum),
                            source: format!("file {}", file.display()),
                        });
                    }
                }
            } else if let (Some(arm), Some(ads)) = (arm, ads) {
                let (plan, creative) = ads
                    .rsplit_once('/')
                    .ok_or_else(|| UsageError(format!("--ads {ads}: write PLAN/CREATIVE")))?;
                let source = readouts::ads_source(plan, creative);
                let c = ads_counts(&store, &shop, &test, &source)?;
                set.push(AbArm {
                    arm: arm.clone(),
                    units: c.units,
                    successes: c.successes,
                    value_sum: c.value_sum,
                    value_sq_sum: None,
                    source,
                });
            } else if let (Some(arm), Some(units)) = (arm, units) {
                let successes = successes.unwrap_or(0);
                if *units < 0 || successes < 0 || successes > *units && test.metric != "mean" {
                    return Err(UsageError(format!(
                        "--units {units} --successes {successes}: counts are at least 0, and \
                         successes at most the units"
                    ))
                    .into());
                }
                set.push(AbArm {
                    arm: arm.clone(),
                    units: *units,
                    successes,
                    value_sum: *sum,
                    value_sq_sum: *sum_sq,
                    source: "entered".into(),
                });
            } else {
                return Err(UsageError(
                    "name the counts: --arm A --units N --successes K, --file FILE \
                     --arm-column C --outcome C, or --arm A --ads PLAN/CREATIVE"
                        .into(),
                )
                .into());
            }
            if set.is_empty() {
                return Err(UsageError(format!(
                    "no arm {} in the file",
                    arm.as_deref().unwrap_or("")
                ))
                .into());
            }
            for a in &set {
                store.set_ab_arm(&shop, name, a)?;
                if !cli.json {
                    println!(
                        "{name}: arm {} set to {} units, {} successes ({})",
                        a.arm, a.units, a.successes, a.source
                    );
                }
            }
            if cli.json {
                output::json(&set)?;
            }
            Ok(if rejected > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        AbtestCommand::Show { name, export } => {
            let test = find_test(&store, &shop, name)?;
            let read = read_test(&store, &shop, &test)?;
            for arm in &read.missing {
                eprintln!(
                    "arm {arm}: its creative has no ad rows since {}; counted as empty",
                    test.started_on
                );
            }
            let readout = read.readout;
            if cli.json {
                output::json(&serde_json::json!({
                    "test": test,
                    "readout": readout,
                    "verdict_text": verdict_text(&readout),
                }))?;
                return Ok(ExitCode::SUCCESS);
            }
            let sheet = readout_sheet(name, &readout);
            if export.csv {
                print!("{}", to_csv(std::slice::from_ref(&sheet))?);
            } else if let Some(path) = &export.xlsx {
                write_xlsx(std::slice::from_ref(&sheet), path)?;
                println!("wrote {}", path.display());
            } else {
                println!("{}\n{}\n", sheet.name, sheet.render());
                println!("method: {}", readout.method);
                if let Some(s) = &readout.sample_ratio {
                    println!(
                        "sample ratio: χ² {:.2}, p {:.4}{}",
                        s.chi_square,
                        s.p_value,
                        if s.mismatch { " (mismatch)" } else { "" }
                    );
                }
                println!("verdict: {}", verdict_text(&readout));
            }
            Ok(ExitCode::SUCCESS)
        }
        AbtestCommand::List => {
            let tests = store.ab_tests(&shop)?;
            if cli.json {
                output::json(&tests)?;
            } else {
                let rows: Vec<Vec<String>> = tests
                    .iter()
                    .map(|t| {
                        vec![
                            t.name.clone(),
                            t.metric.clone(),
                            t.started_on.to_string(),
                            t.planned_units.map(|u| u.to_string()).unwrap_or_default(),
                        ]
                    })
                    .collect();
                println!(
                    "{}",
                    output::table(&["test", "metric", "from", "units per arm"], &rows)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn arm_filter(arm: &str, wanted: Option<&str>) -> bool {
    wanted.is_none_or(|w| w == arm)
}

fn parse_day(s: &str) -> Result<NaiveDate, UsageError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| UsageError(format!("{s}: a day is written YYYY-MM-DD")))
}

fn find_test(
    store: &DuckStore,
    shop: &zhanggui_domain::Shop,
    name: &str,
) -> anyhow::Result<AbTest> {
    store
        .ab_tests(shop)?
        .into_iter()
        .find(|t| t.name == name)
        .ok_or_else(|| {
            UsageError(format!(
                "no test named {name} in shop {}: zhanggui abtest new {name} --metric ...",
                shop.name
            ))
            .into()
        })
}

/// A creative's counts since the test's first day, or why there are none.
fn ads_counts(
    store: &DuckStore,
    shop: &zhanggui_domain::Shop,
    test: &AbTest,
    source: &str,
) -> anyhow::Result<ArmCounts> {
    readouts::ads_counts(store, shop, test, source)?.ok_or_else(|| {
        let what = source.strip_prefix(ADS_SOURCE).unwrap_or(source);
        UsageError(format!(
            "no ad rows of {what} since {}: import the report first",
            test.started_on
        ))
        .into()
    })
}
