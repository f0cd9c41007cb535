//! The quick accuracy gate of `cargo xtask ci`: the first images of `reference` and `blur3`,
//! detected and scored in-process by `validate`'s machinery ([`crate::gates`]), and compared
//! with the committed run.
//!
//! It fails on:
//! - any FAIL flag of `annulus_report::compare` with the default thresholds (frames that
//!   changed, and `blur3`'s mean centre error rising by more than 0.01 px);
//! - the same centre-mean rule applied to every CI gate, not only `blur3`: the comparison is
//!   run once per gate with that gate flagged;
//! - a shift of a gate's mean signed centre error ([`GateBias`]) by more than
//!   [`CENTER_BIAS_FAIL_PX`].
//!
//! The last rule exists because the mean error *length* is blind to a small systematic offset:
//! adding a bias b to errors of random direction and typical length r raises their mean length
//! by only about b²/4r. Measured on these images, +0.02 px in x moves `reference`'s mean by
//! +0.0096 px (under the 0.01 px threshold) and `blur3`'s by −0.0014 px, while the mean signed
//! error moves by exactly 0.02 px in both.

use std::path::Path;

use annulus_report::{CheckOutcome, FlagLevel, GateRun, LabelRun, Provenance, Thresholds};
use annulus_score::ImageScore;
use anyhow::Result;

use super::gates::{GateRow, Verdict};
use super::record::{CiAccuracy, GateBias};
use crate::gates::{ModeRun, modes};
use crate::validate::progress;
use crate::{image_cache, provenance, scenarios};

/// The gates of the quick accuracy check: the clean scenario, where centres are most precise
/// and so shifts show first, and the hard one the default thresholds watch.
pub const CI_GATES: [&str; 2] = ["reference", "blur3"];

/// Images per gate: three images give 576 centres per gate, enough for a mean steady to a
/// thousandth of a pixel; they render in seconds and are cached after the first run.
pub const CI_N_IMAGES: u32 = 3;

/// The largest tolerated shift of a gate's mean signed centre error, image pixels: the same
/// budget as validate's centre-mean rule (`annulus_report::thresholds`), half the +0.02 px bias
/// the drill injects. The same build reproduces the mean to about 1e-12 px.
pub const CENTER_BIAS_FAIL_PX: f64 = 0.01;

/// Runs the quick accuracy gate; `center_bias_px` is added to every detected centre's x (the
/// drill). Images come from the cache under `perf_dir`.
pub fn measure(root: &Path, perf_dir: &Path, center_bias_px: f64) -> Result<CiAccuracy> {
    let work = tempfile::tempdir()?;
    let mut gates = Vec::new();
    let mut center_bias = Vec::new();
    for gate in CI_GATES {
        let scenario = scenarios::load(root, gate)?;
        let bar = progress(u64::from(CI_N_IMAGES), &format!("{gate}: images"));
        let images = image_cache::images(&perf_dir.join("cache"), &scenario, CI_N_IMAGES, &bar)?;
        bar.finish_and_clear();
        for &mode in modes(gate) {
            let run = ModeRun {
                scenario: &scenario,
                images: &images,
                gate,
                mode,
                diameter_px: None,
                center_bias_px,
            };
            let bar = progress(u64::from(CI_N_IMAGES), &format!("{}: detect", run.relative_dir()));
            let (mut gate_run, scores) = run.run_scored(work.path(), &bar)?;
            bar.finish_and_clear();
            if let Some(bias) = bias(&gate_run.key(), &scores) {
                center_bias.push(bias);
            }
            strip(&mut gate_run);
            gates.push(gate_run);
        }
    }
    let (commit, dirty) = provenance::commit(root);
    let run = LabelRun {
        label: "ci".to_owned(),
        provenance: Provenance {
            commit,
            dirty,
            created_utc: provenance::now_utc(),
            machine: provenance::machine(),
            commands: vec![crate::validate::command_line()],
            n_images: CI_N_IMAGES,
        },
        gates,
    };
    Ok(CiAccuracy { n_images: CI_N_IMAGES, run, center_bias })
}

/// Leaves out what the comparison does not read: the sorted centre errors and the artifact
/// paths of a temporary folder.
fn strip(run: &mut GateRun) {
    run.artifacts.clear();
    if let annulus_report::GateStatus::Scored { score } = &mut run.status {
        score.center_errors_px.clear();
    }
}

/// The mean signed centre error of the correct detections of visible markers.
pub fn bias(gate: &str, scores: &[(u32, ImageScore)]) -> Option<GateBias> {
    let errors: Vec<[f64; 2]> = scores
        .iter()
        .flat_map(|(_, s)| s.matches.iter().filter(|m| m.visible).map(|m| m.error_px()))
        .collect();
    let n = errors.len();
    (n > 0).then(|| {
        let sum = errors.iter().fold([0.0, 0.0], |acc, e| [acc[0] + e[0], acc[1] + e[1]]);
        GateBias { gate: gate.to_owned(), n, bias_px: [sum[0] / n as f64, sum[1] / n as f64] }
    })
}

