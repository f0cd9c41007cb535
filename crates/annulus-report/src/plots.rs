//! The report's plots, as inline SVG: the centre-error distribution, and recall and mean
//! centre error per image. Each plot draws any number of series, each in its own [`Look`]: the
//! accuracy report draws a baseline and a run.

#[cfg(test)]
mod tests;

use annulus_score::{ImageRow, percentile};

use crate::svg::{self, AFTER_COLOR, Area, Axis, BASELINE_COLOR, num};

/// The SVG's width, in pixels: readable on a laptop screen beside nothing else.
const WIDTH_PX: f64 = 640.0;

/// Room left of a plot area for tick labels and the rotated axis title.
const MARGIN_LEFT_PX: f64 = 68.0;
/// Room right of a plot area.
const MARGIN_RIGHT_PX: f64 = 16.0;
/// Room above the first plot area, for the legend.
const MARGIN_TOP_PX: f64 = 34.0;
/// Room below a plot area, for tick labels and the axis title.
const MARGIN_BOTTOM_PX: f64 = 46.0;

/// Height of one plot area.
const PANEL_HEIGHT_PX: f64 = 200.0;

/// The grid the distribution's x coordinates snap to, in SVG pixels: half a pixel, finer than
/// a screen shows at the page's scale.
const X_GRID_PX: f64 = 0.5;

/// The percentile the distribution's x axis ends at. One far outlier would otherwise squeeze
/// the whole curve against the left edge; the maximum is in the gate's table.
const X_RANGE_PERCENTILE: f64 = 99.0;

/// How far above the largest per-image error the error axis reaches, as a factor: points on
/// the plot's top edge would be half hidden by its frame.
const ERROR_HEADROOM: f64 = 1.1;

/// How a series is drawn. Series differ by more than colour (a dash, hollow points), so that
/// the plots still read in grey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Look {
    /// The stroke colour, and the fill of solid points.
    pub(crate) color: &'static str,
    /// The SVG `stroke-dasharray` of the series' lines; `None` for a solid line.
    pub(crate) dash: Option<&'static str>,
    /// Whether points are hollow (white inside) rather than filled.
    pub(crate) hollow: bool,
}

/// The baseline of a before/after comparison: blue, dashed, hollow.
pub(crate) const BASELINE_LOOK: Look =
    Look { color: BASELINE_COLOR, dash: Some("6 3"), hollow: true };
/// The run under test: orange, solid, filled.
pub(crate) const AFTER_LOOK: Look = Look { color: AFTER_COLOR, dash: None, hollow: false };

impl Look {
    /// Extra stroke attributes of a line, with a leading space; empty for a solid line.
    fn dash_attribute(self) -> String {
        self.dash.map_or_else(String::new, |d| format!(" stroke-dasharray=\"{d}\""))
    }

    /// The fill of a point.
    fn fill(self) -> &'static str {
        if self.hollow { "#fff" } else { self.color }
    }
}

/// One series: its legend label, its data and its look.
pub(crate) struct Series<'a, T: ?Sized> {
    /// The legend's label, e.g. `after (topic)` or `ringgrid`.
    pub(crate) label: String,
    /// The series' data.
    pub(crate) data: &'a T,
    /// How it is drawn.
    pub(crate) look: Look,
}

