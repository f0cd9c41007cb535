//! Small SVG primitives for the reports' plots: escaping, axes with round ticks, legends, text.
//!
//! Written by hand rather than with a plotting crate: the plots are two kinds of simple chart,
//! and writing them directly keeps the output free of fonts and byte-for-byte deterministic.
//! Tick steps are 1, 2 or 5 times a power of ten, found with integer exponents (no `log10`),
//! and every coordinate is printed with two decimals, so no platform's libm can change a byte.

#[cfg(test)]
mod tests;

/// The colour of the baseline's series.
pub(crate) const BASELINE_COLOR: &str = "#4c72b0";
/// The colour of the run's series.
pub(crate) const AFTER_COLOR: &str = "#dd8452";

/// Ticks wanted on an axis; the step is the round number that gives at most about this many.
const TARGET_TICKS: f64 = 5.0;

/// Rough width of one character of 12 px sans-serif, for laying out legends without font
/// metrics; generous, so that entries never overlap.
const CHAR_WIDTH_PX: f64 = 7.0;

/// `s` with the five XML special characters escaped; safe in text and in quoted attributes.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A coordinate, with two decimals.
pub(crate) fn num(v: f64) -> String {
    format!("{v:.2}")
}

/// A linear axis from `min` to `max` with round ticks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Axis {
    pub(crate) min: f64,
    pub(crate) max: f64,
    /// Tick values with their labels.
    pub(crate) ticks: Vec<(f64, String)>,
}

impl Axis {
    /// An axis from 0 that covers `max`, ending on a round tick; `[0, 1]` when `max` is not
    /// positive.
    pub(crate) fn from_zero(max: f64) -> Self {
        let max = if max > 0.0 && max.is_finite() { max } else { 1.0 };
        let (mantissa, exponent) = nice_step(max / TARGET_TICKS);
        let n_steps = (max / step_value(1, mantissa, exponent)).ceil().max(1.0) as i64;
        let ticks: Vec<(f64, String)> = (0..=n_steps)
            .map(|k| {
                let v = step_value(k, mantissa, exponent);
                let decimals = usize::try_from(-exponent).unwrap_or(0);
                (v, format!("{v:.decimals$}"))
            })
            .collect();
        Self { min: 0.0, max: step_value(n_steps, mantissa, exponent), ticks }
    }

    /// An axis over whole numbers `[lo, hi]` (image indices), with integer ticks.
    pub(crate) fn integers(lo: u32, hi: u32) -> Self {
        let span = f64::from(hi.saturating_sub(lo)).max(1.0);
        let (mantissa, exponent) = nice_step((span / TARGET_TICKS).max(1.0));
        let step = step_value(1, mantissa, exponent).max(1.0);
        let first = (f64::from(lo) / step).ceil() as i64;
        let ticks = (first..)
            .map(|k| k as f64 * step)
            .take_while(|v| *v <= f64::from(hi))
            .map(|v| (v, format!("{v:.0}")))
            .collect();
        Self { min: f64::from(lo) - 0.5, max: f64::from(hi) + 0.5, ticks }
    }

    /// The fraction of the way from `min` to `max` that `v` lies, clamped to `[0, 1]`.
    pub(crate) fn fraction(&self, v: f64) -> f64 {
        ((v - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
    }
}

/// `k` steps of `mantissa · 10^exponent`, formed so that the result is the double nearest the
/// decimal value (a product by, or quotient of, an exact power of ten).
fn step_value(k: i64, mantissa: i64, exponent: i32) -> f64 {
    let units = (k * mantissa) as f64;
    let power = (0..exponent.unsigned_abs()).fold(1.0, |p, _| p * 10.0);
    if exponent >= 0 { units * power } else { units / power }
}

/// The smallest step `m · 10^e` with `m` in {1, 2, 5} that is at least `raw` (positive).
fn nice_step(raw: f64) -> (i64, i32) {
    let mut exponent = 0;
    while step_value(1, 1, exponent) > raw && exponent > -12 {
        exponent -= 1;
    }
    while step_value(1, 10, exponent) <= raw && exponent < 12 {
        exponent += 1;
    }
    // Now 10^e ≤ raw < 10^(e+1).
    for mantissa in [1, 2, 5] {
        if step_value(1, mantissa, exponent) >= raw {
            return (mantissa, exponent);
        }
    }
    (1, exponent + 1)
}

/// A plot area in SVG pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Area {
    pub(crate) left: f64,
    pub(crate) top: f64,
    pub(crate) width: f64,
    pub(crate) height: f64,
}

impl Area {
    /// The SVG x of value `v` on `axis`.
    pub(crate) fn x(&self, axis: &Axis, v: f64) -> f64 {
        self.left + axis.fraction(v) * self.width
    }