/// The accuracy gate's rows: per gate the centre-mean check and the bias check, tripped
/// homography checks as warnings, and one row for every other FAIL flag.
pub fn rows(baseline: &CiAccuracy, measured: &CiAccuracy) -> Vec<GateRow> {
    let mut rows = Vec::new();
    if baseline.n_images != measured.n_images {
        rows.push(GateRow {
            gate: "accuracy images per gate".to_owned(),
            baseline: baseline.n_images.to_string(),
            measured: measured.n_images.to_string(),
            delta: "–".to_owned(),
            limit: "equal".to_owned(),
            verdict: Verdict::Fail,
            message: Some("the gate's image count changed: run `cargo xtask bless`".to_owned()),
        });
    }
    let mut other_fails: Vec<String> = Vec::new();
    let keys: Vec<(String, String)> =
        measured.run.gates.iter().map(|g| (g.key(), g.gate.clone())).collect();
    for (key, gate) in &keys {
        let thresholds = Thresholds { flagged_gate: gate.clone(), ..Thresholds::default() };
        let comparison = annulus_report::compare(&measured.run, Some(&baseline.run), &thresholds);
        for check in comparison.checks.iter().filter(|c| &c.gate == key) {
            let tripped = check.outcome == CheckOutcome::Tripped;
            let verdict = match (tripped, check.level) {
                (false, _) => Verdict::Pass,
                (true, FlagLevel::Fail) => Verdict::Fail,
                (true, _) => Verdict::Warn,
            };
            if check.level != FlagLevel::Fail && !tripped {
                continue;
            }
            let message = comparison
                .flags
                .iter()
                .find(|f| tripped && &f.gate == key && f.metric == check.metric)
                .map(|f| f.message.clone());
            rows.push(GateRow {
                gate: format!("accuracy {key} {}", check.metric),
                baseline: px(check.baseline),
                measured: px(check.after),
                delta: check.delta.map_or_else(|| "–".to_owned(), |d| format!("{d:+.4}")),
                limit: format!("+{:.4} px", check.threshold),
                verdict,
                message,
            });
        }
        for flag in comparison.flags.iter().filter(|f| f.level == FlagLevel::Fail) {
            let shown =
                comparison.checks.iter().any(|c| c.gate == flag.gate && c.metric == flag.metric);
            if !shown && !other_fails.contains(&flag.message) {
                other_fails.push(flag.message.clone());
            }
        }
        rows.push(bias_row(key, baseline, measured, &thresholds));
    }
    rows.push(GateRow {
        gate: "accuracy other FAIL flags".to_owned(),
        baseline: "0".to_owned(),
        measured: other_fails.len().to_string(),
        delta: "–".to_owned(),
        limit: "0".to_owned(),
        verdict: if other_fails.is_empty() { Verdict::Pass } else { Verdict::Fail },
        message: (!other_fails.is_empty()).then(|| other_fails.join(" ")),
    });
    rows
}

/// The bias row of gate `key`.
fn bias_row(
    key: &str,
    baseline: &CiAccuracy,
    measured: &CiAccuracy,
    thresholds: &Thresholds,
) -> GateRow {
    let find = |a: &CiAccuracy| a.center_bias.iter().find(|b| b.gate == key).map(|b| b.bias_px);
    let (b, m) = (find(baseline), find(measured));
    let shift = b.zip(m).map(|(b, m)| (m[0] - b[0]).hypot(m[1] - b[1]));
    let verdict = match shift {
        Some(d) if !thresholds.exceeds(d, CENTER_BIAS_FAIL_PX) => Verdict::Pass,
        _ => Verdict::Fail,
    };
    let message = (verdict == Verdict::Fail).then(|| match shift {
        Some(d) => format!(
            "{key}: the mean signed centre error moved by {d:.4} px, more than the \
             {CENTER_BIAS_FAIL_PX} px allowed: every centre shifted the same way, which \
             needs algorithm review"
        ),
        None => format!("{key}: no centre bias to compare in one of the runs"),
    });
    let show = |v: Option<[f64; 2]>| {
        v.map_or_else(|| "–".to_owned(), |[x, y]| format!("({x:+.4}, {y:+.4})"))
    };
    GateRow {
        gate: format!("accuracy {key} center_bias_px"),
        baseline: show(b),
        measured: show(m),
        delta: shift.map_or_else(|| "–".to_owned(), |d| format!("{d:.4}")),
        limit: format!("{CENTER_BIAS_FAIL_PX:.4} px"),
        verdict,
        message,
    }
}

fn px(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.4}"))
}

#[cfg(test)]
mod tests;
