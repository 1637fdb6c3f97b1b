//! Creating and listing shops.

use duckdb::Connection;
use zhanggui_domain::{Currency, NewShop, Platform, Shop, ShopId, ShopName};

use crate::StoreError;

pub(super) fn add(conn: &Connection, shop: &NewShop) -> Result<Shop, StoreError> {
    if list(conn)?.iter().any(|s| s.name == shop.name) {
        return Err(StoreError::ShopExists(shop.name.to_string()));
    }
    let id: i32 = conn.query_row("SELECT coalesce(max(shop_id), 0) + 1 FROM shops", [], |r| {
        r.get(0)
    })?;
    conn.execute(
        "INSERT INTO shops VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)",
        duckdb::params![
            id,
            shop.platform.as_str(),
            shop.name.as_str(),
            shop.currency.code(),
            shop.timezone.name()
        ],
    )?;
    Ok(Shop {
        id: ShopId(id),
        platform: shop.platform,
        name: shop.name.clone(),
        currency: shop.currency,
        timezone: shop.timezone,
    })
}

pub(super) fn list(conn: &Connection) -> Result<Vec<Shop>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT shop_id, platform, name, currency, timezone FROM shops ORDER BY shop_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i32>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut shops = Vec::new();
    for row in rows {
        let (id, platform, name, currency, timezone) = row?;
        let bad =
            |what: &str, value: &str| StoreError::Corrupt(format!("shop {id}: {what} `{value}`"));
        shops.push(Shop {
            id: ShopId(id),
            platform: platform
                .parse::<Platform>()
                .map_err(|_| bad("platform", &platform))?,
            name: ShopName::parse(&name).map_err(|_| bad("name", &name))?,
            currency: Currency::parse(&currency).map_err(|_| bad("currency", &currency))?,
            timezone: timezone.parse().map_err(|_| bad("time zone", &timezone))?,
        });
    }
    Ok(shops)
}

/// A shop's settings, by key.
pub(super) fn settings(
    conn: &Connection,
    shop: &Shop,
) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
    let mut stmt = conn.prepare("SELECT key, value FROM shop_settings WHERE shop_id = ?")?;
    let rows = stmt.query_map([shop.id.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets (or with `None` removes) one setting of a shop.
pub(super) fn set_setting(
    conn: &Connection,
    shop: &Shop,
    key: &str,
    value: Option<&str>,
) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM shop_settings WHERE shop_id = ? AND key = ?",
        duckdb::params![shop.id.0, key],
    )?;
    if let Some(value) = value {
        conn.execute(
            "INSERT INTO shop_settings VALUES (?, ?, ?)",
            duckdb::params![shop.id.0, key, value],
        )?;
    }
    Ok(())
}