/// The cumulative distribution of centre errors: x the error in pixels, y the fraction of
/// markers with an error at most x, one step line per series, drawn in the order given. Each
/// series' errors must be sorted ascending, as `GateScore::center_errors_px` is.
pub(crate) fn center_error_cdf(key: &str, series: &[Series<'_, [f64]>]) -> String {
    let x_max =
        series.iter().filter_map(|s| percentile(s.data, X_RANGE_PERCENTILE)).fold(0.0, f64::max);
    let (x, y) = (Axis::from_zero(x_max), Axis::from_zero(1.0));
    let area = Area {
        left: MARGIN_LEFT_PX,
        top: MARGIN_TOP_PX,
        width: WIDTH_PX - MARGIN_LEFT_PX - MARGIN_RIGHT_PX,
        height: PANEL_HEIGHT_PX,
    };
    let mut out = String::new();
    let height = MARGIN_TOP_PX + PANEL_HEIGHT_PX + MARGIN_BOTTOM_PX;
    svg::open(&mut out, WIDTH_PX, height, &format!("{key}: centre error distribution"));
    svg::axes(
        &mut out,
        &area,
        &x,
        &y,
        Some("centre error (px); axis ends at the 99th percentile"),
        "fraction of markers ≤ x",
    );
    if series.iter().all(|s| s.data.is_empty()) {
        svg::empty_note(&mut out, &area, "no centre errors");
    }
    for s in series {
        if !s.data.is_empty() {
            out.push_str(&format!(
                "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.75\"{}/>\n",
                step_path(&area, &x, &y, s.data),
                s.look.color,
                s.look.dash_attribute(),
            ));
        }
    }
    legend(&mut out, series);
    svg::close(&mut out);
    out
}

/// Recall (top) and mean centre error (bottom) per image index, the series' points side by
/// side in each image's slot, in the order given.
pub(crate) fn per_image(key: &str, series: &[Series<'_, [ImageRow]>]) -> String {
    let indices = series.iter().flat_map(|s| s.data.iter().map(|r| r.index));
    let lo = indices.clone().min().unwrap_or(0);
    let hi = indices.max().unwrap_or(0);
    let x = Axis::integers(lo, hi);
    let error_max = series
        .iter()
        .flat_map(|s| s.data.iter().filter_map(|r| r.center_error_px.map(|e| e.mean)))
        .fold(0.0, f64::max);
    let panel = |i: f64| Area {
        left: MARGIN_LEFT_PX,
        top: MARGIN_TOP_PX + i * (PANEL_HEIGHT_PX + MARGIN_BOTTOM_PX),
        width: WIDTH_PX - MARGIN_LEFT_PX - MARGIN_RIGHT_PX,
        height: PANEL_HEIGHT_PX,
    };
    let panels = [
        Panel {
            area: panel(0.0),
            y: Axis::from_zero(1.0),
            y_title: "recall",
            value: |r| r.recall,
            x_title: None,
        },
        Panel {
            area: panel(1.0),
            y: Axis::from_zero(error_max * ERROR_HEADROOM),
            y_title: "mean centre error (px)",
            value: |r| r.center_error_px.map(|e| e.mean),
            x_title: Some("image index"),
        },
    ];
    let mut out = String::new();
    let height = MARGIN_TOP_PX + 2.0 * (PANEL_HEIGHT_PX + MARGIN_BOTTOM_PX);
    svg::open(&mut out, WIDTH_PX, height, &format!("{key}: recall and centre error per image"));
    // Each image's slot is split between the series so that equal values stay visible: series
    // i of n sits `2i − (n − 1)` offsets from the slot's centre.
    let slot_px = panel(0.0).width / (x.max - x.min);
    let offset_px = (slot_px * 0.2).min(4.0);
    let n = series.len() as f64;
    for Panel { area, y, y_title, value, x_title } in &panels {
        svg::axes(&mut out, area, &x, y, *x_title, y_title);
        if series.iter().all(|s| s.data.is_empty()) {
            svg::empty_note(&mut out, area, "no images");
        }
        for (i, s) in series.iter().enumerate() {
            let shift = (i as f64 * 2.0 - (n - 1.0)) * offset_px;
            for row in s.data {
                let Some(v) = value(row) else { continue };
                out.push_str(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\" stroke=\"{}\" \
                     stroke-width=\"1.5\"/>\n",
                    num(area.x(&x, f64::from(row.index)) + shift),
                    num(area.y(y, v)),
                    s.look.fill(),
                    s.look.color,
                ));
            }
        }
    }
    legend(&mut out, series);
    svg::close(&mut out);
    out
}

/// The step line of the empirical distribution of `sorted`: flat at each fraction until the
/// next error, then up by `1/n`; values beyond the axis are drawn at its end.
///
/// Thousands of markers would give a path of thousands of steps narrower than a pixel, so x is
/// snapped to [`X_GRID_PX`], each run of points in one grid column keeps only its first and
/// last, and points on a straight run between their neighbours are dropped: the path stays
/// short and looks the same.
fn step_path(area: &Area, x: &Axis, y: &Axis, sorted: &[f64]) -> String {
    let n = sorted.len() as f64;
    let snap = |v: f64| (area.x(x, v) / X_GRID_PX).round() * X_GRID_PX;
    let mut raw: Vec<(f64, f64)> = vec![(snap(0.0), area.y(y, 0.0))];
    for (k, &e) in sorted.iter().enumerate() {
        raw.push((snap(e), area.y(y, k as f64 / n)));
        raw.push((snap(e), area.y(y, (k as f64 + 1.0) / n)));
    }
    raw.push((snap(x.max), area.y(y, 1.0)));
    let mut points: Vec<(String, String)> = Vec::new();
    for (i, &(px, py)) in raw.iter().enumerate() {
        let same_column = |j: Option<usize>| j.and_then(|j| raw.get(j)).is_some_and(|p| p.0 == px);
        if same_column(i.checked_sub(1)) && same_column(Some(i + 1)) {
            continue;
        }
        points.push((num(px), num(py)));
    }
    points.dedup();
    let mut kept: Vec<&(String, String)> = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let (Some(prev), Some(next)) = (kept.last(), points.get(i + 1)) else {
            kept.push(p);
            continue;
        };
        let on_a_line = (prev.0 == p.0 && p.0 == next.0) || (prev.1 == p.1 && p.1 == next.1);
        if !on_a_line {
            kept.push(p);
        }
    }
    let mut d = String::new();
    for (i, (px, py)) in kept.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&format!("{px} {py}"));
    }
    d
}

/// One panel of the per-image plot: where it is, its y axis, and the value it shows.
struct Panel {
    area: Area,
    y: Axis,
    y_title: &'static str,
    value: fn(&ImageRow) -> Option<f64>,
    x_title: Option<&'static str>,
}

/// The legend of `series`, in one row above the plot.
fn legend<T: ?Sized>(out: &mut String, series: &[Series<'_, T>]) {
    let entries: Vec<(&str, String)> =
        series.iter().map(|s| (s.look.color, s.label.clone())).collect();
    svg::legend(out, MARGIN_LEFT_PX, 16.0, &entries);
}
