//! A marker the detector has fitted, as it moves through identification and refinement.

use crate::geometry::Homography;

use super::decode::Decoded;
use super::marker_fit::MarkerFit;
use super::output::IdSource;

/// A fitted marker and what is known of its identity.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    /// Outer and inner ellipses, polarity, contrast.
    pub(crate) fit: MarkerFit,
    /// What the code band said, when it could be read.
    pub(crate) decoded: Option<Decoded>,
    /// The board marker it is, once identified.
    pub(crate) marker_idx: Option<usize>,
    /// How `marker_idx` was established.
    pub(crate) source: IdSource,
    /// Current best estimate of the image of the marker's centre, fit frame.
    pub(crate) center_fit: [f64; 2],
    /// The board-to-fit-frame homography of the marker's neighbourhood, when one was fitted.
    pub(crate) local: Option<Homography>,
}

impl Found {
    /// A freshly fitted marker, not yet identified.
    pub(crate) fn new(fit: MarkerFit, decoded: Option<Decoded>, center_fit: [f64; 2]) -> Self {
        Self { fit, decoded, marker_idx: None, source: IdSource::None, center_fit, local: None }
    }

    /// The board marker the code band names, if any.
    pub(crate) fn decoded_marker(&self) -> Option<usize> {
        self.decoded.and_then(|d| d.hit).map(|h| h.marker_idx)
    }
}
