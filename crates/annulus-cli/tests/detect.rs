//! `annulus detect` as a user runs it: image loading and its errors, spec errors, refusals, the
//! overlay, and one end-to-end run on a synthetic image with ground truth.

#![allow(clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use annulus::Detection;
use annulus_synth::GroundTruth;
use common::{annulus, path_str, text, workspace};

/// Asserts a run failed with status 1 and one `error:` line containing every one of `parts`.
fn assert_fails_with(out: &Output, parts: &[&str]) {
    assert_eq!(text(&out.stderr).lines().count(), 1, "{}", text(&out.stderr));
    assert_fails_mentioning(out, parts);
}

/// Like [`assert_fails_with`], for parse errors: the TOML parser's message quotes the offending
/// line under the first one.
fn assert_fails_mentioning(out: &Output, parts: &[&str]) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
    for part in parts {
        assert!(stderr.contains(part), "expected {part:?} in {stderr}");
    }
}

/// Writes a PNG of the given format; `data` holds the samples, big-endian for 16 bits.
fn write_png(
    path: &Path,
    size: [u32; 2],
    color: png::ColorType,
    depth: png::BitDepth,
    data: &[u8],
) {
    let file = std::fs::File::create(path).expect("writable");
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), size[0], size[1]);
    encoder.set_color(color);
    encoder.set_depth(depth);
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(data).expect("data");
    writer.finish().expect("finished");
}

/// A 64 x 48 8-bit gray PNG with a gradient in it.
fn write_gray_png(path: &Path) {
    let data: Vec<u8> = (0..64 * 48).map(|i| (i % 64 * 4) as u8).collect();
    write_png(path, [64, 48], png::ColorType::Grayscale, png::BitDepth::Eight, &data);
}

fn read_detection(path: &Path) -> Detection {
    serde_json::from_str(&std::fs::read_to_string(path).expect("detection written"))
        .expect("the detection parses")
}

#[test]
fn missing_and_damaged_images_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let det = dir.path().join("det.json");
    let run =
        |image: &Path| annulus(&["detect", "--image", path_str(image), "--out", path_str(&det)]);

    let missing = dir.path().join("missing.png");
    assert_fails_with(&run(&missing), &["cannot read image", "missing.png"]);

    let not_png = dir.path().join("photo.png");
    std::fs::write(&not_png, "P5\n2 2\n255\nabcd").expect("writable");
    assert_fails_with(&run(&not_png), &["image ", "photo.png", "not a PNG"]);

    let cut = dir.path().join("cut.png");
    write_gray_png(&cut);
    let bytes = std::fs::read(&cut).expect("written");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("writable");
    assert_fails_with(&run(&cut), &["image ", "cut.png", "truncated"]);

    assert!(!det.exists(), "no output on failure");
}

