//! `zhanggui costs reconcile`: the bills against the orders: paid orders no bill settled
//! after the platform's delay, bill fee lines that name no order of the shop, and orders
//! whose fees the bill booked at a rate other than the platform's stated one.

use std::process::ExitCode;

use zhanggui_analytics::period::PeriodSpec;
use zhanggui_analytics::report::anchor_or_last;
use zhanggui_analytics::settlement::{rate_deviations, unsettled, RateDeviation};
use zhanggui_domain::{Money, Shop};
use zhanggui_storage::{BillKind, BillLine, CostStore, CourierCharge, DuckStore, Unsettled};

use crate::cli::Cli;
use crate::{output, selection, UsageError};

/// What to reconcile.
pub struct Request<'a> {
    pub period: &'a str,
    pub until: Option<&'a str>,
    pub settlement_days: i64,
    /// `commission=5%`, `payment=0.6%`.
    pub rates: &'a [String],
    /// Percentage points.
    pub tolerance: f64,
}

/// Reads `KIND=RATE` (`5%` or `0.05`) for the fee kinds a platform states a rate for.
fn stated_rates(pairs: &[String]) -> Result<Vec<(BillKind, f64)>, UsageError> {
    pairs
        .iter()
        .map(|pair| {
            let bad = || {
                UsageError(format!(
                    "--rate {pair}: write KIND=RATE with KIND commission, affiliate or payment, e.g. commission=5%"
                ))
            };
            let (kind, rate) = pair.split_once('=').ok_or_else(bad)?;
            let kind = BillKind::parse(kind.trim())
                .filter(|k| matches!(k, BillKind::Commission | BillKind::Affiliate | BillKind::Payment))
                .ok_or_else(bad)?;
            let rate = rate.trim();
            let value: f64 = match rate.strip_suffix('%') {
                Some(pct) => pct.trim().parse::<f64>().map(|v| v / 100.0),
                None => rate.parse(),
            }
            .ok()
            .filter(|v| (0.0..1.0).contains(v))
            .ok_or_else(bad)?;
            Ok((kind, value))
        })
        .collect()
}

pub fn run(
    cli: &Cli,
    store: &DuckStore,
    shop: &Shop,
    req: Request<'_>,
) -> anyhow::Result<ExitCode> {
    let stated = stated_rates(req.rates)?;
    let spec = PeriodSpec::parse(req.period).map_err(|e| UsageError(e.to_string()))?;
    let anchor = anchor_or_last(store, shop, selection::until(req.until)?)?;
    let range = spec.resolve(anchor);
    let unsettled = unsettled(store, shop, range, anchor, req.settlement_days)?;
    let unmatched = store.unmatched_bill_lines(shop)?;
    let parcels = store.unmatched_courier_charges(shop)?;
    let deviations = rate_deviations(store, shop, range, &stated, req.tolerance / 100.0)?;
    if cli.json {
        json(
            shop,
            req.settlement_days,
            &unsettled,
            &unmatched,
            &parcels,
            &deviations,
        )?;
    } else {
        print(
            shop,
            req.settlement_days,
            &unsettled,
            &unmatched,
            &parcels,
            &deviations,
            !stated.is_empty(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn json(
    shop: &Shop,
    settlement_days: i64,
    unsettled: &[Unsettled],
    unmatched: &[BillLine],
    parcels: &[CourierCharge],
    deviations: &[RateDeviation],
) -> anyhow::Result<()> {
    let c = shop.currency;
    output::json(&serde_json::json!({
        "settlement_days": settlement_days,
        "unsettled_orders": unsettled.iter().map(|u| serde_json::json!({
            "order_no": u.order_no,
            "paid_at": u.paid_at,
            "paid": Money::new(u.paid, c),
        })).collect::<Vec<_>>(),
        "unmatched_bill_lines": unmatched.iter().map(|l| serde_json::json!({
            "line_key": l.line_key,
            "order_no": l.order_no.as_ref().map(|o| o.as_str()),
            "kind": l.kind,
            "amount": Money::new(l.amount, c),
            "occurred_at": l.occurred_at,
            "note": l.note,
        })).collect::<Vec<_>>(),
        "unmatched_parcels": parcels.iter().map(|p| serde_json::json!({
            "tracking_no": p.tracking_no,
            "carrier": p.carrier,
            "day": p.day,
            "amount": Money::new(p.amount, c),
        })).collect::<Vec<_>>(),
        "rate_deviations": deviations.iter().map(|d| serde_json::json!({
            "order_no": d.order_no,
            "kind": d.kind,
            "settled": Money::new(d.settled, c),
            "fee": Money::new(d.fee, c),
            "rate": d.rate,
            "stated": d.stated,
        })).collect::<Vec<_>>(),
    }))
}

fn print(
    shop: &Shop,
    settlement_days: i64,
    unsettled: &[Unsettled],
    unmatched: &[BillLine],
    parcels: &[CourierCharge],
    deviations: &[RateDeviation],
    rates_stated: bool,
) {
    let c = shop.currency;
    let money = |m: i64| Money::new(m, c).to_string();
    println!(
        "{} paid orders absent from the bills {settlement_days} days after payment:",
        unsettled.len()
    );
    let rows: Vec<Vec<String>> = unsettled
        .iter()
        .map(|u| vec![u.order_no.clone(), u.paid_at.to_string(), money(u.paid)])
        .collect();
    println!("{}", output::table(&["order", "paid at", "paid"], &rows));
    println!(
        "{} bill fee lines that name no order of the shop:",
        unmatched.len()
    );
    let rows: Vec<Vec<String>> = unmatched
        .iter()
        .map(|l| {
            vec![
                l.line_key.clone(),
                l.order_no
                    .as_ref()
                    .map(|o| o.to_string())
                    .unwrap_or_default(),
                l.kind.as_str().to_owned(),
                money(l.amount),
                l.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    println!(
        "{}",
        output::table(&["line", "order", "kind", "amount", "note"], &rows)
    );
    if !parcels.is_empty() {
        println!(
            "{} courier bill parcels whose tracking number no order carries:",
            parcels.len()
        );
        let rows: Vec<Vec<String>> = parcels
            .iter()
            .map(|p| {
                vec![
                    p.tracking_no.clone(),
                    p.carrier.clone().unwrap_or_default(),
                    p.day.map(|d| d.to_string()).unwrap_or_default(),
                    money(p.amount),
                ]
            })
            .collect();
        println!(
            "{}",
            output::table(&["tracking no", "carrier", "day", "amount"], &rows)
        );
    }
    if !rates_stated {
        println!(
            "Fee rates not checked: state them with --rate commission=5% (and affiliate, payment)."
        );
        return;
    }
    println!(
        "{} order fees at another rate than the one stated:",
        deviations.len()
    );
    let pct = |r: f64| format!("{:.2}%", r * 100.0);
    let rows: Vec<Vec<String>> = deviations
        .iter()
        .map(|d| {
            vec![
                d.order_no.clone(),
                d.kind.as_str().to_owned(),
                money(d.settled),
                money(d.fee),
                pct(d.rate),
                pct(d.stated),
            ]
        })
        .collect();
    println!(
        "{}",
        output::table(
            &["order", "kind", "settled", "fee", "rate", "stated"],
            &rows
        )
    );
}
