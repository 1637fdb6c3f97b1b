//! Which shops and which days a command is about, from its arguments.

use chrono::NaiveDate;
use zhanggui_analytics::diagnosis::DiagnoseError;
use zhanggui_analytics::{Compare, PeriodSpec, ReportError};
use zhanggui_domain::{Shop, ShopName};
use zhanggui_storage::Store;

use crate::cli::PeriodArgs;
use crate::UsageError;

/// The shop named by `--shop`, or the only one (several shops need a name).
pub fn one_shop(store: &dyn Store, name: Option<&str>) -> anyhow::Result<Shop> {
    let mut shops = shops(store, name)?;
    if shops.len() > 1 {
        return Err(UsageError("several shops: name one with --shop".into()).into());
    }
    Ok(shops.remove(0))
}

/// A shop-local `--at` time (`2025-11-30 12:00`), if given.
pub fn at_time(text: Option<&str>) -> Result<Option<chrono::NaiveDateTime>, UsageError> {
    text.map(|t| {
        chrono::NaiveDateTime::parse_from_str(t.trim(), "%Y-%m-%d %H:%M")
            .map_err(|_| UsageError(format!("--at: `{t}` is not a time like 2025-11-30 12:00")))
    })
    .transpose()
}

/// The shop named by `--shop`, or every shop.
pub fn shops(store: &dyn Store, name: Option<&str>) -> anyhow::Result<Vec<Shop>> {
    let all = store.shops()?;
    let Some(name) = name else {
        if all.is_empty() {
            return Err(UsageError(
                "no shops yet: zhanggui shop add --platform taobao --name NAME".into(),
            )
            .into());
        }
        return Ok(all);
    };
    let wanted = ShopName::parse(name).map_err(|e| UsageError(format!("--shop: {e}")))?;
    match all.into_iter().find(|s| s.name == wanted) {
        Some(shop) => Ok(vec![shop]),
        None => Err(UsageError(format!(
            "no shop named {name}; `zhanggui shop list` shows the shops"
        ))
        .into()),
    }
}

/// The period, the comparison and the anchor day.
pub fn period(args: &PeriodArgs) -> anyhow::Result<(PeriodSpec, Compare, Option<NaiveDate>)> {
    let spec = PeriodSpec::parse(&args.period).map_err(|e| UsageError(e.to_string()))?;
    let compare = Compare::parse(&args.compare).map_err(|e| UsageError(e.to_string()))?;
    Ok((spec, compare, until(args.until.as_deref())?))
}

/// The `--until` day, if given.
pub fn until(text: Option<&str>) -> Result<Option<NaiveDate>, UsageError> {
    text.map(|d| {
        NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| UsageError(format!("--until: `{d}` is not a date like 2025-10-31")))
    })
    .transpose()
}

/// Runs `f` for each shop; a shop without data yet is skipped with a note on standard
/// error, any other failure stops the command.
pub fn each_shop<T>(
    shops: &[Shop],
    mut f: impl FnMut(&Shop) -> anyhow::Result<T>,
) -> anyhow::Result<Vec<(&Shop, T)>> {
    let mut out = Vec::new();
    for shop in shops {
        match f(shop) {
            Ok(v) => out.push((shop, v)),
            Err(e) if has_no_data(&e) => eprintln!("{}: no data yet, skipped", shop.name),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

fn has_no_data(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<ReportError>(),
        Some(ReportError::NoData(_))
    ) || matches!(
        e.downcast_ref::<DiagnoseError>(),
        Some(DiagnoseError::Report(ReportError::NoData(_)))
    )
}
