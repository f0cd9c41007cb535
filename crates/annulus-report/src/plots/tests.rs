//! Tests of the plots: the distribution's step line, short paths for many markers, and plots
//! with nothing or one run to show.

use annulus_score::GateScore;

use super::*;
use crate::fixtures::image;

fn series<'a, T: ?Sized>(label: &str, data: &'a T) -> Series<'a, T> {
    Series { label: label.to_owned(), data, look: AFTER_LOOK }
}

fn baseline<'a, T: ?Sized>(label: &str, data: &'a T) -> Series<'a, T> {
    Series { label: label.to_owned(), data, look: BASELINE_LOOK }
}

#[test]
fn the_step_line_rises_by_one_over_n_at_each_error() {
    let area = Area { left: 0.0, top: 0.0, width: 100.0, height: 100.0 };
    let (x, y) = (Axis::from_zero(1.0), Axis::from_zero(1.0));
    assert_eq!(
        step_path(&area, &x, &y, &[0.25, 0.5]),
        "M0.00 100.00 L25.00 100.00 L25.00 50.00 L50.00 50.00 L50.00 0.00 L100.00 0.00"
    );
    assert_eq!(
        step_path(&area, &x, &y, &[0.25, 0.25, 2.0]),
        "M0.00 100.00 L25.00 100.00 L25.00 33.33 L100.00 33.33 L100.00 0.00",
        "equal errors make one step, and errors beyond the axis rise at its end"
    );
}

#[test]
fn many_markers_give_a_short_path() {
    let errors: Vec<f64> = (0..20_000).map(|i| f64::from(i) / 20_000.0).collect();
    let svg = center_error_cdf("big", &[series("after (x)", &errors[..])]);
    assert!(svg.len() < 60_000, "{} bytes", svg.len());
}

#[test]
fn the_distribution_has_one_curve_per_run_and_a_legend() {
    let (b, a) = ([0.1, 0.2, 0.3], [0.1, 0.15]);
    let svg = center_error_cdf(
        "blur3",
        &[baseline("baseline (main)", &b[..]), series("after (topic)", &a[..])],
    );
    assert_eq!(svg.matches("<path").count(), 2);
    assert!(svg.contains(">baseline (main)</text>") && svg.contains(">after (topic)</text>"));
    assert!(svg.contains(">0.3</text>"), "the x axis reaches the largest p99: {svg}");
    assert!(svg.contains(">1.0</text>"), "y ticks run to 1");
}

#[test]
fn empty_plots_say_so() {
    let svg = center_error_cdf("g", &[series("after (x)", &[][..])]);
    assert!(svg.contains("no centre errors"));
    assert_eq!(svg.matches("<path").count(), 0);
    let rows = per_image("g", &[series("after (x)", &[][..])]);
    assert_eq!(rows.matches("no images").count(), 2);
}

#[test]
fn per_image_points_sit_in_each_images_slot() {
    let gate = GateScore::new(
        "blur3",
        None,
        &[(0, image(&[0.1], 2, 0, None)), (1, image(&[0.2, 0.3], 2, 0, None))],
    )
    .expect("valid");
    let svg = per_image("blur3", &[series("after (x)", &gate.images[..])]);
    assert_eq!(svg.matches("<circle").count(), 4, "recall and error for each of two images");
    assert_eq!(svg.matches(">0</text>").count(), 2, "image index 0 on both panels' x axis");
}

#[test]
fn the_baseline_is_dashed_and_hollow_and_the_run_solid() {
    let gate = GateScore::new("blur3", None, &[(0, image(&[0.1], 1, 0, None))]).expect("valid");
    let two = [baseline("b", &gate.images[..]), series("a", &gate.images[..])];
    let svg = per_image("blur3", &two);
    assert_eq!(svg.matches("fill=\"#fff\"").count(), 2, "the baseline's two points are hollow");
    let errors = [0.1];
    let cdf = center_error_cdf("blur3", &[baseline("b", &errors[..]), series("a", &errors[..])]);
    assert_eq!(cdf.matches("stroke-dasharray=\"6 3\"").count(), 1);
}

#[test]
fn three_series_share_each_images_slot_symmetrically() {
    let gate = GateScore::new("g", None, &[(0, image(&[0.1], 1, 0, None))]).expect("valid");
    let three = [
        series("a", &gate.images[..]),
        series("b", &gate.images[..]),
        series("c", &gate.images[..]),
    ];
    let svg = per_image("g", &three);
    // One image spans the whole width (556 px); the offset is capped at 4 px, so the points of
    // the recall panel sit at 8 px left of, on, and 8 px right of the slot's centre.
    let centre = 68.0 + 556.0 / 2.0;
    for x in [centre - 8.0, centre, centre + 8.0] {
        assert!(svg.contains(&format!("cx=\"{x:.2}\" cy=\"34.00\"")), "{x}: {svg}");
    }
}

#[test]
fn medians_draw_a_point_and_whisker_per_category_and_say_what_is_missing() {
    let rows = [
        Median {
            label: "annulus".to_owned(),
            median: Some(2.0),
            interval: Some([1.5, 2.5]),
            caption: vec!["2.00 ms".to_owned(), "[1.50, 2.50]".to_owned()],
            look: AFTER_LOOK,
        },
        Median {
            label: "few".to_owned(),
            median: Some(1.0),
            interval: None,
            caption: vec!["1.00 ms".to_owned(), "no interval".to_owned()],
            look: BASELINE_LOOK,
        },
        Median {
            label: "ringgrid".to_owned(),
            median: None,
            interval: None,
            caption: vec!["error".to_owned()],
            look: BASELINE_LOOK,
        },
    ];
    let svg = medians("perf: time per image", "ms", &rows);
    assert_eq!(svg.matches("<circle").count(), 2, "a point per measured median");
    assert_eq!(svg.matches("<path").count(), 1, "a whisker only where there is an interval");
    for label in [
        ">annulus</text>",
        ">few</text>",
        ">ringgrid</text>",
        ">error</text>",
        ">[1.50, 2.50]</text>",
    ] {
        assert!(svg.contains(label), "{label}: {svg}");
    }
    assert!(svg.contains(">3</text>"), "the axis covers the interval, 2.5, with headroom");
}
