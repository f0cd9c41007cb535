//! Tests of the FFT blur: symmetry, moments, no border darkening.

use super::*;

const N: usize = 96;

fn impulse_response(cov: [[f64; 2]; 2]) -> Vec<f64> {
    let mut canvas = vec![0.0; N * N];
    canvas[(N / 2) * N + N / 2] = 1.0;
    gaussian_blur(&mut canvas, N, N, cov);
    canvas
}

#[test]
fn impulse_response_is_point_symmetric() {
    // A symmetric kernel cannot shift anything, however narrow it is.
    for (a, b, angle) in [(3.0, 1.5, 0.3), (0.8, 0.8, 0.0), (0.5, 2.0, 1.1)] {
        let h = impulse_response(covariance(a, b, angle));
        let c = (N / 2) as i64;
        for dy in -20..=20i64 {
            for dx in -20..=20i64 {
                let at = |x: i64, y: i64| h[(y as usize) * N + x as usize];
                assert!((at(c + dx, c + dy) - at(c - dx, c - dy)).abs() < 1e-15);
            }
        }
    }
}

#[test]
fn impulse_response_has_the_requested_moments() {
    // Kernels wide enough to be nearly band-limited on the pixel grid (response at Nyquist of
    // about 1e-5 or less); narrower ones alias, which moments on a finite periodic grid would
    // misread as a shift or a change of width.
    for (a, b, angle) in [(3.0, 1.5, 0.3), (4.24, 2.12, 2.0), (2.0, 5.0, -0.7)] {
        let cov = covariance(a, b, angle);
        let h = impulse_response(cov);
        let (mut sum, mut mx, mut my) = (0.0, 0.0, 0.0);
        for (i, &v) in h.iter().enumerate() {
            let (x, y) = ((i % N) as f64, (i / N) as f64);
            sum += v;
            mx += v * x;
            my += v * y;
        }
        let (mx, my) = (mx / sum, my / sum);
        let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
        for (i, &v) in h.iter().enumerate() {
            let (dx, dy) = ((i % N) as f64 - mx, (i / N) as f64 - my);
            sxx += v * dx * dx;
            sxy += v * dx * dy;
            syy += v * dy * dy;
        }
        assert!((sum - 1.0).abs() < 1e-12, "gain {sum}");
        let shift = (mx - (N / 2) as f64).hypot(my - (N / 2) as f64);
        assert!(shift < 1e-6, "shift {mx} {my} for {a} {b} {angle}");
        for (got, want) in [(sxx, cov[0][0]), (sxy, cov[0][1]), (syy, cov[1][1])] {
            assert!((got - want).abs() < 1e-6, "moment {got} vs {want} for {a} {b} {angle}");
        }
    }
}

#[test]
fn a_uniform_canvas_stays_uniform_up_to_the_border() {
    let mut canvas = vec![0.7; 50 * 40];
    gaussian_blur(&mut canvas, 50, 40, covariance(6.0, 2.0, 1.0));
    assert!(canvas.iter().all(|v| (v - 0.7).abs() < 1e-12));
}

#[test]
fn covariance_turns_with_the_angle() {
    let c = covariance(3.0, 1.0, 0.0);
    assert_eq!(c, [[9.0, 0.0], [0.0, 1.0]]);
    let c = covariance(3.0, 1.0, std::f64::consts::FRAC_PI_2);
    assert!(
        (c[0][0] - 1.0).abs() < 1e-12 && (c[1][1] - 9.0).abs() < 1e-12 && c[0][1].abs() < 1e-12
    );
}

#[test]
fn margins_and_fft_sizes() {
    assert_eq!(margin_px(0.0), 0);
    assert_eq!(margin_px(3.0), 16);
    assert_eq!(fft_friendly(1280 + 32), 1350);
    assert_eq!(fft_friendly(1024), 1024);
    assert_eq!(fft_friendly(7), 8);
}
