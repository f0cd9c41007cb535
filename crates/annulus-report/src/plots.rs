//! The reports' plots, as inline SVG: the centre-error distribution, recall and mean centre
//! error per image, and medians with their confidence intervals. Each plot draws any number of
//! series, each in its own [`Look`]: the accuracy report draws a baseline and a run, the peer
//! report one series per detector.

/// An SVG opened with `title` and the plotting area of a one-panel chart, full width.
fn single_panel(title: &str) -> (String, Area) {
    let area = Area {
        left: MARGIN_LEFT_PX,
        top: MARGIN_TOP_PX,
        width: WIDTH_PX - MARGIN_LEFT_PX - MARGIN_RIGHT_PX,
        height: PANEL_HEIGHT_PX,
    };
    let mut out = String::new();
    let height = MARGIN_TOP_PX + PANEL_HEIGHT_PX + MARGIN_BOTTOM_PX;
    svg::open(&mut out, WIDTH_PX, height, title);
    (out, area)
}

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
    let (mut out, area) = single_panel(&format!("{key}: centre error distribution"));
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

/// One category of [`medians`]: a median with its interval.
pub(crate) struct Median {
    /// The category's name on the x axis, e.g. `ringgrid`.
    pub(crate) label: String,
    /// The median, in the chart's unit; `None` when nothing was measured.
    pub(crate) median: Option<f64>,
    /// The interval drawn as a whisker; `None` when there is none.
    pub(crate) interval: Option<[f64; 2]>,
    /// Lines of text centred above the whisker, or in the category's place when there is no
    /// median: short ones, as a category is about 180 px wide.
    pub(crate) caption: Vec<String>,
    /// How the point and whisker are drawn.
    pub(crate) look: Look,
}

/// Half the width of a whisker's end caps.
const CAP_HALF_WIDTH_PX: f64 = 6.0;

/// How far above the highest whisker the median chart's axis reaches, as a factor: room for
/// two lines of caption above it (at least 20 % of the panel, 40 px).
const CAPTION_HEADROOM: f64 = 1.25;

/// Height of a caption line.
const LINE_HEIGHT_PX: f64 = 14.0;

/// A median per category (detectors, say) as a point, with its interval as a whisker with end
/// caps and a caption centred above; the y axis starts at zero so that the points' heights
/// compare as ratios.
pub(crate) fn medians(title: &str, y_title: &str, rows: &[Median]) -> String {
    let top = rows
        .iter()
        .flat_map(|r| r.median.into_iter().chain(r.interval.map(|[_, hi]| hi)))
        .fold(0.0, f64::max);
    let y = Axis::from_zero(top * CAPTION_HEADROOM);
    let n = u32::try_from(rows.len()).unwrap_or(u32::MAX).max(1);
    let x = Axis {
        min: -0.5,
        max: f64::from(n) - 0.5,
        ticks: (0..).zip(rows).map(|(i, r)| (f64::from(i), r.label.clone())).collect(),
    };
    let (mut out, area) = single_panel(title);
    svg::axes(&mut out, &area, &x, &y, None, y_title);
    for (i, row) in (0..).zip(rows) {
        let cx = area.x(&x, f64::from(i));
        let Some(median) = row.median else {
            let middle = area.y(&y, y.max / 2.0);
            for (k, line) in (0..).zip(&row.caption) {
                let line_y = middle + f64::from(k) * LINE_HEIGHT_PX;
                svg::text(&mut out, cx, line_y, "middle", line, true);
            }
            continue;
        };
        if let Some([lo, hi]) = row.interval {
            let (y_lo, y_hi) = (num(area.y(&y, lo)), num(area.y(&y, hi)));
            let (left, right) = (num(cx - CAP_HALF_WIDTH_PX), num(cx + CAP_HALF_WIDTH_PX));
            let c = num(cx);
            out.push_str(&format!(
                "<path d=\"M{c} {y_lo} L{c} {y_hi} M{left} {y_lo} L{right} {y_lo} M{left} {y_hi} \
                 L{right} {y_hi}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"{}/>\n",
                row.look.color,
                row.look.dash_attribute(),
            ));
        }
        let cy = area.y(&y, median);
        out.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>\n",
            num(cx),
            num(cy),
            row.look.fill(),
            row.look.color,
        ));
        // The caption's last line sits just above the whisker's top (or the point).
        let above = row.interval.map_or(cy, |[_, hi]| area.y(&y, hi)).min(cy) - 12.0;
        let n_lines = u32::try_from(row.caption.len()).unwrap_or(u32::MAX);
        for (k, line) in (1..).zip(&row.caption) {
            let line_y = above - f64::from(n_lines - k) * LINE_HEIGHT_PX;
            svg::text(&mut out, cx, line_y, "middle", line, false);
        }
    }
    svg::close(&mut out);
    out
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