#[test]
fn sixteen_bit_gray_and_rgb_are_converted_with_a_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let gray16 = dir.path().join("deep.png");
    let samples: Vec<u8> = (0..40 * 30u32).flat_map(|i| ((i * 50) as u16).to_be_bytes()).collect();
    write_png(&gray16, [40, 30], png::ColorType::Grayscale, png::BitDepth::Sixteen, &samples);
    let rgb = dir.path().join("colour.png");
    let samples: Vec<u8> = (0..50 * 20u32).flat_map(|i| [(i % 256) as u8, 100, 7]).collect();
    write_png(&rgb, [50, 20], png::ColorType::Rgb, png::BitDepth::Eight, &samples);

    for (image, kind, size) in [(&gray16, "16-bit gray", (40, 30)), (&rgb, "8-bit RGB", (50, 20))] {
        let det = dir.path().join(format!("{kind}.json"));
        let out = annulus(&["detect", "--image", path_str(image), "--out", path_str(&det)]);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let note = format!("note: {} is {kind}; converted to 8-bit gray\n", image.display());
        assert_eq!(stderr, note);
        let detection = read_detection(&det);
        assert_eq!((detection.width, detection.height), size);
        let stdout = text(&out.stdout);
        assert!(stdout.contains(" markers (") && stdout.contains(path_str(&det)), "{stdout}");
    }

    // 8-bit gray passes through silently.
    let plain = dir.path().join("plain.png");
    write_gray_png(&plain);
    let out = annulus(&[
        "detect",
        "--image",
        path_str(&plain),
        "--out",
        path_str(&dir.path().join("p.json")),
    ]);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn bad_board_camera_and_config_name_the_file_and_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let image = dir.path().join("img.png");
    write_gray_png(&image);
    let det = dir.path().join("det.json");
    let base = ["detect", "--image", path_str(&image), "--out", path_str(&det)];
    let run = |extra: &[&str]| annulus(&[&base[..], extra].concat());

    let board = dir.path().join("typo.toml");
    let fixture =
        std::fs::read_to_string(workspace().join("fixtures/boards/default.toml")).expect("fixture");
    std::fs::write(&board, fixture.replace("pitch_mm", "pitch_mn")).expect("writable");
    assert_fails_mentioning(
        &run(&["--board", path_str(&board)]),
        &["board spec ", "typo.toml", "pitch_mn"],
    );

    let camera = dir.path().join("cam.toml");
    std::fs::write(&camera, "fx = -400.0\nfy = 400.0\ncx = 31.5\ncy = 23.5\n").expect("writable");
    assert_fails_with(
        &run(&["--camera", path_str(&camera)]),
        &["camera ", "cam.toml", "`camera.fx` must be a positive finite number, got -400"],
    );

    let config = dir.path().join("detect.toml");
    std::fs::write(&config, "complete_missing = false\nmin_marker_diameter_px = -3.0\n")
        .expect("writable");
    assert_fails_with(
        &run(&["--config", path_str(&config)]),
        &["detect.toml", "`min_marker_diameter_px` must be a positive finite number, got -3"],
    );
    std::fs::write(&config, "complete_missing = false\nmarker_diameter = 30\n").expect("writable");
    assert_fails_mentioning(
        &run(&["--config", path_str(&config)]),
        &["detector config ", "detect.toml", "unknown field `marker_diameter`"],
    );

    assert_fails_with(&run(&["--marker-diameter", "40:24"]), &["`marker_diameter_px[1]` = 24"]);
    assert_eq!(run(&["--marker-diameter", "big"]).status.code(), Some(2), "usage error");
    assert!(!det.exists(), "no output on failure");

    // A valid config with a flag overriding it runs.
    std::fs::write(&config, "complete_missing = false\nmarker_diameter_px = 30.0\n")
        .expect("writable");
    let out = run(&["--config", path_str(&config), "--marker-diameter", "20:28"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn outputs_are_not_overwritten_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let image = dir.path().join("img.png");
    write_gray_png(&image);
    let det = dir.path().join("det.json");
    std::fs::write(&det, "precious").expect("writable");
    let args = ["detect", "--image", path_str(&image), "--out", path_str(&det)];
    let out = annulus(&args);
    assert_fails_with(&out, &["det.json already exists", "--force"]);
    assert_eq!(std::fs::read_to_string(&det).expect("still there"), "precious");

    let out = annulus(&[&args[..], &["--force"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(read_detection(&det).width, 64);

    // An existing overlay is refused before the detection is written either.
    std::fs::remove_file(&det).expect("removable");
    let overlay = dir.path().join("overlay.png");
    std::fs::write(&overlay, "precious").expect("writable");
    let out = annulus(&[&args[..], &["--overlay", path_str(&overlay)]].concat());
    assert_fails_with(&out, &["overlay.png already exists", "--force"]);
    assert!(!det.exists());
    let same = annulus(&[&args[..], &["--overlay", path_str(&det)]].concat());
    assert_fails_with(&same, &["same file"]);
}

#[test]
fn the_overlay_is_an_rgb_png_of_the_input_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let image = dir.path().join("img.png");
    write_gray_png(&image);
    let overlay = dir.path().join("sub/overlay.png");
    let det = dir.path().join("det.json");
    let out = annulus(&[
        "detect",
        "--image",
        path_str(&image),
        "--out",
        path_str(&det),
        "--overlay",
        path_str(&overlay),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("overlay: "), "{}", text(&out.stdout));
    let file = std::fs::File::open(&overlay).expect("overlay written");
    let reader = png::Decoder::new(std::io::BufReader::new(file)).read_info().expect("a PNG");
    let info = reader.info();
    assert_eq!((info.width, info.height), (64, 48));
    assert_eq!((info.color_type, info.bit_depth), (png::ColorType::Rgb, png::BitDepth::Eight));
}

/// The detector on the `tiny` scenario (distortion, anisotropic blur, uneven light, noise) finds
/// every marker that lies wholly in the image, with its ID, within half a pixel of the truth.
/// Its markers are about 15 px across, below the 20 px the automatic scale search starts at, so
/// the test passes the diameter as a user would.
#[test]
fn detect_finds_every_visible_marker_of_a_synthetic_image() {
    let dir = tempfile::tempdir().expect("temp dir");
    let synth = dir.path().join("tiny");
    let out = annulus(&[
        "synth",
        "--scenario",
        "fixtures/scenarios/tiny.toml",
        "--out",
        path_str(&synth),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let det = dir.path().join("det.json");
    let out = annulus(&[
        "detect",
        "--image",
        path_str(&synth.join("img_0000.png")),
        "--board",
        path_str(&synth.join("board.json")),
        "--out",
        path_str(&det),
        "--marker-diameter",
        "15",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let truth: GroundTruth = serde_json::from_str(
        &std::fs::read_to_string(synth.join("gt_0000.json")).expect("truth written"),
    )
    .expect("ground truth parses");
    let detection = read_detection(&det);
    let visible: Vec<_> = truth.markers.iter().filter(|m| m.visible).collect();
    assert!(!visible.is_empty(), "the scenario shows markers");
    let mut failures = Vec::new();
    for marker in &visible {
        let center = marker.center_img_px.expect("visible markers are in front of the camera");
        match detection.markers.iter().find(|d| d.id == Some(marker.id)) {
            None => failures.push(format!("marker {} not found", marker.id)),
            Some(found) => {
                let error =
                    (found.center_img_px[0] - center[0]).hypot(found.center_img_px[1] - center[1]);
                if error > 0.5 {
                    failures.push(format!("marker {} is {error:.3} px off", marker.id));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} visible markers wrong ({} detected): {}",
        failures.len(),
        visible.len(),
        detection.markers.len(),
        failures.join("; ")
    );
}
