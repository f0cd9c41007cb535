//! Tests of the batch API: a batch equals sequential detection, in order, on any pool.

use crate::board::Board;
use crate::image::ImageView;
use crate::{DetectConfig, Detector, Workspace};

use super::super::tests::draw_marker;
use super::BatchWorkspace;

/// A batch on a two-thread pool returns, in input order, exactly what one workspace returns
/// image by image, errors included, and reuses its per-thread workspaces.
#[test]
fn a_batch_equals_sequential_detection_in_order() {
    let board = Board::builtin();
    let drawn: Vec<Vec<u8>> = (0..6)
        .map(|k| draw_marker(&board, 3 * k + 1, 96, 5.0, 0.4 * k as f64, 0.85, k % 2 == 1).0)
        .collect();
    let blank = vec![128u8; 96 * 96];
    let mut images: Vec<ImageView<'_>> =
        drawn.iter().map(|p| ImageView::packed(96, 96, p).unwrap()).collect();
    images.insert(2, ImageView::packed(96, 96, &blank).unwrap());
    let detector = Detector::new(board, DetectConfig::default()).unwrap();
    let mut ws = Workspace::new();
    let sequential: Vec<_> =
        images.iter().map(|v| detector.detect_with(&mut ws, v).cloned()).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let mut batch = BatchWorkspace::new();
    for _ in 0..2 {
        let parallel = pool.install(|| detector.detect_batch_with(&mut batch, &images));
        assert_eq!(parallel, sequential);
    }
    assert_eq!(batch.n_workspaces(), 2);
    assert!(sequential[2].as_ref().unwrap().markers.is_empty());
    assert_eq!(detector.detect_batch(&images[..1]), sequential[..1].to_vec());
}
