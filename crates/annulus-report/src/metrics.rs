//! The metrics a report shows for every gate, with their stable names and units, read from an
//! `annulus_score::GateScore`.

use annulus_score::{ErrorStats, GateScore};

/// The unit of counts of images.
pub(crate) const UNIT_IMAGES: &str = "images";
/// The unit of counts of markers.
pub(crate) const UNIT_MARKERS: &str = "markers";
/// The unit of rates in `[0, 1]`.
pub(crate) const UNIT_RATIO: &str = "ratio";
/// The unit of errors: image pixels.
pub(crate) const UNIT_PX: &str = "px";

/// Name of the pooled mean centre error.
pub const CENTER_ERROR_MEAN_PX: &str = "center_error_mean_px";
/// Name of the pooled mean homography self residual.
pub const HOMOGRAPHY_SELF_MEAN_PX: &str = "homography_self_mean_px";
/// Name of the pooled mean homography truth residual.
pub const HOMOGRAPHY_TRUTH_MEAN_PX: &str = "homography_truth_mean_px";
/// Name of the pooled precision.
pub const PRECISION: &str = "precision";
/// Name of the pooled recall.
pub const RECALL: &str = "recall";

/// Every metric of a gate, in report order: its name, unit and value in `score`.
pub(crate) fn of_gate(score: &GateScore) -> Vec<(&'static str, &'static str, Option<f64>)> {
    let a = &score.aggregate;
    let c = &a.counts;
    let center = a.center_error_px.as_ref();
    let h_self = a.homography_self_px.as_ref();
    let h_truth = a.homography_truth_px.as_ref();
    vec![
        ("n_images", UNIT_IMAGES, Some(count(a.n_images))),
        (PRECISION, UNIT_RATIO, c.precision()),
        (RECALL, UNIT_RATIO, c.recall()),
        ("decode_rate", UNIT_RATIO, c.decode_rate()),
        ("wrong_ids", UNIT_MARKERS, Some(count(c.n_wrong_id))),
        ("duplicates", UNIT_MARKERS, Some(count(c.n_duplicate))),
        ("unidentified", UNIT_MARKERS, Some(count(c.n_unidentified))),
        ("missed", UNIT_MARKERS, Some(count(c.n_missed))),
        (CENTER_ERROR_MEAN_PX, UNIT_PX, center.map(mean)),
        ("center_error_p50_px", UNIT_PX, center.map(|s| s.p50)),
        ("center_error_p95_px", UNIT_PX, center.map(|s| s.p95)),
        ("center_error_max_px", UNIT_PX, center.map(|s| s.max)),
        (HOMOGRAPHY_SELF_MEAN_PX, UNIT_PX, h_self.map(mean)),
        ("homography_self_p95_px", UNIT_PX, h_self.map(|s| s.p95)),
        (HOMOGRAPHY_TRUTH_MEAN_PX, UNIT_PX, h_truth.map(mean)),
        ("homography_truth_p95_px", UNIT_PX, h_truth.map(|s| s.p95)),
        ("images_without_homography", UNIT_IMAGES, Some(count(a.n_without_homography))),
    ]
}

/// Whether values in `unit` are whole numbers.
pub(crate) fn is_count(unit: &str) -> bool {
    unit == UNIT_IMAGES || unit == UNIT_MARKERS
}

fn mean(stats: &ErrorStats) -> f64 {
    stats.mean
}

/// A count as a float; counts in a report are far below 2⁵³, so the conversion is exact.
fn count(n: usize) -> f64 {
    n as f64
}
