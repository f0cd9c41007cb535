//! Issue 8, "CLI on bad files", for specs and values: NaN, infinite and negative numbers in the
//! detector config, camera, scenario, board spec and flags (written as `nan` and `inf` in TOML,
//! and as out-of-range literals like `1e999` in JSON, which has neither), typo'd fields, and
//! spec paths that cannot be read. Each is refused with exit status 1 and one `error:` line
//! naming the file (or the flag) and the problem, with no panic and no backtrace although
//! `RUST_BACKTRACE=1` is set.
//!
//! Each test is a table whose rows are named in its failure messages.

#![allow(clippy::expect_used)]

mod common;

use common::{Case, Scratch, path_str, workspace};

/// A valid 64 x 48 8-bit gray PNG, so that only the value under test is wrong.
fn gray_image(s: &Scratch) -> String {
    let data: Vec<u8> = (0..64 * 48).map(|i| (i % 64 * 4) as u8).collect();
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, 64, 48);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(&data).expect("data");
    writer.finish().expect("finished");
    s.write("img.png", bytes)
}

/// A fixture's text with `from` replaced by `to` (which must change it).
fn edited(fixture: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(workspace().join(fixture)).expect("fixture");
    assert!(text.contains(from), "{fixture} contains {from:?}");
    text.replace(from, to)
}

/// Cases that write `text` to `name` and pass it to `detect` after `flag`, each expecting the
/// file's path, `what` and its own message parts.
fn spec_cases(
    s: &Scratch,
    image: &str,
    flag: &str,
    what: &str,
    rows: &[(&str, &str, String, &[&str])],
) -> Vec<Case> {
    rows.iter()
        .enumerate()
        .map(|(i, (name, extension, text, problem))| {
            let path = s.write(&format!("{flag}{i}.{extension}"), text);
            let expect = [&[what, path.as_str()][..], problem].concat();
            Case::new(format!("{flag} {name}"), s.detect(image, &[flag, &path]), &expect)
        })
        .collect()
}

#[test]
fn nan_infinite_and_negative_detector_config_values_are_refused() {
    let s = Scratch::new();
    let image = gray_image(&s);
    let positive = "must be a positive finite number, got";
    let min = format!("`min_marker_diameter_px` {positive}");
    let max = format!("`max_marker_diameter_px` {positive}");
    let prior = format!("`marker_diameter_px` {positive}");
    let (prior0, prior1) = (
        format!("`marker_diameter_px[0]` {positive}"),
        format!("`marker_diameter_px[1]` {positive}"),
    );
    let overflow = "invalid JSON: number out of range at line 1, column";
    let rows: &[(&str, &str, String, &[&str])] = &[
        ("min nan", "toml", "min_marker_diameter_px = nan\n".into(), &[&format!("{min} NaN")]),
        ("min inf", "toml", "min_marker_diameter_px = inf\n".into(), &[&format!("{min} inf")]),
        ("min zero", "toml", "min_marker_diameter_px = 0.0\n".into(), &[&format!("{min} 0")]),
        ("max -inf", "toml", "max_marker_diameter_px = -inf\n".into(), &[&format!("{max} -inf")]),
        ("max negative", "toml", "max_marker_diameter_px = -4.0\n".into(), &[&format!("{max} -4")]),
        ("prior nan", "toml", "marker_diameter_px = nan\n".into(), &[&format!("{prior} NaN")]),
        (
            "prior negative",
            "toml",
            "marker_diameter_px = -32.0\n".into(),
            &[&format!("{prior} -32")],
        ),
        (
            "range -inf",
            "toml",
            "marker_diameter_px = [-inf, 40.0]\n".into(),
            &[&format!("{prior0} -inf")],
        ),
        (
            "range nan",
            "toml",
            "marker_diameter_px = [24.0, nan]\n".into(),
            &[&format!("{prior1} NaN")],
        ),
        (
            "prior text",
            "toml",
            "marker_diameter_px = \"big\"\n".into(),
            &["a diameter in pixels (like 32.0) or a range [min, max]", "at line 1, column 22"],
        ),
        (
            "camera fx nan",
            "toml",
            "[camera]\nfx = nan\nfy = 400.0\ncx = 31.5\ncy = 23.5\n".into(),
            &["`camera.fx` must be a positive finite number, got NaN"],
        ),
        (
            "typo",
            "toml",
            "min_marker_diamter_px = 20.0\n".into(),
            &[
                "unknown field `min_marker_diamter_px`",
                "(did you mean `min_marker_diameter_px`?) at line 1, column 1",
            ],
        ),
        ("json min 1e999", "json", "{\"min_marker_diameter_px\": 1e999}".into(), &[overflow]),
        ("json max -1e999", "json", "{\"max_marker_diameter_px\": -1e999}".into(), &[overflow]),
        ("json range 1e999", "json", "{\"marker_diameter_px\": [24, 1e999]}".into(), &[overflow]),
        (
            "json prior negative",
            "json",
            "{\"marker_diameter_px\": -5}".into(),
            &[&format!("{prior} -5")],
        ),
        (
            "json camera fx 1e999",
            "json",
            "{\"camera\": {\"fx\": 1e999, \"fy\": 1, \"cx\": 0, \"cy\": 0}}".into(),
            &[overflow],
        ),
    ];
    s.check_all(&spec_cases(&s, &image, "--config", "detector config ", rows));
}

