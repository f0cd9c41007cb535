//! Issue 8, "CLI on bad files", for images: missing, unreadable, truncated and corrupt PNGs and
//! headers beyond the size limit are refused with exit status 1 and one `error:` line naming the
//! file and the problem, with no panic and no backtrace although `RUST_BACKTRACE=1` is set.
//! Palette, RGBA, gray + alpha and 16-bit RGB PNGs are converted with one `note:` line and
//! detected exactly as their 8-bit gray original.
//!
//! Each test is a table whose rows are named in its failure messages.

#![allow(clippy::expect_used, clippy::print_stderr)]

mod common;

use std::path::Path;

use common::{Case, Scratch, annulus, assert_refused, path_str, text};

/// Encodes a PNG; `data` holds the samples (big-endian for 16 bits), `palette` the PLTE entries
/// and `trns` the tRNS chunk.
fn encode_png(
    [width, height]: [u32; 2],
    color: png::ColorType,
    depth: png::BitDepth,
    data: &[u8],
    palette: Option<Vec<u8>>,
    trns: Option<Vec<u8>>,
) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(color);
    encoder.set_depth(depth);
    if let Some(palette) = palette {
        encoder.set_palette(palette);
    }
    if let Some(trns) = trns {
        encoder.set_trns(trns);
    }
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(data).expect("data");
    writer.finish().expect("finished");
    bytes
}

/// A valid 64 x 48 8-bit gray PNG in a single IDAT chunk.
fn gray_png() -> Vec<u8> {
    let data: Vec<u8> = (0..64 * 48).map(|i| (i % 64 * 4) as u8).collect();
    encode_png([64, 48], png::ColorType::Grayscale, png::BitDepth::Eight, &data, None, None)
}

/// The byte range of the first chunk of type `kind`: its length field to its CRC, inclusive.
fn chunk_range(png: &[u8], kind: &[u8; 4]) -> std::ops::Range<usize> {
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes")) as usize;
        if &png[at + 4..at + 8] == kind {
            return at..at + 12 + len;
        }
        at += 12 + len;
    }
    panic!("no {kind:?} chunk");
}

/// A PNG of only a signature, an IHDR chunk (8-bit gray) claiming `width x height`, and IEND:
/// a header with no image data behind it.
fn header_only_png(width: u32, height: u32) -> Vec<u8> {
    let ihdr = [&width.to_be_bytes()[..], &height.to_be_bytes(), &[8, 0, 0, 0, 0]].concat();
    let mut png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    for (kind, body) in [(b"IHDR", ihdr), (b"IEND", Vec::new())] {
        let typed = [&kind[..], &body].concat();
        png.extend((body.len() as u32).to_be_bytes());
        png.extend(&typed);
        png.extend(crc32fast::hash(&typed).to_be_bytes());
    }
    png
}

#[test]
fn image_files_that_cannot_be_read_are_named_with_the_reason() {
    let s = Scratch::new();
    let missing = path_str(&s.path("missing.png")).to_owned();
    let folder = s.path("folder.png");
    std::fs::create_dir(&folder).expect("creatable");
    let folder = path_str(&folder).to_owned();
    let empty = s.write("empty.png", b"");
    s.check_all(&[
        Case::new(
            "missing file",
            s.detect(&missing, &[]),
            &["cannot read image", &missing, "No such file"],
        ),
        Case::new(
            "directory",
            s.detect(&folder, &[]),
            &["cannot read image", &folder, "directory"],
        ),
        Case::new(
            "empty file",
            s.detect(&empty, &[]),
            &["image ", &empty, "not a PNG file (the file is empty)"],
        ),
    ]);
}

