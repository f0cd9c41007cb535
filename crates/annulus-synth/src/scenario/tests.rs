//! Tests of scenario parsing: fixtures, typed errors for every kind of bad value.

use annulus::Error as ModelError;

use super::*;

const FIXTURES: [(&str, &str); 6] = [
    ("blur3", include_str!("../../../../fixtures/scenarios/blur3.toml")),
    ("reference", include_str!("../../../../fixtures/scenarios/reference.toml")),
    ("distortion", include_str!("../../../../fixtures/scenarios/distortion.toml")),
    ("perf_1280x1024", include_str!("../../../../fixtures/scenarios/perf_1280x1024.toml")),
    ("perf_1920x1080", include_str!("../../../../fixtures/scenarios/perf_1920x1080.toml")),
    ("tiny", include_str!("../../../../fixtures/scenarios/tiny.toml")),
];

fn blur3() -> String {
    FIXTURES[0].1.to_owned()
}

fn error_of(text: &str) -> SynthError {
    match Scenario::parse(text, Format::Toml) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn every_fixture_parses_and_names_itself() {
    for (name, text) in FIXTURES {
        let scenario =
            Scenario::parse(text, Format::Toml).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(scenario.name, name);
    }
}

#[test]
fn the_issue_parameters_are_what_the_fixtures_say() {
    let s = Scenario::parse(&blur3(), Format::Toml).expect("valid");
    assert_eq!((s.count, s.image.width, s.image.height), (10, 1280, 1024));
    assert_eq!(s.blur.sigma_px, 3.0);
    assert_eq!((s.blur.axis_ratio.lo, s.blur.axis_ratio.hi), (0.5, 2.0));
    assert_eq!(s.noise.sigma, 0.02);
    assert_eq!(s.pose.tilt_deg.hi, 35.0);
    assert!(s.illumination.gradient.hi > 0.0);
    let d = Scenario::parse(FIXTURES[2].1, Format::Toml).expect("valid");
    let lens = d.camera.distortion.expect("distortion scenario has a lens");
    assert_eq!((lens.k1, lens.k2, lens.p1, lens.p2), (-0.15, 0.05, 0.001, -0.001));
    assert_eq!((d.camera.fx, d.blur.sigma_px, d.noise.sigma), (1000.0, 0.8, 0.0));
}

#[test]
fn json_round_trip_keeps_every_field() {
    let s = Scenario::parse(&blur3(), Format::Toml).expect("valid");
    let json = serde_json::to_string(&s).expect("serialises");
    assert_eq!(Scenario::parse(&json, Format::Json), Ok(s));
}

#[test]
fn unknown_fields_are_rejected_with_their_name_and_line() {
    let e = error_of(&blur3().replace("sigma = 0.02", "sigma = 0.02\nsigmaa = 1.0"));
    let message = e.to_string();
    assert!(message.contains("sigmaa") && message.contains("line"), "{message}");
}

#[test]
fn schema_is_checked() {
    assert_eq!(
        error_of(&blur3().replace("schema = 1", "schema = 9")),
        SynthError::SchemaVersion { found: 9, supported: 1 }
    );
}

#[test]
fn ranges_must_be_ordered_and_finite() {
    let e = error_of(&blur3().replace("tilt_deg = [0.0, 35.0]", "tilt_deg = [35.0, 0.0]"));
    assert_eq!(e, SynthError::BadRange { field: "pose.tilt_deg", lo: 35.0, hi: 0.0 });
    let e = error_of(&blur3().replace("tilt_deg = [0.0, 35.0]", "tilt_deg = [0.0, 95.0]"));
    assert!(matches!(e, SynthError::OutOfRange { field: "pose.tilt_deg", value: 95.0, .. }), "{e}");
    let e =
        error_of(&blur3().replace("distance_mm = [285.0, 315.0]", "distance_mm = [-1.0, 315.0]"));
    assert!(matches!(e, SynthError::OutOfRange { field: "pose.distance_mm", .. }), "{e}");
    let e =
        error_of(&blur3().replace("distance_mm = [285.0, 315.0]", "distance_mm = [nan, 315.0]"));
    assert!(matches!(e, SynthError::BadRange { field: "pose.distance_mm", .. }), "{e}");
}

#[test]
fn values_out_of_range_name_their_field() {
    let cases = [
        ("sigma = 0.02", "sigma = 2.0", "noise.sigma"),
        ("sigma_px = 3.0", "sigma_px = -3.0", "blur.sigma_px"),
        ("width = 1280", "width = 0", "image.width"),
        ("height = 1024", "height = 100000", "image.height"),
        ("count = 10", "count = 0", "count"),
        ("gradient = [0.1, 0.3]", "gradient = [0.1, 1.3]", "illumination.gradient"),
    ];
    for (from, to, field) in cases {
        match error_of(&blur3().replace(from, to)) {
            SynthError::OutOfRange { field: f, .. } => assert_eq!(f, field),
            other => panic!("{to}: {other}"),
        }
    }
    let extra = blur3() + "\n[render]\nsupersampling = 2\n";
    assert!(matches!(
        error_of(&extra),
        SynthError::OutOfRange { field: "render.supersampling", .. }
    ));
    let extra = blur3() + "\n[levels]\npaper = 1.5\nink = 0.1\nsurround = 0.4\n";
    assert!(matches!(error_of(&extra), SynthError::OutOfRange { field: "levels.paper", .. }));
}

#[test]
fn camera_errors_come_from_the_camera_model() {
    let e = error_of(&blur3().replace("fx = 1200.0", "fx = -1200.0"));
    assert_eq!(
        e,
        SynthError::Model(ModelError::NotPositive { field: "camera.fx", value: -1200.0 })
    );
}
