//! Parsing the values of platform exports: every trap of `formats/README.md`.
//!
//! Each parser takes the raw cell text and returns the value or a reason a person can act on.
//! None of them panics, whatever the input.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use zhanggui_domain::OrderState;

use crate::plain::{plain_count, plain_datetime, plain_decimal, plain_minor};

/// Strips what exports wrap values in so that Excel leaves them alone: `="123"`, a leading
/// `'`, surrounding spaces and tabs.
pub fn clean(raw: &str) -> &str {
    let mut s = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if let Some(inner) = s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        s = inner.trim();
    }
    if let Some(inner) = s.strip_prefix('\'') {
        s = inner.trim();
    }
    s
}

/// The cleaned value, or `None` when the cell is empty (or a lone `-`, `--` or `null`).
pub fn non_empty(raw: &str) -> Option<&str> {
    let s = clean(raw);
    match s {
        "" | "-" | "--" | "null" | "NULL" | "None" => None,
        _ => Some(s),
    }
}

/// An identifier (order number, buyer id): wrapped forms are unwrapped; an id that Excel
/// turned into scientific notation (`1.93068E+15`) has lost digits and is rejected.
pub fn parse_id(raw: &str) -> Result<Option<String>, String> {
    let Some(s) = non_empty(raw) else {
        return Ok(None);
    };
    if looks_scientific(s) {
        return Err(format!(
            "`{s}` is in scientific notation: Excel has already dropped digits of this id and \
             it cannot be recovered; export the file again and open it as text, not in Excel"
        ));
    }
    Ok(Some(s.to_owned()))
}

fn looks_scientific(s: &str) -> bool {
    let Some((mantissa, exponent)) = s.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.chars().any(|c| c.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

/// A decimal number written as exports write money and counts: `598`, `598.00`, `￥598.00`,
/// `598元`, `1,598.00`, `-12.5`, `(12.50)`.
pub fn parse_decimal(raw: &str) -> Result<Option<Decimal>, String> {
    let Some(s) = non_empty(raw) else {
        return Ok(None);
    };
    if let Some((mantissa, scale)) = plain_decimal(s) {
        return Ok(Some(Decimal::new(mantissa, scale)));
    }
    let not_a_number = || format!("`{s}` is not a number");
    if looks_scientific(s) {
        return Err(format!("`{s}` is in scientific notation"));
    }
    let mut body = s;
    let mut negative = false;
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        negative = true;
        body = inner;
    }
    // Currency codes and signs may stand before or after the number.
    for code in ["RMB", "CNY", "USD", "GBP", "EUR"] {
        body = body.trim();
        body = body.strip_prefix(code).unwrap_or(body);
        body = body.strip_suffix(code).unwrap_or(body);
    }
    let mut text = String::with_capacity(body.len());
    for ch in body.chars() {
        match ch {
            '0'..='9' | '.' => text.push(ch),
            '-' | '−' if text.is_empty() => negative = !negative,
            '+' if text.is_empty() => {}
            ',' | '，' | ' ' | '\u{a0}' => {}
            '￥' | '¥' | '$' | '£' | '€' | '元' => {}
            _ => return Err(not_a_number()),
        }
    }
    let value: Decimal = text.parse().map_err(|_| not_a_number())?;
    Ok(Some(if negative { -value } else { value }))
}

/// An amount of money in minor units (`exponent` decimal places), rounded half away from zero.
pub fn parse_money(raw: &str, exponent: u32) -> Result<Option<i64>, String> {
    if let Some(minor) = plain_minor(clean(raw), exponent) {
        return Ok(Some(minor));
    }
    let Some(value) = parse_decimal(raw)? else {
        return Ok(None);
    };
    to_minor(value, exponent).map(Some)
}

/// A decimal amount in minor units, rounded half away from zero.
pub fn to_minor(value: Decimal, exponent: u32) -> Result<i64, String> {
    let too_large = || format!("`{value}` is too large an amount");
    let mantissa = value.mantissa();
    let scale = value.scale();
    let minor = if scale <= exponent {
        10_i128
            .checked_pow(exponent - scale)
            .and_then(|f| mantissa.checked_mul(f))
            .ok_or_else(too_large)?
    } else {
        let divisor = 10_i128.pow(scale - exponent);
        let (whole, rest) = (mantissa / divisor, mantissa % divisor);
        if rest.unsigned_abs() * 2 >= divisor.unsigned_abs() {
            whole + mantissa.signum()
        } else {
            whole
        }
    };
    i64::try_from(minor).map_err(|_| too_large())
}

/// A whole count (visitors, quantity). `12.0` is accepted, `12.5` is not.
pub fn parse_count(raw: &str) -> Result<Option<i64>, String> {
    if let Some(count) = plain_count(clean(raw)) {
        return Ok(Some(count));
    }
    let Some(value) = parse_decimal(raw)? else {
        return Ok(None);
    };
    if !value.fract().is_zero() {
        return Err(format!("`{}` is not a whole number", clean(raw)));
    }
    value
        .to_i64()
        .map(Some)
        .ok_or_else(|| format!("`{}` is too large", clean(raw)))
}

/// A rate as a fraction: `3.21%` and `0.0321` are both 0.0321.
pub fn parse_percent(raw: &str) -> Result<Option<Decimal>, String> {
    let Some(s) = non_empty(raw) else {
        return Ok(None);
    };
    if let Some(number) = s.strip_suffix(['%', '％']) {
        let value = parse_decimal(number)?.ok_or_else(|| format!("`{s}` is not a percentage"))?;
        return Ok(Some(value / Decimal::from(100)));
    }
    parse_decimal(s).map_err(|_| format!("`{s}` is not a percentage or a fraction"))
}

const DATE_TIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y%m%d%H%M%S",
    "%Y.%m.%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
];

