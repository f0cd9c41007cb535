//! The `--overlay` picture: the input image in RGB with every detected marker drawn on it.
//!
//! Each marker gets its outer and inner ellipse, a small cross at its projective centre
//! (`center_img_px`) and, when identified, its ID next to the cross. Identified markers are
//! green, unidentified ones orange. Ellipses fitted in the undistorted frame are mapped back into
//! the image through the camera's lens model point by point, so they land on the rings the user
//! sees; a distorted ellipse is not an ellipse, which is why they are drawn as polygons fine
//! enough (about 2 px a side) to look smooth.
//!
//! Drawing is anti-aliased with `tiny-skia`. No font file can be assumed on the user's machine,
//! so IDs are drawn as stroked seven-segment digits over a dark halo, which stays legible on
//! both the white paper and the black rings. Coordinates follow the crate's pixel convention
//! (pixel centres at integers); tiny-skia puts them at half-integers, hence the half-pixel shift.

use anyhow::{Context, Result, anyhow};
use tiny_skia::{Color, LineCap, LineJoin, Paint, Path, PathBuilder, Pixmap, Stroke, Transform};

use annulus::{Camera, Detection, Ellipse, ImageFrame};

use crate::image_io::GrayImage;

/// Colour of identified markers.
const IDENTIFIED: [u8; 3] = [40, 220, 60];
/// Colour of unidentified markers.
const UNIDENTIFIED: [u8; 3] = [255, 150, 0];
/// Colour of the halo under the digits.
const HALO: [u8; 4] = [0, 0, 0, 210];

/// Renders the overlay and returns it as RGB PNG bytes.
pub fn render_png(
    image: &GrayImage,
    detection: &Detection,
    camera: Option<&Camera>,
) -> Result<Vec<u8>> {
    let pixmap = render(image, detection, camera)?;
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, image.width, image.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().context("cannot encode the overlay PNG")?;
    writer.write_image_data(&rgb).context("cannot encode the overlay PNG")?;
    writer.finish().context("cannot encode the overlay PNG")?;
    Ok(out)
}

/// Draws the overlay into an opaque pixmap of the image's size.
fn render(image: &GrayImage, detection: &Detection, camera: Option<&Camera>) -> Result<Pixmap> {
    let mut pixmap = Pixmap::new(image.width, image.height).ok_or_else(|| {
        anyhow!("cannot draw an overlay of {} x {} px", image.width, image.height)
    })?;
    for (dst, &g) in pixmap.data_mut().chunks_exact_mut(4).zip(&image.pixels) {
        dst.copy_from_slice(&[g, g, g, 255]);
    }
    // Ellipses in the undistorted frame go back through the lens; without a camera the two
    // frames coincide.
    let lens = match (detection.fit_frame, camera) {
        (ImageFrame::Undistorted, Some(camera)) => Some(camera),
        _ => None,
    };
    let to_image = |p: [f64; 2]| lens.map_or(p, |c| c.distort_px(p));
    let transform = Transform::from_translate(0.5, 0.5);

    for marker in &detection.markers {
        let [r, g, b] = if marker.id.is_some() { IDENTIFIED } else { UNIDENTIFIED };
        let paint = solid([r, g, b, 255]);
        let size = marker.outer.semi_minor_px;
        let line = Stroke {
            width: (size / 40.0).clamp(1.0, 4.0) as f32,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        for ellipse in std::iter::once(&marker.outer).chain(&marker.inner) {
            if let Some(path) = ellipse_path(ellipse, to_image) {
                pixmap.stroke_path(&path, &paint, &line, transform, None);
            }
        }

        let [cx, cy] = marker.center_img_px;
        let arm = (0.15 * size).clamp(2.0, 8.0);
        if let Some(path) = cross_path([cx, cy], arm) {
            pixmap.stroke_path(&path, &paint, &line, transform, None);
        }

        if let Some(id) = marker.id {
            let height = (0.5 * size).clamp(10.0, 24.0);
            let top_left = [cx + 2.0 * arm, cy - 0.5 * height];
            if let Some(path) = digits_path(&id.to_string(), top_left, height) {
                let width = (height / 7.0).max(1.0) as f32;
                let round = |width: f32| Stroke {
                    width,
                    line_cap: LineCap::Round,
                    line_join: LineJoin::Round,
                    ..Stroke::default()
                };
                pixmap.stroke_path(&path, &solid(HALO), &round(width + 1.5), transform, None);
                pixmap.stroke_path(&path, &paint, &round(width), transform, None);
            }
        }
    }
    Ok(pixmap)
}

/// An anti-aliased solid paint.
fn solid([r, g, b, a]: [u8; 4]) -> Paint<'static> {
    let mut paint = Paint { anti_alias: true, ..Paint::default() };
    paint.set_color(Color::from_rgba8(r, g, b, a));
    paint
}

