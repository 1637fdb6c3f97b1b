//! The budget split by goal as the user sets it on the 推广 page: each tool's goal (sales
//! or exposure) and target share, checked together and saved as the shop's settings
//! (`promotion.goal.TOOL`, `promotion.share.TOOL`, the keys `ads budget --save` writes), so
//! the page, the API and the terminal show the same split.

use std::collections::BTreeMap;

use zhanggui_analytics::promotion::report::{GOAL_PREFIX, SHARE_PREFIX};
use zhanggui_analytics::promotion::Goal;
use zhanggui_domain::Shop;
use zhanggui_storage::Store;

use crate::auth::{CurrentUser, Right};
use crate::error::AppError;
use crate::login::audit;
use crate::state::AppState;

/// What the form sends: `goal.TOOL` = sales | exposure, `share.TOOL` = a target share in
/// percent (empty clears it).
pub fn parse_split(
    form: &BTreeMap<String, String>,
) -> Result<Vec<(String, Option<String>)>, AppError> {
    let mut out = Vec::new();
    let mut total = 0.0;
    for (k, v) in form {
        let v = v.trim();
        if let Some(tool) = k.strip_prefix("goal.") {
            let goal = Goal::parse(v).ok_or_else(|| {
                AppError::BadRequest(format!("{tool}: the goal is sales or exposure, not {v:?}"))
            })?;
            out.push((
                format!("{GOAL_PREFIX}{tool}"),
                Some(goal.as_str().to_owned()),
            ));
        } else if let Some(tool) = k.strip_prefix("share.") {
            if v.is_empty() {
                out.push((format!("{SHARE_PREFIX}{tool}"), None));
                continue;
            }
            let pct: f64 = v
                .trim_end_matches('%')
                .trim()
                .parse()
                .ok()
                .filter(|p: &f64| (0.0..=100.0).contains(p))
                .ok_or_else(|| {
                    AppError::BadRequest(format!(
                        "{tool}: the target share is a percentage from 0 to 100, not {v:?}"
                    ))
                })?;
            total += pct;
            out.push((
                format!("{SHARE_PREFIX}{tool}"),
                Some(format!("{}", pct / 100.0)),
            ));
        }
    }
    if out.is_empty() {
        return Err(AppError::BadRequest(
            "no goal or target share given".to_owned(),
        ));
    }
    if total > 100.0 + 1e-9 {
        return Err(AppError::BadRequest(format!(
            "the target shares add up to {total:.1}%, more than the whole budget"
        )));
    }
    Ok(out)
}

/// Saves the split of `shop` (needs `edit_settings`), audited; the cached figures are
/// dropped.
pub async fn save_split(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    form: &BTreeMap<String, String>,
    remote: Option<String>,
) -> Result<(), AppError> {
    user.require(Right::EditSettings, shop)?;
    let changes = parse_split(form)?;
    let detail = changes
        .iter()
        .map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or("")))
        .collect::<Vec<_>>()
        .join(", ");
    let s = shop.clone();
    state
        .db
        .read(move |store| {
            for (k, v) in &changes {
                store.set_setting(&s, k, v.as_deref())?;
            }
            Ok(())
        })
        .await?;
    state.cache.invalidate();
    audit(state, &user.user, "settings", Some(shop.id), detail, remote).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn goals_and_percent_shares_become_settings() {
        let got = parse_split(&form(&[
            ("goal.直通车", "sales"),
            ("goal.引力魔方", "曝光"),
            ("share.直通车", "70"),
            ("share.引力魔方", ""),
        ]))
        .unwrap();
        assert!(got.contains(&("promotion.goal.直通车".into(), Some("sales".into()))));
        assert!(got.contains(&("promotion.goal.引力魔方".into(), Some("exposure".into()))));
        assert!(got.contains(&("promotion.share.直通车".into(), Some("0.7".into()))));
        assert!(got.contains(&("promotion.share.引力魔方".into(), None)));
    }

    #[test]
    fn bad_goals_shares_and_totals_are_refused() {
        for bad in [
            form(&[("goal.直通车", "profit")]),
            form(&[("share.直通车", "120")]),
            form(&[("share.直通车", "lots")]),
            form(&[("share.直通车", "60"), ("share.引力魔方", "50")]),
            form(&[("csrf", "x")]),
        ] {
            assert!(parse_split(&bad).is_err(), "{bad:?}");
        }
    }
}
