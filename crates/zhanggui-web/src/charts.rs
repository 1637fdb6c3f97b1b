//! Charts drawn as SVG in Rust: a line chart with the compared period overlaid, a bar
//! chart and a waterfall. Every point or bar carries a `<title>`, so hovering shows its
//! exact value; axes carry labels in the page's language and a legend names each line.
//!
//! Written directly rather than with plotters: its SVG backend draws shapes without
//! per-element titles, and titles are how a chart shows exact values on hover without
//! JavaScript.

use std::fmt::Write;

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 42.0;

/// One line of a line chart.
pub struct Line<'a> {
    pub name: &'a str,
    pub values: Vec<Option<f64>>,
    /// Drawn dashed and lighter (the compared period).
    pub secondary: bool,
}

/// Escapes text for SVG and HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Round steps for an axis from `lo` to `hi`: about five ticks.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(f64::EPSILON);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 6.0)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).floor() * step;
    let mut out = Vec::new();
    let mut v = first;
    loop {
        out.push(v);
        if v >= hi - step * 1e-9 || out.len() >= 12 {
            break;
        }
        v += step;
    }
    out
}

fn open_svg(out: &mut String, label: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(label)
    );
}

fn y_axis(out: &mut String, ticks: &[f64], y: &dyn Fn(f64) -> f64, fmt: &dyn Fn(f64) -> String) {
    for t in ticks {
        let py = y(*t);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{py:.1}" y2="{py:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            py + 4.0,
            esc(&fmt(*t))
        );
    }
}