const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%Y.%m.%d",
    "%Y年%m月%d日",
    "%m/%d/%Y",
];

/// A local date and time as exports write it, or an Excel serial number (days since
/// 1899-12-30, with the time as a fraction). A date alone is midnight.
pub fn parse_local_datetime(raw: &str) -> Result<Option<NaiveDateTime>, String> {
    let Some(s) = non_empty(raw) else {
        return Ok(None);
    };
    if let Some(t) = plain_datetime(s) {
        return Ok(Some(t));
    }
    for fmt in DATE_TIME_FORMATS {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(Some(t));
        }
    }
    for fmt in DATE_FORMATS {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            if *fmt == "%Y%m%d" && s.len() != 8 {
                continue;
            }
            return Ok(Some(d.and_time(NaiveTime::MIN)));
        }
    }
    if let Some(t) = excel_serial(s) {
        return Ok(Some(t));
    }
    Err(format!(
        "`{s}` is not a date; expected forms such as 2019-05-15 16:50:12, 2019/5/15 16:50, \
         20190515 or an Excel date"
    ))
}

/// Excel's serial dates: whole days since 1899-12-30, the fraction being the time of day.
/// Accepted from 1 (1900-01-01) to 2958465 (9999-12-31).
fn excel_serial(s: &str) -> Option<NaiveDateTime> {
    let (days, fraction) = s.split_once('.').unwrap_or((s, ""));
    if days.is_empty()
        || days.len() > 7
        || !days.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let days: i64 = days.parse().ok()?;
    if !(1..=2_958_465).contains(&days) {
        return None;
    }
    let fraction: f64 = if fraction.is_empty() {
        0.0
    } else {
        format!("0.{fraction}").parse().ok()?
    };
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    let millis = (fraction * 86_400_000.0).round() as i64;
    Some(epoch + Duration::days(days) + Duration::milliseconds(millis))
}

/// A time as UTC: a time with an offset (`2024-02-21 10:30:00 +0800`, RFC 3339) keeps its
/// offset; a local time is read in the shop's time zone (the earlier instant when a clock
/// change makes it ambiguous, the next valid instant when it falls in a gap).
pub fn parse_instant(raw: &str, tz: Tz) -> Result<Option<NaiveDateTime>, String> {
    let Some(s) = non_empty(raw) else {
        return Ok(None);
    };
    // An offset can only follow the date: look for one only where it could stand.
    let tail = s.get(11..).unwrap_or("");
    if tail.contains(['+', '-', 'Z', 'z']) {
        for fmt in [
            "%Y-%m-%d %H:%M:%S %z",
            "%Y-%m-%d %H:%M %z",
            "%Y-%m-%dT%H:%M:%S%z",
        ] {
            if let Ok(t) = chrono::DateTime::parse_from_str(s, fmt) {
                return Ok(Some(t.naive_utc()));
            }
        }
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
            return Ok(Some(t.naive_utc()));
        }
    }
    let Some(local) = parse_local_datetime(s)? else {
        return Ok(None);
    };
    Ok(Some(local_to_utc(local, tz)))
}

/// A shop-local wall time as UTC.
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> NaiveDateTime {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.naive_utc(),
        chrono::LocalResult::Ambiguous(early, _) => early.naive_utc(),
        chrono::LocalResult::None => {
            let later = local + Duration::hours(1);
            tz.from_local_datetime(&later)
                .earliest()
                .map_or(later, |t| t.naive_utc())
        }
    }
}