#[test]
fn nan_infinite_and_negative_camera_values_are_refused() {
    let s = Scratch::new();
    let image = gray_image(&s);
    let camera = |fx: &str, fy: &str, cx: &str, cy: &str, distortion: &str| {
        format!("fx = {fx}\nfy = {fy}\ncx = {cx}\ncy = {cy}\n{distortion}")
    };
    let lens = |coefficient: &str| {
        camera("400.0", "400.0", "31.5", "23.5", &format!("[distortion]\n{coefficient}\n"))
    };
    let json = |fields: &str| {
        format!("{{\"fx\": 400, \"fy\": 400, \"cx\": 31.5, \"cy\": 23.5, {fields}}}")
    };
    let positive = "must be a positive finite number, got";
    let finite = "is out of range: a finite number";
    let overflow = "invalid JSON: number out of range at line 1, column";
    let rows: &[(&str, &str, String, &[&str])] = &[
        (
            "fx nan",
            "toml",
            camera("nan", "400.0", "31.5", "23.5", ""),
            &[&format!("`camera.fx` {positive} NaN")],
        ),
        (
            "fx negative",
            "toml",
            camera("-400.0", "400.0", "31.5", "23.5", ""),
            &[&format!("`camera.fx` {positive} -400")],
        ),
        (
            "fy -inf",
            "toml",
            camera("400.0", "-inf", "31.5", "23.5", ""),
            &[&format!("`camera.fy` {positive} -inf")],
        ),
        (
            "fy zero",
            "toml",
            camera("400.0", "0.0", "31.5", "23.5", ""),
            &[&format!("`camera.fy` {positive} 0")],
        ),
        (
            "cx inf",
            "toml",
            camera("400.0", "400.0", "inf", "23.5", ""),
            &[&format!("`camera.cx` = inf {finite}")],
        ),
        (
            "cy nan",
            "toml",
            camera("400.0", "400.0", "31.5", "nan", ""),
            &[&format!("`camera.cy` = NaN {finite}")],
        ),
        ("k1 nan", "toml", lens("k1 = nan"), &["`camera.distortion.k1` = NaN is out of range"]),
        ("k2 inf", "toml", lens("k2 = inf"), &["`camera.distortion.k2` = inf is out of range"]),
        ("k3 -inf", "toml", lens("k3 = -inf"), &["`camera.distortion.k3` = -inf is out of range"]),
        ("p1 nan", "toml", lens("p1 = nan"), &["`camera.distortion.p1` = NaN is out of range"]),
        (
            "p2 huge negative",
            "toml",
            lens("p2 = -2000.0"),
            &["`camera.distortion.p2` = -2000 is out of range: a finite number between -1000"],
        ),
        (
            "unknown coefficient",
            "toml",
            lens("k4 = 0.1"),
            &["unknown field `k4`", "at line 6, column 1"],
        ),
        (
            "json fx 1e999",
            "json",
            json("\"distortion\": {}").replace("\"fx\": 400", "\"fx\": 1e999"),
            &[overflow],
        ),
        (
            "json cy -1e999",
            "json",
            json("\"distortion\": {}").replace("\"cy\": 23.5", "\"cy\": -1e999"),
            &[overflow],
        ),
        ("json k1 1e999", "json", json("\"distortion\": {\"k1\": 1e999}"), &[overflow]),
        (
            "json fy negative",
            "json",
            json("\"distortion\": {}").replace("\"fy\": 400", "\"fy\": -400"),
            &[&format!("`camera.fy` {positive} -400")],
        ),
    ];
    s.check_all(&spec_cases(&s, &image, "--camera", "camera ", rows));
}

