//! Fuzz target `camera_config`: camera files and detector configurations read from arbitrary
//! text, as TOML and as JSON, the way `annulus detect --camera` and `--config` read them.
//!
//! Checks: `Camera::parse` and `Format::deserialize::<DetectConfig>` return typed errors and
//! never panic; a valid camera reads back equal from its own JSON and TOML; its lens model maps
//! pixels both ways without panicking and never reports a non-finite undistorted pixel; a
//! configuration that validates builds a detector.

#![no_main]

use annulus::{Camera, DetectConfig, Detector, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    for format in [Format::Toml, Format::Json] {
        if let Ok(camera) = Camera::parse(text, format) {
            check_camera(&camera);
        }
        if let Ok(config) = format.deserialize::<DetectConfig>(text)
            && config.validate().is_ok()
        {
            if let Some(camera) = &config.camera {
                check_camera(camera);
            }
            let detector = Detector::new(annulus::Board::builtin(), config);
            assert!(detector.is_ok(), "a validated configuration was refused: {detector:?}");
        }
    }
});

/// Everything a valid camera promises.
fn check_camera(camera: &Camera) {
    let json = serde_json::to_string(camera).unwrap_or_else(|e| panic!("to JSON: {e}"));
    assert_eq!(Camera::parse(&json, Format::Json), Ok(*camera), "JSON round trip of {json}");
    let toml = toml::to_string(camera).unwrap_or_else(|e| panic!("to TOML: {e}"));
    assert_eq!(Camera::parse(&toml, Format::Toml), Ok(*camera), "TOML round trip of {toml}");

    // A grid over a 2000 x 2000 px view around the principal point, and its corners far out.
    let (cx, cy) = (camera.cx, camera.cy);
    let offsets = [-1e6, -1000.0, -250.0, 0.0, 250.0, 1000.0, 1e6];
    for dx in offsets {
        for dy in offsets {
            let image_px = [cx + dx, cy + dy];
            if let Ok(undistorted) = camera.undistort_px(image_px) {
                assert!(
                    undistorted.iter().all(|v| v.is_finite()),
                    "{image_px:?} -> {undistorted:?}"
                );
                let _ = camera.distort_px(undistorted);
            }
            let _ = camera.distort_px(image_px);
            let _ = camera.project([dx, dy, 1000.0]);
        }
    }
}
