//! Fuzz target `detect`: `Detector::detect_with` on arbitrary sizes, strides, configurations
//! and pixels (layout in the crate docs, `src/lib.rs`).
//!
//! Checks: `ImageView::new` refuses a bad size, stride or buffer with the matching typed error
//! and never panics; a valid configuration never makes the detector panic; the result
//! describes the image it was given, with finite centres and confidences in `[0, 1]`; and with
//! [`FLAG_FRESH_WORKSPACE`], a fresh workspace gives exactly the result of the one reused across
//! every input of the run.

#![no_main]

use std::cell::RefCell;

use annulus::{DetectConfig, DetectError, Detection, Detector, ImageView, Workspace};
use annulus_fuzz::{DetectInput, FLAG_FRESH_WORKSPACE, board};
use libfuzzer_sys::fuzz_target;

thread_local! {
    /// One workspace for the whole run, so that every input also tests reuse after images of
    /// other sizes and configurations.
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::new());
    /// The last detector built, keyed by its board index and configuration.
    static DETECTOR: RefCell<Option<(u8, DetectConfig, Detector)>> = const { RefCell::new(None) };
    /// Scratch pixels for inputs whose buffer is too short.
    static FILLED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fuzz_target!(|bytes: &[u8]| {
    let Some(input) = DetectInput::decode(bytes) else { return };
    check_view_errors(&input);
    let Some(detector) = detector(&input) else { return };
    match ImageView::new(input.width, input.height, input.stride, input.pixels) {
        Ok(view) => run(&detector, &input, &view),
        Err(_) if input.stride >= input.width as usize => {
            // Too few bytes: also run on the bytes repeated to fill the image, so that short
            // inputs still reach every stage.
            FILLED.with_borrow_mut(|filled| {
                let Some(needed) = input.needed_len() else { return };
                filled.clear();
                match input.pixels {
                    [] => filled.resize(needed, 128),
                    pixels => filled.extend(pixels.iter().cycle().take(needed)),
                }
                let view = ImageView::new(input.width, input.height, input.stride, filled);
                // Invariant: the buffer has exactly the length the view needs.
                #[allow(clippy::expect_used)]
                let view = view.expect("a filled buffer makes a valid view");
                run(&detector, &input, &view);
            });
        }
        Err(_) => {}
    }
});

/// `ImageView::new` gives the typed error that describes what is wrong with the input.
fn check_view_errors(input: &DetectInput<'_>) {
    let result = ImageView::new(input.width, input.height, input.stride, input.pixels);
    let stride_ok = input.stride >= input.width as usize;
    let long_enough = input.needed_len().is_some_and(|n| input.pixels.len() >= n);
    match result {
        Ok(view) => {
            assert!(stride_ok && long_enough, "accepted {input:?}");
            assert_eq!(
                (view.width(), view.height(), view.stride()),
                (input.width, input.height, input.stride)
            );
            for y in 0..view.height() {
                assert_eq!(view.row(y).map(<[u8]>::len), Some(input.width as usize));
            }
            assert_eq!(view.row(view.height()), None);
        }
        Err(DetectError::StrideTooSmall { stride, width }) => {
            assert!(!stride_ok && stride == input.stride && width == input.width);
        }
        Err(DetectError::BufferTooShort { len, .. }) => {
            assert!(stride_ok && !long_enough && len == input.pixels.len());
        }
        Err(other) => panic!("unexpected {other:?} for a {}x{} input", input.width, input.height),
    }
}

/// The detector for the input's board and configuration, reused while they stay the same;
/// `None` when the configuration is invalid (a typed error, which is the expected outcome).
fn detector(input: &DetectInput<'_>) -> Option<Detector> {
    let config = input.config();
    DETECTOR.with_borrow_mut(|cached| {
        if let Some((board, cached_config, detector)) = cached.as_ref()
            && *board == input.board % 3
            && *cached_config == config
        {
            return Some(detector.clone());
        }
        let detector = Detector::new(board(input.board)?, config.clone()).ok()?;
        *cached = Some((input.board % 3, config, detector.clone()));
        Some(detector)
    })
}

/// Detects with the shared workspace, checks the result and, when asked, compares it with a
/// fresh workspace's.
fn run(detector: &Detector, input: &DetectInput<'_>, view: &ImageView<'_>) {
    let reused = WORKSPACE.with_borrow_mut(|ws| match detector.detect_with(ws, view) {
        Ok(detection) => detection.clone(),
        Err(e) => panic!("a valid view was refused: {e}"),
    });
    check(&reused, view);
    if input.has(FLAG_FRESH_WORKSPACE) {
        let fresh = match detector.detect(view) {
            Ok(detection) => detection,
            Err(e) => panic!("a valid view was refused by detect: {e}"),
        };
        // Debug text compares NaN with NaN and leaves out nothing but the timings.
        let text = |d: &Detection| format!("{:?}", Detection { timings: None, ..d.clone() });
        assert_eq!(text(&reused), text(&fresh), "a reused workspace changed the result");
    }
}

/// The documented promises of a detection.
fn check(detection: &Detection, view: &ImageView<'_>) {
    assert_eq!((detection.width, detection.height), (view.width(), view.height()));
    for marker in &detection.markers {
        assert!(marker.center_img_px.iter().all(|v| v.is_finite()), "non-finite centre {marker:?}");
        assert!((0.0..=1.0).contains(&marker.confidence), "confidence outside [0, 1]: {marker:?}");
    }
}