#[test]
fn nan_infinite_and_negative_flag_values_are_refused() {
    let s = Scratch::new();
    let image = gray_image(&s);
    let field = "detector configuration: `marker_diameter_px";
    let mut cases: Vec<Case> = [
        ("nan", "` must be a positive finite number, got NaN"),
        ("inf", "` must be a positive finite number, got inf"),
        ("1e999", "` must be a positive finite number, got inf"),
        ("-5", "` must be a positive finite number, got -5"),
        ("0", "` must be a positive finite number, got 0"),
        ("nan:40", "[0]` must be a positive finite number, got NaN"),
        ("10:-inf", "[1]` must be a positive finite number, got -inf"),
        ("40:24", "[1]` = 24 is out of range: at least marker_diameter_px[0]"),
    ]
    .iter()
    .map(|(value, problem)| {
        let flag = format!("--marker-diameter={value}");
        Case::new(flag.clone(), s.detect(&image, &[&flag]), &[&format!("{field}{problem}")])
    })
    .collect();
    let out = path_str(&s.path("board")).to_owned();
    for (dpi, shown) in
        [("nan", "NaN"), ("inf", "inf"), ("-300", "-300"), ("0", "0"), ("1e999", "inf")]
    {
        let flag = format!("--dpi={dpi}");
        let args = ["gen", "--default", "--out", &out, &flag].map(str::to_owned).to_vec();
        let problem = format!(
            "cannot print the board at {shown} dpi: the resolution must be between 10 and 4800 dpi"
        );
        cases.push(Case::new(flag, args, &[&problem]));
    }
    s.check_all(&cases);
    assert!(!s.path("board").exists(), "a refused --dpi creates no output folder");
}

/// The same typo'd field, in TOML and JSON, through every command that reads a board.
#[test]
fn board_spec_typos_and_bad_values_name_the_file_and_field() {
    let s = Scratch::new();
    let image = gray_image(&s);
    let toml = "fixtures/boards/default.toml";
    let default_json = annulus::Board::builtin().to_json();
    let specs: &[(&str, &str, String, &[&str])] = &[
        (
            "TOML typo",
            "toml",
            edited(toml, "pitch_mm", "pitch_mn"),
            &[
                "invalid TOML: unknown field `pitch_mn`",
                "(did you mean `pitch_mm`?) at line 11, column 1",
            ],
        ),
        (
            "TOML typo in a tagged table",
            "toml",
            edited(toml, "codebook =", "codebok ="),
            &["unknown field `codebok`", "(did you mean `codebook`?)"],
        ),
        (
            "TOML unknown variant",
            "toml",
            edited(toml, "\"hex\"", "\"hexx\""),
            &["unknown variant `hexx`, expected `hex` or `rect` (did you mean `hex`?)"],
        ),
        (
            "JSON typo",
            "json",
            default_json.replace("\"pitch_mm\"", "\"pitch_mn\""),
            &[
                "invalid JSON: unknown field `pitch_mn`",
                "(did you mean `pitch_mm`?) at line 8, column",
            ],
        ),
        (
            "JSON top-level typo",
            "json",
            default_json.replace("\"margin_mm\"", "\"margn_mm\""),
            &["unknown field `margn_mm`", "(did you mean `margin_mm`?)"],
        ),
        (
            "pitch nan",
            "toml",
            edited(toml, "pitch_mm = 16.0", "pitch_mm = nan"),
            &["`lattice.pitch_mm` must be a positive finite number, got NaN"],
        ),
        (
            "margin -inf",
            "toml",
            edited(toml, "margin_mm = 8.0", "margin_mm = -inf"),
            &["`margin_mm` = -inf is out of range"],
        ),
        (
            "width negative",
            "toml",
            edited(toml, "width_mm = 0.8", "width_mm = -0.8"),
            &["`marker.outer_ring.width_mm` must be a positive finite number, got -0.8"],
        ),
        (
            "rows negative",
            "toml",
            edited(toml, "rows = 13", "rows = -13"),
            &["invalid value: integer `-13`", "at line 9, column 8"],
        ),
        (
            "JSON pitch 1e999",
            "json",
            default_json.replace("\"pitch_mm\": 16.0", "\"pitch_mm\": 1e999"),
            &["invalid JSON: number out of range at line 8, column"],
        ),
    ];
    let mut cases = spec_cases(&s, &image, "--board", "board spec ", specs);
    let out = path_str(&s.path("out")).to_owned();
    for (i, (name, extension, text, problem)) in specs.iter().enumerate().take(5) {
        let path = s.write(&format!("typo{i}.{extension}"), text);
        let expect = [&["board spec ", path.as_str()][..], problem].concat();
        let generate = ["gen", &path, "--out", &out].map(str::to_owned).to_vec();
        cases.push(Case::new(format!("gen {name}"), generate, &expect));
        let scenario = "fixtures/scenarios/tiny.toml";
        let synth = ["synth", "--scenario", scenario, "--board", &path, "--out", &out]
            .map(str::to_owned)
            .to_vec();
        cases.push(Case::new(format!("synth {name}"), synth, &expect));
    }
    s.check_all(&cases);
    assert!(!s.path("out").exists(), "nothing written");
}