    /// The SVG y of value `v` on `axis` (up is larger).
    pub(crate) fn y(&self, axis: &Axis, v: f64) -> f64 {
        self.top + (1.0 - axis.fraction(v)) * self.height
    }

    fn bottom(&self) -> f64 {
        self.top + self.height
    }
}

/// Opens an SVG of `width` × `height` pixels described by `label`.
pub(crate) fn open(out: &mut String, width: f64, height: f64, label: &str) {
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{l}\" font-family=\"sans-serif\" \
         font-size=\"12\">\n<title>{l}</title>\n",
        w = num(width),
        h = num(height),
        l = escape(label),
    ));
}

/// Closes the SVG.
pub(crate) fn close(out: &mut String) {
    out.push_str("</svg>\n");
}

/// Grid lines at the y ticks, the frame, and tick labels; axis titles when given.
pub(crate) fn axes(
    out: &mut String,
    area: &Area,
    x: &Axis,
    y: &Axis,
    x_title: Option<&str>,
    y_title: &str,
) {
    for (v, label) in &y.ticks {
        let py = num(area.y(y, *v));
        out.push_str(&format!(
            "<line x1=\"{}\" y1=\"{py}\" x2=\"{}\" y2=\"{py}\" stroke=\"#e3e3e3\"/>\n\
             <text x=\"{}\" y=\"{py}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>\n",
            num(area.left),
            num(area.left + area.width),
            num(area.left - 6.0),
            escape(label),
        ));
    }
    for (v, label) in &x.ticks {
        let px = num(area.x(x, *v));
        out.push_str(&format!(
            "<line x1=\"{px}\" y1=\"{}\" x2=\"{px}\" y2=\"{}\" stroke=\"#333\"/>\n\
             <text x=\"{px}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            num(area.bottom()),
            num(area.bottom() + 5.0),
            num(area.bottom() + 18.0),
            escape(label),
        ));
    }
    out.push_str(&format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#333\"/>\n",
        num(area.left),
        num(area.top),
        num(area.width),
        num(area.height),
    ));
    if let Some(title) = x_title {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            num(area.left + area.width / 2.0),
            num(area.bottom() + 36.0),
            escape(title),
        ));
    }
    let (tx, ty) = (num(area.left - 48.0), num(area.top + area.height / 2.0));
    out.push_str(&format!(
        "<text x=\"{tx}\" y=\"{ty}\" text-anchor=\"middle\" transform=\"rotate(-90 {tx} {ty})\">{}</text>\n",
        escape(y_title),
    ));
}

/// A legend in one row starting at (`x`, `y`): a colour swatch and a label per entry.
pub(crate) fn legend(out: &mut String, x: f64, y: f64, entries: &[(&str, String)]) {
    let mut at = x;
    for (color, label) in entries {
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"{color}\"/>\n\
             <text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\">{}</text>\n",
            num(at),
            num(y - 2.0),
            num(at + 20.0),
            num(y),
            escape(label),
        ));
        at += 20.0 + label.chars().count() as f64 * CHAR_WIDTH_PX + 24.0;
    }
}

/// A centred note in `area`, for a plot with nothing to draw.
pub(crate) fn empty_note(out: &mut String, area: &Area, note: &str) {
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#777\">{}</text>\n",
        num(area.left + area.width / 2.0),
        num(area.top + area.height / 2.0),
        escape(note),
    ));
}

/// One line of `text` at (`x`, `y`), centred vertically and anchored at `anchor` (`start`,
/// `middle` or `end`); grey when `muted`.
pub(crate) fn text(out: &mut String, x: f64, y: f64, anchor: &str, text: &str, muted: bool) {
    let fill = if muted { " fill=\"#777\"" } else { "" };
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" dominant-baseline=\"middle\"{fill}>{}</text>\n",
        num(x),
        num(y),
        escape(text),
    ));
}
