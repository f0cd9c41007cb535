//! The frame table and its checks: every quantity of every gate, with the frames it was measured
//! in by each run.
//!
//! Two errors mean the same thing only when they were measured the same way. A quantity whose
//! frames (detected, reference, compared-in, map) differ between the runs would turn a change of
//! method into an apparent change of accuracy, so it is a FAIL. So is a quantity compared in any
//! frame but the image frame, in either run: the scorer promises image-frame errors only. A
//! quantity measured by one run alone (a run without any homography has no homography
//! residuals) has nothing to mix, so it is shown and not flagged; the metric rows show the lost
//! values.

use annulus::ImageFrame;
use annulus_score::{FrameMap, GateScore, Quantity, QuantityFrames};

use crate::comparison::{Flag, FlagLevel, FrameRow};

/// The rows of one gate, one per quantity that either run measured, in [`Quantity::ALL`] order.
pub(crate) fn rows(
    key: &str,
    after: Option<&GateScore>,
    baseline: Option<&GateScore>,
) -> Vec<FrameRow> {
    let find = |score: Option<&GateScore>, q: Quantity| {
        score.and_then(|s| s.aggregate.frames.iter().find(|f| f.quantity == q).copied())
    };
    Quantity::ALL
        .into_iter()
        .filter_map(|quantity| {
            let (b, a) = (find(baseline, quantity), find(after, quantity));
            if b.is_none() && a.is_none() {
                return None;
            }
            let outside =
                |f: Option<QuantityFrames>| f.is_some_and(|f| f.compared_in != ImageFrame::Image);
            Some(FrameRow {
                gate: key.to_owned(),
                quantity,
                baseline: b,
                after: a,
                mismatch: matches!((b, a), (Some(b), Some(a)) if b != a),
                outside_image_frame: outside(b) || outside(a),
            })
        })
        .collect()
}

/// A FAIL for every row whose frames differ between the runs or leave the image frame.
pub(crate) fn flags(rows: &[FrameRow]) -> Vec<Flag> {
    let mut flags = Vec::new();
    for row in rows {
        let flag = |message: String| Flag {
            level: FlagLevel::Fail,
            gate: row.gate.clone(),
            metric: format!("{}_frames", row.quantity.name()),
            baseline: None,
            after: None,
            delta: None,
            threshold: None,
            message,
        };
        if let (true, Some(b), Some(a)) = (row.mismatch, row.baseline, row.after) {
            flags.push(flag(format!(
                "{}: the frames of {} changed: baseline {}; run {}. The errors are not \
                 comparable.",
                row.gate,
                row.quantity.name(),
                describe(&b),
                describe(&a),
            )));
        }
        for (run, frames) in [("baseline", row.baseline), ("run", row.after)] {
            if let Some(f) = frames.filter(|f| f.compared_in != ImageFrame::Image) {
                flags.push(flag(format!(
                    "{}: the {run} compared {} in the {} frame ({}); every error must be \
                     measured in the image frame.",
                    row.gate,
                    row.quantity.name(),
                    frame_name(f.compared_in),
                    describe(&f),
                )));
            }
        }
    }
    flags
}

/// `detected undistorted, reference image, compared in image, map lens_model`.
pub(crate) fn describe(f: &QuantityFrames) -> String {
    format!(
        "detected {}, reference {}, compared in {}, map {}",
        frame_name(f.detected),
        frame_name(f.reference),
        frame_name(f.compared_in),
        map_name(f.map)
    )
}

/// The frame's serde name.
pub(crate) fn frame_name(frame: ImageFrame) -> &'static str {
    match frame {
        ImageFrame::Image => "image",
        ImageFrame::Undistorted => "undistorted",
    }
}

/// The map's serde name.
pub(crate) fn map_name(map: FrameMap) -> &'static str {
    match map {
        FrameMap::Identity => "identity",
        FrameMap::LensModel => "lens_model",
    }
}