/// A closed polygon through the ellipse, each vertex mapped by `to_image`; `None` when the
/// ellipse is degenerate or not finite.
fn ellipse_path(ellipse: &Ellipse, to_image: impl Fn([f64; 2]) -> [f64; 2]) -> Option<Path> {
    let (a, b) = (ellipse.semi_major_px, ellipse.semi_minor_px);
    // The circle of quadratic-mean radius has about the ellipse's perimeter; vertices about
    // 2 px apart look smooth.
    let perimeter = std::f64::consts::TAU * (0.5 * (a * a + b * b)).sqrt();
    if !perimeter.is_finite() {
        return None;
    }
    let n = (perimeter / 2.0).ceil().clamp(24.0, 720.0) as usize;
    let mut builder = PathBuilder::new();
    for i in 0..n {
        let t = std::f64::consts::TAU * i as f64 / n as f64;
        let [x, y] = to_image(ellipse.point_at(t));
        if !(x.is_finite() && y.is_finite()) {
            return None;
        }
        if i == 0 {
            builder.move_to(x as f32, y as f32);
        } else {
            builder.line_to(x as f32, y as f32);
        }
    }
    builder.close();
    builder.finish()
}

/// An upright cross of half-width `arm` at `center`.
fn cross_path([x, y]: [f64; 2], arm: f64) -> Option<Path> {
    if !(x.is_finite() && y.is_finite()) {
        return None;
    }
    let (x, y, arm) = (x as f32, y as f32, arm as f32);
    let mut builder = PathBuilder::new();
    builder.move_to(x - arm, y);
    builder.line_to(x + arm, y);
    builder.move_to(x, y - arm);
    builder.line_to(x, y + arm);
    builder.finish()
}

/// Which of the seven segments each decimal digit lights, bit 0 to 6 for segments `a` to `g`:
/// `a` top, `b` upper right, `c` lower right, `d` bottom, `e` lower left, `f` upper left, `g`
/// middle.
const DIGIT_SEGMENTS: [u8; 10] = [0x3f, 0x06, 0x5b, 0x4f, 0x66, 0x6d, 0x7d, 0x07, 0x7f, 0x6f];

/// End points of segments `a` to `g` in a digit cell of width 1/2 and height 1.
const SEGMENT_ENDS: [[[f32; 2]; 2]; 7] = [
    [[0.0, 0.0], [0.5, 0.0]],
    [[0.5, 0.0], [0.5, 0.5]],
    [[0.5, 0.5], [0.5, 1.0]],
    [[0.0, 1.0], [0.5, 1.0]],
    [[0.0, 0.5], [0.0, 1.0]],
    [[0.0, 0.0], [0.0, 0.5]],
    [[0.0, 0.5], [0.5, 0.5]],
];

/// Distance from one digit's left edge to the next one's, in units of the digit height.
const DIGIT_ADVANCE: f32 = 0.85;

