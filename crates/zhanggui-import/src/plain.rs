//! Fast paths for the forms most cells take: a plain decimal (`-12.50`) and a fixed-width
//! ISO date and time (`2019-05-15 16:50:12`). Each returns `None` for anything else and
//! the general parsers in `values` take over; property tests check that both agree.

use chrono::{NaiveDate, NaiveDateTime};

/// The digits of a plain decimal as an integer and the number of decimal places:
/// `-12.50` is `(-1250, 2)`. Only ASCII digits, one optional leading `-` and at most one
/// `.` with digits on both sides; at most 18 digits.
pub(crate) fn plain_decimal(s: &str) -> Option<(i64, u32)> {
    let bytes = s.as_bytes();
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale: Option<u32> = None;
    let mut count = 0;
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                count += 1;
                if count > 18 {
                    return None;
                }
                mantissa = mantissa * 10 + i64::from(b - b'0');
                if let Some(s) = scale.as_mut() {
                    *s += 1;
                }
            }
            b'.' if scale.is_none() && i > 0 && i + 1 < digits.len() => scale = Some(0),
            _ => return None,
        }
    }
    Some((
        if negative { -mantissa } else { mantissa },
        scale.unwrap_or(0),
    ))
}

/// A plain decimal in minor units (`exponent` decimal places), rounded half away from zero.
pub(crate) fn plain_minor(s: &str, exponent: u32) -> Option<i64> {
    let (mantissa, scale) = plain_decimal(s)?;
    if scale <= exponent {
        return mantissa.checked_mul(10_i64.checked_pow(exponent - scale)?);
    }
    let divisor = 10_i64.checked_pow(scale - exponent)?;
    let (whole, rest) = (mantissa / divisor, mantissa % divisor);
    let round_away = rest.unsigned_abs() * 2 >= divisor.unsigned_abs();
    Some(match (round_away, mantissa < 0) {
        (false, _) => whole,
        (true, false) => whole + 1,
        (true, true) => whole - 1,
    })
}

/// A whole count written plainly (`12`, `12.00`); `None` for a fraction or another form.
pub(crate) fn plain_count(s: &str) -> Option<i64> {
    let (mantissa, scale) = plain_decimal(s)?;
    let divisor = 10_i64.checked_pow(scale)?;
    (mantissa % divisor == 0).then_some(mantissa / divisor)
}

/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS`, with `-` or `/` between the
/// parts of the date, every field at full width.
pub(crate) fn plain_datetime(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0_u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let sep = *b.get(4)?;
    if !(sep == b'-' || sep == b'/') || b.get(7) != Some(&sep) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    match b.len() {
        10 => date.and_hms_opt(0, 0, 0),
        16 | 19 if b[10] == b' ' && b[13] == b':' => {
            let seconds = if b.len() == 19 {
                if b[16] != b':' {
                    return None;
                }
                num(17..19)?
            } else {
                0
            };
            date.and_hms_opt(num(11..13)?, num(14..16)?, seconds)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_forms() {
        assert_eq!(plain_decimal("-12.50"), Some((-1250, 2)));
        assert_eq!(plain_decimal("598"), Some((598, 0)));
        assert_eq!(plain_decimal("1,598"), None);
        assert_eq!(plain_decimal(".5"), None);
        assert_eq!(plain_decimal("5."), None);
        assert_eq!(plain_decimal("1.2.3"), None);
        assert_eq!(plain_decimal("-"), None);
        assert_eq!(plain_minor("2.555", 2), Some(256));
        assert_eq!(plain_minor("-2.555", 2), Some(-256));
        assert_eq!(plain_minor("2.554", 2), Some(255));
        assert_eq!(plain_minor("3", 2), Some(300));
        assert_eq!(plain_count("12.00"), Some(12));
        assert_eq!(plain_count("12.5"), None);
        assert_eq!(
            plain_datetime("2019-05-15 16:50:12"),
            NaiveDate::from_ymd_opt(2019, 5, 15).and_then(|d| d.and_hms_opt(16, 50, 12))
        );
        assert_eq!(plain_datetime("2019-02-30"), None);
        assert_eq!(plain_datetime("2019-5-15"), None);
        assert_eq!(plain_datetime("2019-05-15T16:50:12"), None);
    }
}
