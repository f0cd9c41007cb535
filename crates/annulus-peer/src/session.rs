//! The `run` measurement in-process: every detector on the same rendered images, in alternating
//! order, producing a [`RunReport`].
//!
//! For each image, in order: render it and its ground truth with the generator, compute the
//! true diameter hint, build one [`Runner`] per detector (all of this outside any measurement),
//! then run `rounds` rounds. In each round every detector makes one call on the same buffer;
//! the order is [`DetectorKind::ALL`](crate::runner::DetectorKind::ALL) order when `round + image_index` is even and the reverse
//! when it is odd, so no detector always inherits a warm cache (or a cold one) from another.
//! Round 0 is each detector's first call on the image (annulus's on a fresh `Workspace`); the
//! last round's result is kept, converted to annulus's type after its measurement.
//!
//! A detector that fails or finds nothing is recorded as such (its error text, zero markers);
//! no image is ever dropped. Only problems of the inputs (a scenario the generator refuses, an
//! image with no visible marker for the hint, a configuration a detector refuses) end the run
//! with an error.

use annulus_synth::{SynthImage, Synthesizer};

use crate::error::PeerError;
use crate::report::{
    BoardSource, DetectorRecord, FRAME_NOTE, ImageRecord, PEER_SCHEMA, RINGGRID_VERSION, RunReport,
};
use crate::runner::{PeerBoard, PeerInput, Runner, true_diameter_hint_px};

/// What a run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Images `0..n_images` of the scenario are measured.
    pub n_images: u32,
    /// Calls per detector per image (at least 1).
    pub rounds: u32,
    /// Whether the detectors get the scenario's true camera.
    pub camera_given: bool,
}

/// A synthesizer rendering `board` in `synth`'s scenario.
pub fn with_board(synth: &Synthesizer, board: &PeerBoard) -> Result<Synthesizer, PeerError> {
    let scenario = synth.scenario();
    Synthesizer::new(scenario.clone(), board.board().clone()).map_err(|source| {
        PeerError::Scenario {
            scenario: scenario.name.clone(),
            board: board.board().name().to_owned(),
            source,
        }
    })
}

/// Image `image_index` of `synth` and its true diameter hint.
pub fn render_with_hint(
    synth: &Synthesizer,
    image_index: u32,
) -> Result<(SynthImage, f64), PeerError> {
    let scenario = synth.scenario().name.clone();
    let rendered = synth.render(image_index).map_err(|source| PeerError::Render {
        scenario: scenario.clone(),
        image_index,
        source,
    })?;
    let hint = true_diameter_hint_px(&rendered.truth, synth.board())
        .ok_or(PeerError::NoVisibleMarker { scenario, image_index })?;
    Ok((rendered, hint))
}

/// The input every detector gets for `rendered`.
pub fn input_for<'a>(
    rendered: &'a SynthImage,
    diameter_hint_px: f64,
    camera_given: bool,
) -> Result<PeerInput<'a>, PeerError> {
    let img = &rendered.image;
    let image = annulus::ImageView::packed(img.width, img.height, &img.pixels)
        .map_err(PeerError::AnnulusDetect)?;
    let camera = camera_given.then_some(rendered.truth.camera);
    Ok(PeerInput { image, diameter_hint_px, camera })
}

/// Runs every detector `board` supports on images `0..n_images` of `synth`'s scenario (with
/// `board` substituted for the scenario's own); see the module doc.
pub fn run_scenario(
    synth: &Synthesizer,
    board: &PeerBoard,
    options: &RunOptions,
) -> Result<RunReport, PeerError> {
    let scenario = synth.scenario();
    if options.rounds == 0 {
        return Err(PeerError::OutOfRange { field: "rounds", value: 0.0, expected: "at least 1" });
    }
    if options.n_images == 0 || options.n_images > scenario.count {
        return Err(PeerError::OutOfRange {
            field: "n_images",
            value: f64::from(options.n_images),
            expected: "between 1 and the scenario's image count",
        });
    }
    let synth = with_board(synth, board)?;
    let detectors = board.detectors();
    let mut images = Vec::with_capacity(options.n_images as usize);
    for image_index in 0..options.n_images {
        let (rendered, hint) = render_with_hint(&synth, image_index)?;
        let input = input_for(&rendered, hint, options.camera_given)?;
        let runners = detectors
            .iter()
            .map(|&kind| Runner::new(kind, board, &input))
            .collect::<Result<Vec<_>, _>>()?;
        let runs = measure_image(runners, image_index, options.rounds);
        images.push(ImageRecord {
            image_index,
            diameter_hint_px: hint,
            truth: rendered.truth.clone(),
            runs,
        });
    }
    let converted = board.ringgrid();
    Ok(RunReport {
        schema: PEER_SCHEMA,
        scenario: scenario.name.clone(),
        board_source: if converted.is_some() {
            BoardSource::Ringgrid
        } else {
            BoardSource::Annulus
        },
        board: board.board().name().to_owned(),
        n_board_markers: board.board().markers().len(),
        ringgrid_version: RINGGRID_VERSION.to_owned(),
        width: scenario.image.width,
        height: scenario.image.height,
        rounds: options.rounds,
        camera_given: options.camera_given,
        detectors,
        frame_note: FRAME_NOTE.to_owned(),
        max_position_error_mm: converted.map(|c| c.max_position_error_mm),
        ids_identical: converted
            .map(|c| c.id_of_ringgrid.iter().all(|(&rid, &id)| u32::try_from(rid) == Ok(id))),
        images,
    })
}

/// The rounds on one image; one record per runner, in the runners' order.
fn measure_image(
    mut runners: Vec<Runner<'_>>,
    image_index: u32,
    rounds: u32,
) -> Vec<DetectorRecord> {
    let mut records: Vec<DetectorRecord> = runners
        .iter()
        .map(|r| DetectorRecord {
            detector: r.kind(),
            wall_ns: Vec::with_capacity(rounds as usize),
            position_in_round: Vec::with_capacity(rounds as usize),
            alloc_cold: Default::default(),
            alloc_warm: None,
            n_markers: 0,
            error: None,
            detection: None,
        })
        .collect();
    let n = runners.len();
    for round in 0..rounds {
        let forward = (round + image_index).is_multiple_of(2);
        let last = round + 1 == rounds;
        for position in 0..n {
            let i = if forward { position } else { n - 1 - position };
            let (runner, record) = (&mut runners[i], &mut records[i]);
            let (call, detection) =
                if last { runner.detect_keeping() } else { (runner.detect(), None) };
            record.wall_ns.push(call.wall_ns);
            record.position_in_round.push(position as u32);
            if round == 0 {
                record.alloc_cold = call.alloc;
            }
            if last {
                if round > 0 {
                    record.alloc_warm = Some(call.alloc);
                }
                match call.result {
                    Ok(n_markers) => {
                        record.n_markers = n_markers;
                        record.error = None;
                    }
                    Err(e) => {
                        record.n_markers = 0;
                        record.error = Some(error_chain(&e));
                    }
                }
                record.detection = detection;
            }
        }
    }
    records
}

/// An error and its causes on one line, `: `-separated.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