/// A file nobody may read. Root reads it anyway, so the test first tries to open the file
/// itself and, when that succeeds, says so on stderr and skips the check: the refusal only
/// exists for users whom the permissions stop.
#[cfg(unix)]
#[test]
fn an_unreadable_image_is_named_with_the_reason() {
    use std::os::unix::fs::PermissionsExt as _;

    let s = Scratch::new();
    let image = s.write("locked.png", gray_png());
    std::fs::set_permissions(&image, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::File::open(&image).is_ok() {
        eprintln!("skipped: a file with mode 000 is readable here (running as root)");
        return;
    }
    s.check_all(&[Case::new(
        "mode 000",
        s.detect(&image, &[]),
        &["cannot read image", &image, "Permission denied"],
    )]);
}

#[test]
fn truncated_pngs_are_named_as_truncated() {
    let s = Scratch::new();
    let png = gray_png();
    let idat = chunk_range(&png, b"IDAT");
    let iend = chunk_range(&png, b"IEND");
    let cuts = [
        ("signature only", 8),
        ("header only", chunk_range(&png, b"IHDR").end),
        ("cut in the IDAT chunk's header", idat.start + 6),
        ("mid-IDAT", (idat.start + idat.end) / 2),
        ("IDAT without its CRC", idat.end - 4),
        ("missing IEND", iend.start),
    ];
    let cases: Vec<Case> = cuts
        .iter()
        .enumerate()
        .map(|(i, &(name, len))| {
            let image = s.write(&format!("cut{i}.png"), &png[..len]);
            Case::new(name, s.detect(&image, &[]), &["image ", &image, "truncated PNG"])
        })
        .collect();
    s.check_all(&cases);
}

#[test]
fn corrupt_pngs_are_named_as_corrupt() {
    let s = Scratch::new();
    let png = gray_png();
    let idat = chunk_range(&png, b"IDAT");
    let flipped = |at: usize| {
        let mut bytes = png.clone();
        bytes[at] ^= 0x5a;
        bytes
    };
    let palette_less = {
        let data = vec![0; 8 * 8];
        let (color, depth) = (png::ColorType::Indexed, png::BitDepth::Eight);
        let mut bytes = encode_png([8, 8], color, depth, &data, Some(vec![0; 3]), None);
        bytes.drain(chunk_range(&bytes, b"PLTE"));
        bytes
    };
    let inputs: [(&str, Vec<u8>, &[&str]); 6] = [
        ("wrong signature", flipped(1), &["not a PNG file"]),
        ("IHDR byte flipped", flipped(20), &["corrupt PNG", "CRC error", "IHDR chunk"]),
        ("IDAT CRC flipped", flipped(idat.end - 2), &["corrupt PNG", "CRC error", "IDAT chunk"]),
        // The decoder inflates the data as it streams in, before the chunk's CRC is read, so
        // damage inside the data is reported by the inflater or the row filter.
        ("first IDAT byte flipped", flipped(idat.start + 8), &["corrupt PNG"]),
        ("mid-IDAT byte flipped", flipped((idat.start + idat.end) / 2), &["corrupt PNG"]),
        ("palette image without PLTE", palette_less, &["corrupt PNG", "palette"]),
    ];
    let cases: Vec<Case> = inputs
        .iter()
        .enumerate()
        .map(|(i, (name, bytes, problem))| {
            let image = s.write(&format!("bad{i}.png"), bytes);
            let expect = [&["image ", image.as_str()][..], problem].concat();
            Case::new(*name, s.detect(&image, &[]), &expect)
        })
        .collect();
    s.check_all(&cases);
}

/// The files hold a header and no image data: had the CLI allocated and decoded before checking
/// the size, it would fail on the missing data instead of naming the limit.
#[test]
fn images_beyond_the_size_limit_are_refused_from_the_header() {
    let s = Scratch::new();
    let sizes = [
        ("40000 x 40000", [40_000, 40_000]),
        ("one side too long", [32_769, 1]),
        ("too many pixels", [20_000, 20_000]),
        ("a side past i32::MAX", [2_147_483_653, 10]),
    ];
    let cases: Vec<Case> = sizes
        .iter()
        .enumerate()
        .map(|(i, &(name, [w, h]))| {
            let image = s.write(&format!("huge{i}.png"), header_only_png(w, h));
            let claimed = format!("the image is {w} x {h} px");
            let limit = "the detector accepts at most 32768 px a side and 268435456 pixels";
            Case::new(name, s.detect(&image, &[]), &["image ", &image, &claimed, limit])
        })
        .collect();
    s.check_all(&cases);
}

/// Palette (with and without transparency), RGBA, gray + alpha and 16-bit RGB PNGs of the same
/// gray pixels are each converted with one note and give exactly the 8-bit gray detection.
#[test]
fn other_pixel_formats_are_converted_with_a_note_and_detected_alike() {
    use png::BitDepth::{Eight, Sixteen};
    use png::ColorType::{Grayscale, GrayscaleAlpha, Indexed, Rgb, Rgba};

    let s = Scratch::new();
    let synth = s.path("tiny");
    let out = annulus(&[
        "synth",
        "--scenario",
        "fixtures/scenarios/tiny.toml",
        "--n",
        "1",
        "--out",
        path_str(&synth),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let board = synth.join("board.json");
    let detect = |image: &Path, out: &Path| {
        annulus(&[
            "detect",
            "--image",
            path_str(image),
            "--board",
            path_str(&board),
            "--marker-diameter",
            "15",
            "--out",
            path_str(out),
        ])
    };
    let original = synth.join("img_0000.png");
    let reference = s.path("gray.json");
    let out = detect(&original, &reference);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", text(&out.stderr));
    let expected = std::fs::read_to_string(&reference).expect("written");
    assert!(expected.contains("\"id\": "), "the original shows identified markers");

    let decoder = png::Decoder::new(std::io::Cursor::new(std::fs::read(&original).expect("read")));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut gray = vec![0; reader.output_buffer_size().expect("small")];
    let info = reader.next_frame(&mut gray).expect("decoded");
    assert_eq!((info.color_type, info.bit_depth), (Grayscale, Eight), "the original is plain");
    let size = [info.width, info.height];

    let each = |f: &dyn Fn(u8) -> Vec<u8>| gray.iter().flat_map(|&v| f(v)).collect::<Vec<u8>>();
    let wide = |v: u8| (u16::from(v) * 257).to_be_bytes();
    let palette: Vec<u8> = (0..=255).flat_map(|v| [v, v, v]).collect();
    // Alpha is ignored: half the palette entries fully transparent changes nothing.
    let trns = vec![0; 128];
    let variants = [
        ("8-bit palette", encode_png(size, Indexed, Eight, &gray, Some(palette.clone()), None)),
        ("8-bit palette", encode_png(size, Indexed, Eight, &gray, Some(palette), Some(trns))),
        ("8-bit RGBA", encode_png(size, Rgba, Eight, &each(&|v| vec![v, v, v, 7]), None, None)),
        (
            "8-bit gray+alpha",
            encode_png(size, GrayscaleAlpha, Eight, &each(&|v| vec![v, 0]), None, None),
        ),
        (
            "16-bit RGB",
            encode_png(
                size,
                Rgb,
                Sixteen,
                &each(&|v| [wide(v), wide(v), wide(v)].concat()),
                None,
                None,
            ),
        ),
    ];
    for (i, (kind, bytes)) in variants.iter().enumerate() {
        let image = s.path(&format!("variant{i}.png"));
        std::fs::write(&image, bytes).expect("writable");
        let det = s.path(&format!("variant{i}.json"));
        let out = detect(&image, &det);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "{kind}: {stderr}");
        let note = format!("note: {} is {kind}; converted to 8-bit gray\n", image.display());
        assert_eq!(stderr, note, "{kind}");
        let found = std::fs::read_to_string(&det).expect("written");
        assert!(found == expected, "{kind}: the detection differs from the gray original's");

        // Refused afterwards (the output exists): the note, then one error line.
        let again = detect(&image, &det);
        let expect = [format!("{} already exists", det.display()), "--force".to_owned()];
        assert_refused(&format!("{kind}, output exists"), &again, &expect);
        assert!(text(&again.stderr).starts_with(&note), "{kind}: {}", text(&again.stderr));
    }
}
