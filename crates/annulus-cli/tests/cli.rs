//! The `annulus` binary as a user runs it: outputs, refusals and messages.

#![allow(clippy::expect_used)]

mod common;

use std::path::Path;

use annulus::{Board, Format};
use annulus_synth::GroundTruth;
use common::{annulus, path_str, text, workspace};
use sha2::{Digest, Sha256};

/// Width, height and pixels-per-metre of a PNG file.
fn png_info(path: &Path) -> (u32, u32, Option<u32>) {
    let decoder =
        png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("exists")));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    (info.width, info.height, info.pixel_dims.map(|d| d.xppu))
}

#[test]
fn gen_default_writes_svg_png_and_json_that_reads_back_as_the_same_board() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = annulus(&["gen", "--default", "--out", path_str(dir.path())]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("195 coded markers") && stdout.contains("page 256.0 x 190.3 mm"),
        "{stdout}"
    );

    let json =
        std::fs::read_to_string(dir.path().join("annulus-default.json")).expect("json written");
    assert_eq!(Board::parse(&json, Format::Json), Ok(Board::builtin()));
    let svg = std::fs::read_to_string(dir.path().join("annulus-default.svg")).expect("svg written");
    assert!(svg.contains("width=\"256mm\""));
    let (w, h, ppm) = png_info(&dir.path().join("annulus-default.png"));
    assert_eq!((w, h), (3024, 2247), "256 x 190.3 mm at 300 dpi");
    assert_eq!(ppm, Some(11811), "300 dpi recorded for printing");
}

#[test]
fn gen_reads_toml_specs_and_honours_dpi() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = annulus(&[
        "gen",
        "fixtures/boards/rect-plain.toml",
        "--out",
        path_str(dir.path()),
        "--dpi",
        "50",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json =
        std::fs::read_to_string(dir.path().join("rect-plain-9x6.json")).expect("json written");
    let board = Board::parse(&json, Format::Json).expect("valid");
    assert_eq!(board.markers().len(), 54);
    let [w_mm, h_mm] = board.page_size_mm();
    let (w, h, _) = png_info(&dir.path().join("rect-plain-9x6.png"));
    assert_eq!((w, h), ((w_mm / 25.4 * 50.0).round() as u32, (h_mm / 25.4 * 50.0).round() as u32));
}

#[test]
fn nothing_is_overwritten_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("annulus-default.svg");
    std::fs::write(&target, "precious").expect("writable");
    let out = annulus(&["gen", "--default", "--out", path_str(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("annulus-default.svg already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&target).expect("still there"), "precious");
    assert!(!dir.path().join("annulus-default.png").exists(), "nothing written on refusal");

    let out = annulus(&["gen", "--default", "--out", path_str(dir.path()), "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_ne!(std::fs::read_to_string(&target).expect("rewritten"), "precious");
}

#[test]
fn bad_specs_are_reported_in_one_line_with_file_and_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("typo.toml");
    let fixture =
        std::fs::read_to_string(workspace().join("fixtures/boards/default.toml")).expect("fixture");
    std::fs::write(&spec, fixture.replace("pitch_mm", "pitch_mn")).expect("writable");
    let out = annulus(&["gen", path_str(&spec), "--out", path_str(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: board spec ") && stderr.contains("typo.toml"), "{stderr}");
    assert!(stderr.contains("pitch_mn"), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");

    std::fs::write(&spec, fixture.replace("width_mm = 0.8", "width_mm = -0.8")).expect("writable");
    let stderr = text(&annulus(&["gen", path_str(&spec), "--out", path_str(dir.path())]).stderr);
    assert!(
        stderr.contains("`marker.outer_ring.width_mm` must be a positive finite number, got -0.8"),
        "{stderr}"
    );

    let missing = annulus(&["gen", "no/such/board.toml", "--out", path_str(dir.path())]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("cannot read board spec no/such/board.toml"));
}

#[test]
fn usage_errors_exit_with_status_2() {
    assert_eq!(annulus(&["gen"]).status.code(), Some(2));
    assert_eq!(annulus(&["gen", "--default"]).status.code(), Some(2), "--out is required");
    assert_eq!(annulus(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn synth_writes_the_same_bytes_as_the_library() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = annulus(&[
        "synth",
        "--scenario",
        "fixtures/scenarios/tiny.toml",
        "--out",
        path_str(dir.path()),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("tiny: 2 images of 240 x 160 px"));
    let png = std::fs::read(dir.path().join("img_0000.png")).expect("image written");
    let hash: String = Sha256::digest(&png).iter().map(|b| format!("{b:02x}")).collect();
    // The same pin as the library's determinism test: the CLI adds nothing to the pixels.
    assert_eq!(hash, "67cbad7c9ce266ed4b098a00a71adbf99ed0ddbe17dc94647829314d30e83147");
    let truth: GroundTruth = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("gt_0001.json")).expect("truth written"),
    )
    .expect("ground truth parses");
    assert_eq!((truth.image_index, truth.markers.len()), (1, 12));
    let board = std::fs::read_to_string(dir.path().join("board.json")).expect("board written");
    assert_eq!(Board::parse(&board, Format::Json).expect("valid").name(), "tiny-hex-4x3");
}

#[test]
fn synth_overrides_count_and_seed_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let args =
        ["synth", "--scenario", "fixtures/scenarios/tiny.toml", "--out", path_str(dir.path())];
    let out = annulus(&[&args[..], &["--n", "1", "--seed", "99"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.path().join("img_0000.png").exists() && !dir.path().join("img_0001.png").exists());
    let truth: GroundTruth = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("gt_0000.json")).expect("written"),
    )
    .expect("parses");
    assert_eq!(truth.seed, 99);

    let again = annulus(&args);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists"), "{}", text(&again.stderr));
}

#[test]
fn bad_scenarios_name_the_file_and_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("broken.toml");
    let fixture = std::fs::read_to_string(workspace().join("fixtures/scenarios/blur3.toml"))
        .expect("fixture");
    std::fs::write(&scenario, fixture.replace("sigma = 0.02", "sigma = nan")).expect("writable");
    let out = annulus(&["synth", "--scenario", path_str(&scenario), "--out", path_str(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("broken.toml") && stderr.contains("noise.sigma"), "{stderr}");

    std::fs::write(&scenario, fixture.replace("board = \"default\"", "board = \"nowhere.toml\""))
        .expect("writable");
    let stderr = text(
        &annulus(&["synth", "--scenario", path_str(&scenario), "--out", path_str(dir.path())])
            .stderr,
    );
    assert!(stderr.contains("nowhere.toml"), "{stderr}");
}