/// A calendar date.
pub fn parse_date(raw: &str) -> Result<Option<NaiveDate>, String> {
    Ok(parse_local_datetime(raw)?.map(|t| t.date()))
}

/// An order state word (Chinese or English) as a canonical state.
pub fn parse_state(raw: &str) -> Result<Option<OrderState>, String> {
    let Some(s) = non_empty(raw) else {
        return Ok(None);
    };
    OrderState::from_platform_word(s).map(Some).ok_or_else(|| {
        format!(
            "`{s}` is not an order state zhanggui knows (such as 等待买家付款, \
             买家已付款，等待卖家发货, 卖家已发货，等待买家确认, 交易成功, 交易关闭)"
        )
    })
}

/// A yes or no (是/否, 需要/不需要, yes/no, true/false, 1/0).
pub fn parse_yes_no(raw: &str) -> Result<Option<bool>, String> {
    let Some(s) = non_empty(raw) else {
        return Ok(None);
    };
    match s.to_lowercase().as_str() {
        "是" | "需要" | "有" | "yes" | "y" | "true" | "1" => Ok(Some(true)),
        "否" | "不需要" | "无" | "no" | "n" | "false" | "0" => Ok(Some(false)),
        _ => Err(format!("`{s}` is not a yes or no (是/否)")),
    }
}