#[test]
fn bad_scenario_values_name_the_file_and_field() {
    let s = Scratch::new();
    let tiny = "fixtures/scenarios/tiny.toml";
    // A copy next to the board it names, so that only the edited value is wrong.
    let board = std::fs::read(workspace().join("fixtures/boards/tiny.toml")).expect("fixture");
    s.write("tiny-board.toml", board);
    let rows: [(&str, String, &[&str]); 6] = [
        ("noise nan", edited(tiny, "sigma = 0.01", "sigma = nan"), &["noise.sigma", "NaN"]),
        (
            "distance inf",
            edited(tiny, "[200.0, 220.0]", "[200.0, inf]"),
            &["pose.distance_mm", "inf"],
        ),
        (
            "blur negative",
            edited(tiny, "sigma_px = 0.9", "sigma_px = -0.9"),
            &["blur.sigma_px", "-0.9"],
        ),
        (
            "camera fx nan",
            edited(tiny, "fx = 400.0", "fx = nan"),
            &["`camera.fx` must be a positive finite number, got NaN"],
        ),
        (
            "k1 -inf",
            edited(tiny, "k1 = -0.1", "k1 = -inf"),
            &["`camera.distortion.k1` = -inf is out of range"],
        ),
        (
            "typo",
            edited(tiny, "tilt_deg", "tilt_dg"),
            &["unknown field `tilt_dg`", "(did you mean `tilt_deg`?) at line 23, column 1"],
        ),
    ];
    let out = path_str(&s.path("out")).to_owned();
    let cases: Vec<Case> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, text, problem))| {
            let text = text.replace("../boards/tiny.toml", "tiny-board.toml");
            let path = s.write(&format!("scenario{i}.toml"), text);
            let expect = [&["scenario ", path.as_str()][..], problem].concat();
            Case::new(
                *name,
                ["synth", "--scenario", &path, "--out", &out].map(str::to_owned).to_vec(),
                &expect,
            )
        })
        .collect();
    s.check_all(&cases);
    assert!(!s.path("out").exists(), "nothing written");
}

/// Spec files that are missing or are directories are named with the reason, for every flag
/// that reads one.
#[test]
fn spec_paths_that_cannot_be_read_are_named() {
    let s = Scratch::new();
    let image = gray_image(&s);
    let folder = s.path("folder.toml");
    std::fs::create_dir(&folder).expect("creatable");
    let folder = path_str(&folder).to_owned();
    let missing = path_str(&s.path("missing.toml")).to_owned();
    let out = path_str(&s.path("out")).to_owned();
    let mut cases = Vec::new();
    for (path, reason) in [(&folder, "directory"), (&missing, "No such file")] {
        for (flag, what) in
            [("--board", "board spec"), ("--camera", "camera"), ("--config", "detector config")]
        {
            let expect = [&format!("cannot read {what} {path}"), reason];
            cases.push(Case::new(
                format!("{flag} {reason}"),
                s.detect(&image, &[flag, path]),
                &expect,
            ));
        }
        let expect = [&format!("cannot read scenario {path}"), reason];
        let synth = ["synth", "--scenario", path, "--out", &out].map(str::to_owned).to_vec();
        cases.push(Case::new(format!("--scenario {reason}"), synth, &expect));
        let expect = [&format!("cannot read board spec {path}"), reason];
        let generate = ["gen", path, "--out", &out].map(str::to_owned).to_vec();
        cases.push(Case::new(format!("gen {reason}"), generate, &expect));
    }
    s.check_all(&cases);
}