/// The centre lines of `text`'s digits as seven-segment glyphs `height` pixels tall, the first
/// one's top left corner at `top_left`; characters other than digits are skipped.
fn digits_path(text: &str, [x0, y0]: [f64; 2], height: f64) -> Option<Path> {
    if !(x0.is_finite() && y0.is_finite()) {
        return None;
    }
    let (x0, y0, h) = (x0 as f32, y0 as f32, height as f32);
    let mut builder = PathBuilder::new();
    let digits = text.chars().filter_map(|c| c.to_digit(10));
    for (i, digit) in digits.enumerate() {
        let left = x0 + i as f32 * DIGIT_ADVANCE * h;
        let lit = DIGIT_SEGMENTS[digit as usize];
        for (segment, [[xa, ya], [xb, yb]]) in SEGMENT_ENDS.iter().enumerate() {
            if lit & (1 << segment) != 0 {
                builder.move_to(left + xa * h, y0 + ya * h);
                builder.line_to(left + xb * h, y0 + yb * h);
            }
        }
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use annulus::detect::{DetectStats, IdSource};
    use annulus::{BrownConrady, DetectedMarker};

    use super::*;

    fn circle(center_px: [f64; 2], r: f64) -> Ellipse {
        Ellipse { center_px, semi_major_px: r, semi_minor_px: r, angle_rad: 0.0 }
    }

    fn marker(id: Option<u32>, center: [f64; 2]) -> DetectedMarker {
        DetectedMarker {
            id,
            center_img_px: center,
            xy_board_mm: None,
            confidence: 1.0,
            source: if id.is_some() { IdSource::Decoded } else { IdSource::None },
            outer: circle(center, 20.0),
            inner: Some(circle(center, 8.0)),
        }
    }

    fn detection(markers: Vec<DetectedMarker>, fit_frame: ImageFrame) -> Detection {
        Detection {
            width: 120,
            height: 80,
            fit_frame,
            markers,
            img_from_board: None,
            stats: DetectStats::default(),
            timings: None,
        }
    }

    fn gray(value: u8) -> GrayImage {
        GrayImage { width: 120, height: 80, pixels: vec![value; 120 * 80] }
    }

    fn rgb(pixmap: &Pixmap, [x, y]: [u32; 2]) -> [u8; 3] {
        let p = pixmap.pixel(x, y).unwrap();
        [p.red(), p.green(), p.blue()]
    }

    /// Whether a pixel is mostly `color`: anti-aliasing blends the edges of a 1 px line.
    fn is(pixmap: &Pixmap, at: [u32; 2], color: [u8; 3]) -> bool {
        let p = rgb(pixmap, at);
        p.iter().zip(color).all(|(&a, b)| a.abs_diff(b) <= 48)
    }

    #[test]
    fn without_markers_the_overlay_is_the_image_in_rgb() {
        let image = GrayImage { width: 3, height: 2, pixels: vec![0, 50, 100, 150, 200, 255] };
        let mut empty = detection(Vec::new(), ImageFrame::Image);
        (empty.width, empty.height) = (3, 2);
        let png = render_png(&image, &empty, None).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height, info.color_type), (3, 2, png::ColorType::Rgb));
        assert_eq!(&buf[..6], &[0, 0, 0, 50, 50, 50]);
        assert_eq!(&buf[15..], &[255, 255, 255]);
    }

    #[test]
    fn identified_markers_are_green_and_unidentified_orange() {
        let markers = vec![marker(Some(7), [30.0, 40.0]), marker(None, [90.0, 40.0])];
        let pixmap = render(&gray(128), &detection(markers, ImageFrame::Image), None).unwrap();
        // On the outer circles, 20 px left of each centre; and the cross arm of the first.
        assert!(is(&pixmap, [10, 40], IDENTIFIED), "{:?}", rgb(&pixmap, [10, 40]));
        assert!(is(&pixmap, [70, 40], UNIDENTIFIED), "{:?}", rgb(&pixmap, [70, 40]));
        assert!(is(&pixmap, [30, 42], IDENTIFIED), "{:?}", rgb(&pixmap, [30, 42]));
        // Inner circle, 8 px above the second centre.
        assert!(is(&pixmap, [90, 32], UNIDENTIFIED), "{:?}", rgb(&pixmap, [90, 32]));
        // Far from everything the image is untouched.
        assert_eq!(rgb(&pixmap, [60, 5]), [128, 128, 128]);
    }

    #[test]
    fn ids_are_drawn_as_digits_and_unidentified_markers_get_none() {
        let count_changed = |markers| {
            let pixmap = render(&gray(128), &detection(markers, ImageFrame::Image), None).unwrap();
            let plain = [128u8, 128, 128, 255];
            // The label box right of the cross: x from 36 to 60, y from 35 to 45.
            (36..60)
                .flat_map(|x| (35..46).map(move |y| (x, y)))
                .filter(|&(x, y)| {
                    let p = pixmap.pixel(x, y).unwrap();
                    [p.red(), p.green(), p.blue(), p.alpha()] != plain
                })
                .count()
        };
        let one = count_changed(vec![marker(Some(1), [30.0, 40.0])]);
        let eight = count_changed(vec![marker(Some(88), [30.0, 40.0])]);
        let none = count_changed(vec![marker(None, [30.0, 40.0])]);
        assert!(one > 10 && 2 * eight > 3 * one, "{one} {eight}");
        // Only the ring passes through the box when there is no ID.
        assert!(none < one, "{none} {one}");
    }

    #[test]
    fn undistorted_ellipses_are_drawn_through_the_lens() {
        let mut camera = Camera::centered(100.0, 120, 80);
        camera.distortion = Some(BrownConrady { k1: 0.3, k2: 0.0, k3: 0.0, p1: 0.0, p2: 0.0 });
        let undistorted = [95.0, 39.5];
        let seen = camera.distort_px(undistorted);
        assert!((seen[0] - undistorted[0]).abs() > 1.0, "the lens moves the point visibly");
        // Unidentified, so that no label is drawn near the pixels checked.
        let mut m = marker(None, seen);
        m.outer = circle(undistorted, 4.0);
        m.inner = None;
        let det = detection(vec![m], ImageFrame::Undistorted);
        let pixmap = render(&gray(128), &det, Some(&camera)).unwrap();
        // The ring's rightmost point, mapped through the lens, is drawn; the unmapped one is not.
        let right = camera.distort_px([99.0, 39.5]);
        let at = [right[0].round() as u32, 40];
        assert!(is(&pixmap, at, UNIDENTIFIED), "{:?}", rgb(&pixmap, at));
        assert_eq!(rgb(&pixmap, [99, 40]), [128, 128, 128]);
    }
}