/// The province of a Chinese address (`浙江省 杭州市 西湖区 …` → `浙江省`): the first word.
pub fn region_of_address(raw: &str) -> Option<String> {
    let s = non_empty(raw)?;
    s.split_whitespace().next().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn yes_and_no_in_chinese_and_english() {
        assert_eq!(parse_yes_no("是").unwrap(), Some(true));
        assert_eq!(parse_yes_no("不需要").unwrap(), Some(false));
        assert_eq!(parse_yes_no(" No ").unwrap(), Some(false));
        assert_eq!(parse_yes_no("").unwrap(), None);
        assert!(parse_yes_no("也许").unwrap_err().contains("也许"));
    }

    #[test]
    fn ids_are_unwrapped() {
        assert_eq!(
            parse_id("=\"1930679858170647\"").unwrap().unwrap(),
            "1930679858170647"
        );
        assert_eq!(parse_id("'18618486065").unwrap().unwrap(), "18618486065");
        assert_eq!(
            parse_id("1930679858170647\t").unwrap().unwrap(),
            "1930679858170647"
        );
        assert_eq!(parse_id("  ").unwrap(), None);
    }

    #[test]
    fn scientific_ids_are_rejected_with_the_reason() {
        let err = parse_id("1.93068E+15").unwrap_err();
        assert!(err.contains("scientific notation"), "{err}");
        assert!(parse_id("1.93068e15").is_err());
        assert!(parse_id("E15").is_ok());
    }

    #[test]
    fn money_in_every_form() {
        for (raw, fen) in [
            ("598", 59800),
            ("598.00", 59800),
            ("￥598.00", 59800),
            ("¥598.00", 59800),
            ("598元", 59800),
            ("1,598.00", 159800),
            ("-12.5", -1250),
            ("(12.50)", -1250),
            ("0.005", 1),
            ("-0.005", -1),
            ("RMB 10.10", 1010),
            ("10.10 CNY", 1010),
        ] {
            assert_eq!(parse_money(raw, 2).unwrap(), Some(fen), "{raw}");
        }
        assert_eq!(parse_money("", 2).unwrap(), None);
        assert!(parse_money("abc", 2).is_err());
        assert!(parse_money("12.3.4", 2).is_err());
    }

    #[test]
    fn percentages_both_ways() {
        let expected: Decimal = "0.0321".parse().unwrap();
        assert_eq!(parse_percent("3.21%").unwrap(), Some(expected));
        assert_eq!(parse_percent("0.0321").unwrap(), Some(expected));
        assert!(parse_percent("high").is_err());
    }

    #[test]
    fn every_date_form() {
        let t = |s: &str| parse_local_datetime(s).unwrap().unwrap().to_string();
        assert_eq!(t("2019-05-15 16:50:12"), "2019-05-15 16:50:12");
        assert_eq!(t("2019/5/15 16:50"), "2019-05-15 16:50:00");
        assert_eq!(t("20190515"), "2019-05-15 00:00:00");
        assert_eq!(t("43600"), "2019-05-15 00:00:00");
        assert_eq!(t("43600.7015277778"), "2019-05-15 16:50:12");
        assert!(parse_local_datetime("someday").is_err());
    }

    #[test]
    fn instants_with_offsets_and_local_times() {
        let shanghai: Tz = "Asia/Shanghai".parse().unwrap();
        let utc = |s: &str| parse_instant(s, shanghai).unwrap().unwrap().to_string();
        assert_eq!(utc("2024-02-21 10:30:00 +0800"), "2024-02-21 02:30:00");
        assert_eq!(utc("2024-02-21 10:30:00 -0500"), "2024-02-21 15:30:00");
        assert_eq!(utc("2024-02-21 10:30:00"), "2024-02-21 02:30:00");
    }

    #[test]
    fn state_words() {
        assert_eq!(
            parse_state("买家已付款,等待卖家发货").unwrap(),
            Some(OrderState::Paid)
        );
        assert!(parse_state("奇怪").is_err());
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC*") {
            let _ = parse_id(&s);
            let _ = parse_money(&s, 2);
            let _ = parse_count(&s);
            let _ = parse_percent(&s);
            let _ = parse_instant(&s, chrono_tz::Asia::Shanghai);
            let _ = parse_state(&s);
        }

        #[test]
        fn money_round_trips_through_its_text(fen in -10_i64.pow(13)..10_i64.pow(13), grouped: bool, sign: bool) {
            let yuan = fen.unsigned_abs() / 100;
            let int = if grouped {
                let digits = yuan.to_string();
                let mut out = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 { out.push(','); }
                    out.push(c);
                }
                out
            } else { yuan.to_string() };
            let text = format!("{}{}{int}.{:02}", if fen < 0 { "-" } else { "" }, if sign { "￥" } else { "" }, fen.unsigned_abs() % 100);
            prop_assert_eq!(parse_money(&text, 2).unwrap(), Some(fen));
        }

        #[test]
        fn plain_numbers_read_as_the_general_parser_reads_them(s in "-?[0-9]{1,20}(\\.[0-9]{0,20})?") {
            let general = |s: &str| -> Option<Decimal> { s.parse::<Decimal>().ok() };
            if let Some((mantissa, scale)) = plain_decimal(&s) {
                prop_assert_eq!(Some(Decimal::new(mantissa, scale)), general(&s));
            }
            if let (Some(minor), Some(d)) = (plain_minor(&s, 2), general(&s)) {
                prop_assert_eq!(Some(minor), to_minor(d, 2).ok());
            }
            if let (Some(count), Some(d)) = (plain_count(&s), general(&s)) {
                prop_assert!(d.fract().is_zero());
                prop_assert_eq!(Some(count), d.to_i64());
            }
        }

        #[test]
        fn minor_units_round_as_rust_decimal_rounds(mantissa: i64, scale in 0_u32..=28, exponent in 0_u32..=3) {
            let value = Decimal::new(mantissa, scale);
            let reference = value
                .checked_mul(Decimal::from(10_i64.pow(exponent)))
                .and_then(|v| v.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_i64());
            prop_assert_eq!(to_minor(value, exponent).ok(), reference);
        }

        #[test]
        fn plain_times_read_as_chrono_reads_them(
            y in 1000_u32..3000, m in 0_u32..14, d in 0_u32..33, h in 0_u32..25, mi in 0_u32..61,
            sec in 0_u32..61, slash: bool, form in 0_u8..3,
        ) {
            let sep = if slash { '/' } else { '-' };
            let date = format!("{y:04}{sep}{m:02}{sep}{d:02}");
            let (s, fmt) = match form {
                0 => (date, None),
                1 => (format!("{date} {h:02}:{mi:02}"), Some(format!("%Y{sep}%m{sep}%d %H:%M"))),
                _ => (format!("{date} {h:02}:{mi:02}:{sec:02}"), Some(format!("%Y{sep}%m{sep}%d %H:%M:%S"))),
            };
            let chrono = match fmt {
                None => NaiveDate::parse_from_str(&s, &format!("%Y{sep}%m{sep}%d")).ok().map(|d| d.and_time(NaiveTime::MIN)),
                Some(f) => NaiveDateTime::parse_from_str(&s, &f).ok(),
            };
            match plain_datetime(&s) {
                Some(t) => prop_assert_eq!(Some(t), chrono),
                // A leap second is left to chrono.
                None => prop_assert!(chrono.is_none() || sec == 60),
            }
        }

        #[test]
        fn excel_serials_and_iso_agree(days in 1_i64..2_900_000) {
            let iso = (NaiveDate::from_ymd_opt(1899, 12, 30).unwrap() + Duration::days(days)).format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_date(&days.to_string()).unwrap(), parse_date(&iso).unwrap());
        }
    }
}
