//! The ray table against the per-ray directions it replaced, to the bit, for every fan the edge
//! fits cast; counts outside it, and the distance to an ellipse along its axes.

use super::*;

/// Every fan the edge fits cast is served from the table, and its directions are, bit for bit,
/// what the fits computed per ray before the table.
#[test]
fn tabled_fans_are_the_direct_directions() {
    let mut checked = 0;
    for (n, phase) in std::iter::once((TABLED_WHOLE, Phase::Whole))
        .chain(TABLED_HALF.step_by(2).map(|n| (n, Phase::Half)))
    {
        let rays = fan(n, phase);
        assert!(matches!(rays, Fan::Tabled { dirs, .. } if dirs.len() == n), "{n} rays");
        for k in 0..n {
            let expected = match phase {
                Phase::Whole => unit(TAU * k as f64 / n as f64),
                Phase::Half => unit(TAU * (k as f64 + 0.5) / n as f64),
            };
            assert_eq!(rays.dir(k).map(f64::to_bits), expected.map(f64::to_bits), "{n}, {k}");
            checked += 1;
        }
    }
    assert!(checked > 4000);
}

/// Counts outside the table are computed directly, with the same directions.
#[test]
fn other_fans_are_computed() {
    for (n, phase) in [(16, Phase::Whole), (33, Phase::Half), (130, Phase::Half), (32, Phase::Half)]
    {
        let rays = fan(n, phase);
        if n == 32 {
            // 32 is tabled with both phases' counts in range.
            assert!(matches!(rays, Fan::Tabled { .. }));
        } else {
            assert!(matches!(rays, Fan::Direct { .. }), "{n} rays");
        }
        let offset = if phase == Phase::Half { 0.5 } else { 0.0 };
        for k in 0..n {
            let expected = unit(TAU * (k as f64 + offset) / n as f64);
            assert_eq!(rays.dir(k), expected);
        }
    }
}

/// A ray past the end of a tabled fan is computed, not wrapped or defaulted.
#[test]
fn a_ray_past_a_tabled_fan_is_computed() {
    let rays = fan(TABLED_WHOLE, Phase::Whole);
    let k = TABLED_WHOLE + 3;
    assert_eq!(rays.dir(k), unit(TAU * k as f64 / TABLED_WHOLE as f64));
}

/// The distance to the ellipse along its axes is the semi-axis.
#[test]
fn radius_along_the_axes_is_the_semi_axis() {
    let e =
        Ellipse { center_px: [3.0, -2.0], semi_major_px: 9.0, semi_minor_px: 4.0, angle_rad: 0.7 };
    let (u, v) = axes(&e);
    assert!((radius_along(&e, (u, v), u) - 9.0).abs() < 1e-12);
    assert!((radius_along(&e, (u, v), v) - 4.0).abs() < 1e-12);
    assert!((radius_along(&e, (u, v), [-v[0], -v[1]]) - 4.0).abs() < 1e-12);
}
