//! Tests of the SVG primitives: round ticks, integer axes, escaping.

use super::*;

fn labels(axis: &Axis) -> Vec<&str> {
    axis.ticks.iter().map(|(_, l)| l.as_str()).collect()
}

#[test]
fn axes_from_zero_end_on_a_round_tick() {
    let unit = Axis::from_zero(1.0);
    assert_eq!(labels(&unit), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    assert_eq!(unit.max, 1.0);
    let small = Axis::from_zero(0.137);
    assert_eq!(labels(&small), ["0.00", "0.05", "0.10", "0.15"]);
    assert_eq!(small.max, 0.15);
    let large = Axis::from_zero(42.0);
    assert_eq!(labels(&large), ["0", "10", "20", "30", "40", "50"]);
    assert_eq!(Axis::from_zero(0.0), Axis::from_zero(1.0), "nothing to show falls back to [0, 1]");
    assert_eq!(Axis::from_zero(f64::NAN), Axis::from_zero(1.0));
}

#[test]
fn integer_axes_tick_whole_numbers_inside_the_range() {
    assert_eq!(labels(&Axis::integers(0, 2)), ["0", "1", "2"]);
    assert_eq!(labels(&Axis::integers(0, 0)), ["0"]);
    assert_eq!(labels(&Axis::integers(3, 40)), ["10", "20", "30", "40"]);
    let axis = Axis::integers(0, 9);
    assert_eq!((axis.min, axis.max), (-0.5, 9.5), "half a slot either side");
}

#[test]
fn fractions_are_clamped() {
    let axis = Axis::from_zero(1.0);
    assert_eq!(axis.fraction(0.5), 0.5);
    assert_eq!(axis.fraction(7.0), 1.0);
    assert_eq!(axis.fraction(-1.0), 0.0);
}

#[test]
fn xml_specials_are_escaped() {
    assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
    assert_eq!(escape("≤ plain"), "≤ plain");
}