/// A line chart over labelled x positions (days, weeks). `fmt` shows a value in its unit.
pub fn line_chart(
    label: &str,
    x_labels: &[String],
    lines: &[Line<'_>],
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let mut out = String::new();
    open_svg(&mut out, label);
    let n = x_labels.len();
    let values: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.values.iter().flatten().copied())
        .collect();
    if n == 0 || values.is_empty() {
        out.push_str(r#"<text class="axis" x="50%" y="50%" text-anchor="middle">—</text></svg>"#);
        return out;
    }
    let hi = values.iter().copied().fold(f64::MIN, f64::max);
    let lo = values.iter().copied().fold(f64::MAX, f64::min).min(0.0);
    let ts = ticks(lo, if hi > lo { hi } else { lo + 1.0 });
    let (lo, hi) = (ts[0], *ts.last().unwrap_or(&hi));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| LEFT + plot_w * (i as f64 + 0.5) / n as f64;
    let y = |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo).max(f64::EPSILON));
    y_axis(&mut out, &ts, &y, fmt);
    let every = n.div_ceil(8);
    for (i, l) in x_labels.iter().enumerate() {
        // Every few labels, and the last one unless it would touch the one before it.
        let regular = i % every == 0 && (i == n - 1 || n - 1 - i >= every.div_ceil(2));
        if regular || i == n - 1 {
            let _ = write!(
                out,
                r#"<text class="axis" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                x(i),
                HEIGHT - BOTTOM + 16.0,
                esc(l)
            );
        }
    }
    for (k, line) in lines.iter().enumerate() {
        let class = if line.secondary {
            "line second"
        } else {
            "line first"
        };
        let mut path = String::new();
        let mut pen_down = false;
        for (i, v) in line.values.iter().enumerate().take(n) {
            match v {
                Some(v) => {
                    let _ = write!(
                        path,
                        "{}{:.1},{:.1} ",
                        if pen_down { "L" } else { "M" },
                        x(i),
                        y(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(out, r#"<path class="{class}" d="{}"/>"#, path.trim_end());
        for (i, v) in line.values.iter().enumerate().take(n) {
            if let Some(v) = v {
                let _ = write!(
                    out,
                    r#"<circle class="dot {class}" cx="{:.1}" cy="{:.1}" r="4"><title>{} · {}: {}</title></circle>"#,
                    x(i),
                    y(*v),
                    esc(line.name),
                    esc(&x_labels[i]),
                    esc(&fmt(*v))
                );
            }
        }
        let lx = LEFT + 8.0 + 190.0 * k as f64;
        let _ = write!(
            out,
            r#"<line class="{class}" x1="{lx}" x2="{}" y1="12" y2="12"/><text class="legend" x="{}" y="16">{}</text>"#,
            lx + 22.0,
            lx + 28.0,
            esc(line.name)
        );
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per label, in the order given; a bar marked `alt` is drawn in the
/// second colour (paid traffic beside free, say), named by `legend` when given.
pub fn bar_chart(
    label: &str,
    bars: &[(String, f64, bool)],
    legend: Option<(&str, &str)>,
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let row = 26.0;
    let height = TOP + row * bars.len().max(1) as f64 + 8.0;
    let mut out = format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(label)
    );
    let max = bars
        .iter()
        .map(|b| b.1.abs())
        .fold(0.0, f64::max)
        .max(f64::EPSILON);
    let left = 170.0;
    let plot_w = WIDTH - left - 110.0;
    if let Some((first, second)) = legend {
        let _ = write!(
            out,
            r#"<rect class="bar" x="{left}" y="6" width="14" height="12"/><text class="legend" x="{}" y="16">{}</text><rect class="bar alt" x="{}" y="6" width="14" height="12"/><text class="legend" x="{}" y="16">{}</text>"#,
            left + 20.0,
            esc(first),
            left + 120.0,
            left + 140.0,
            esc(second)
        );
    }
    for (i, (name, v, alt)) in bars.iter().enumerate() {
        let y = TOP + row * i as f64;
        let w = plot_w * v.abs() / max;
        let class = if *alt { "bar alt" } else { "bar" };
        let _ = write!(
            out,
            r#"<text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text><rect class="{class}" x="{left}" y="{:.1}" width="{w:.1}" height="{}"><title>{}: {}</title></rect><text class="value" x="{:.1}" y="{:.1}">{}</text>"#,
            left - 8.0,
            y + 15.0,
            esc(name),
            y + 3.0,
            row - 8.0,
            esc(name),
            esc(&fmt(*v)),
            left + w + 6.0,
            y + 15.0,
            esc(&fmt(*v))
        );
    }
    out.push_str("</svg>");
    out
}

/// A waterfall: the value before, each part's push up or down, the value after.
pub fn waterfall(
    label: &str,
    start: (&str, f64),
    parts: &[(String, f64)],
    end: (&str, f64),
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let mut out = String::new();
    open_svg(&mut out, label);
    let mut levels = vec![0.0, start.1, end.1];
    let mut running = start.1;
    for (_, p) in parts {
        running += p;
        levels.push(running);
    }
    let hi = levels.iter().copied().fold(f64::MIN, f64::max);
    let lo = levels.iter().copied().fold(f64::MAX, f64::min);
    let ts = ticks(lo, if hi > lo { hi } else { lo + 1.0 });
    let (lo, hi) = (ts[0], *ts.last().unwrap_or(&hi));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = parts.len() + 2;
    let slot = plot_w / n as f64;
    let y = |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo).max(f64::EPSILON));
    y_axis(&mut out, &ts, &y, fmt);
    let mut bar = |i: usize, name: &str, from: f64, to: f64, class: &str, shown: f64| {
        let (top, bottom) = (y(from.max(to)), y(from.min(to)));
        let x = LEFT + slot * i as f64 + slot * 0.18;
        let _ = write!(
            out,
            r#"<rect class="{class}" x="{x:.1}" y="{top:.1}" width="{:.1}" height="{:.1}"><title>{}: {}</title></rect><text class="axis" x="{:.1}" y="{}" text-anchor="middle">{}</text><text class="value" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            slot * 0.64,
            (bottom - top).max(1.0),
            esc(name),
            esc(&fmt(shown)),
            x + slot * 0.32,
            HEIGHT - BOTTOM + 16.0,
            esc(name),
            x + slot * 0.32,
            top - 5.0,
            esc(&fmt(shown))
        );
    };
    bar(0, start.0, 0.0, start.1, "bar total", start.1);
    let mut running = start.1;
    for (i, (name, p)) in parts.iter().enumerate() {
        let class = if *p >= 0.0 { "bar up" } else { "bar down" };
        bar(i + 1, name, running, running + p, class, *p);
        running += p;
    }
    bar(n - 1, end.0, 0.0, end.1, "bar total", end.1);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_point_and_bar_carries_its_exact_value() {
        let labels = vec!["10-01".to_owned(), "10-02".to_owned(), "10-03".to_owned()];
        let svg = line_chart(
            "sales",
            &labels,
            &[
                Line {
                    name: "本期",
                    values: vec![Some(1.0), None, Some(3.5)],
                    secondary: false,
                },
                Line {
                    name: "上期",
                    values: vec![Some(2.0), Some(2.0), Some(2.0)],
                    secondary: true,
                },
            ],
            &|v| format!("¥{v:.2}"),
        );
        assert!(svg.contains("<title>本期 · 10-03: ¥3.50</title>"));
        assert_eq!(
            svg.matches("<circle").count(),
            5,
            "a missing day draws no point"
        );
        assert!(
            svg.contains(">上期</text>"),
            "legend names the compared line"
        );
        let w = waterfall(
            "why",
            ("before", 100.0),
            &[("visitors".into(), -30.0), ("conversion".into(), 10.0)],
            ("after", 80.0),
            &|v| format!("{v:.0}"),
        );
        assert!(w.contains("<title>visitors: -30</title>"));
        assert!(w.contains(r#"class="bar down""#) && w.contains(r#"class="bar up""#));
        assert!(esc("<a&b>") == "&lt;a&amp;b&gt;");
    }

    #[test]
    fn ticks_cover_the_range_in_round_steps() {
        let t = ticks(0.0, 873.0);
        assert!(t[0] <= 0.0 && *t.last().unwrap() >= 873.0);
        assert!(t.len() <= 8);
        assert_eq!(t[1] - t[0], 200.0);
    }
}
