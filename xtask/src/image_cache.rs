//! Rendered scenario images, cached on disk by scenario hash.
//!
//! Entries live in `<perf dir>/cache/<scenario>-<hash prefix>/` as `img_NNNN.png` (8-bit gray,
//! the generator's exact pixels) beside `gt_NNNN.json` (its ground truth, for people and other
//! tools). A changed scenario, board or generator changes the hash and so the folder; an entry
//! is only ever added whole (written to a temporary name, then renamed), so an interrupted run
//! never leaves a truncated image that a later run would trust. Ground truth is recomputed
//! rather than read back: it is cheap and needs no rendering.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use annulus_synth::{GrayImage, GroundTruth};
use anyhow::{Context, Result, anyhow};
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::files::write_atomic;
use crate::scenarios::LoadedScenario;

/// Length of the hash prefix in a cache folder's name: 64 bits, ample against collisions among
/// the few scenarios a machine holds.
const HASH_PREFIX_LEN: usize = 16;

/// One image of a scenario with its ground truth.
pub struct ScenarioImage {
    /// The image's index in the scenario.
    pub index: u32,
    /// The pixels.
    pub image: GrayImage,
    /// What a perfect detector reports.
    pub truth: GroundTruth,
}

/// The cache folder of `scenario` under `cache_root`.
pub fn folder(cache_root: &Path, scenario: &LoadedScenario) -> PathBuf {
    let prefix = &scenario.hash[..HASH_PREFIX_LEN.min(scenario.hash.len())];
    cache_root.join(format!("{}-{prefix}", scenario.name))
}

/// The first `n` images of `scenario`, read from the cache or rendered into it (in parallel);
/// `progress` advances once per image.
pub fn images(
    cache_root: &Path,
    scenario: &LoadedScenario,
    n: u32,
    progress: &ProgressBar,
) -> Result<Vec<ScenarioImage>> {
    let dir = folder(cache_root, scenario);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    (0..n)
        .into_par_iter()
        .map(|index| {
            let image = cached_or_rendered(&dir, scenario, index)?;
            progress.inc(1);
            Ok(image)
        })
        .collect()
}

fn cached_or_rendered(dir: &Path, scenario: &LoadedScenario, index: u32) -> Result<ScenarioImage> {
    let png_path = dir.join(format!("img_{index:04}.png"));
    let truth = scenario
        .synth
        .truth(index)
        .with_context(|| format!("ground truth of {} image {index}", scenario.name))?;
    let (width, height) = (truth.image.width, truth.image.height);
    if let Some(image) = read_png(&png_path).filter(|i| i.width == width && i.height == height) {
        return Ok(ScenarioImage { index, image, truth });
    }
    let rendered = scenario
        .synth
        .render(index)
        .with_context(|| format!("rendering {} image {index}", scenario.name))?;
    let png =
        rendered.image.to_png(None).with_context(|| format!("encoding {}", png_path.display()))?;
    let truth_json = serde_json::to_vec_pretty(&rendered.truth)?;
    write_atomic(&dir.join(format!("gt_{index:04}.json")), &truth_json)?;
    write_atomic(&png_path, &png)?;
    Ok(ScenarioImage { index, image: rendered.image, truth: rendered.truth })
}

/// An 8-bit gray PNG written by [`cached_or_rendered`]; `None` when it is missing or anything
/// else, which makes the caller render it afresh.
fn read_png(path: &Path) -> Option<GrayImage> {
    let bytes = std::fs::read(path).ok()?;
    decode_gray8(&bytes).ok()
}

fn decode_gray8(bytes: &[u8]) -> Result<GrayImage> {
    let decoder = png::Decoder::new(Cursor::new(bytes));
    let mut reader = decoder.read_info()?;
    let len = reader.output_buffer_size().ok_or_else(|| anyhow!("image too large"))?;
    let mut pixels = vec![0u8; len];
    let frame = reader.next_frame(&mut pixels)?;
    if frame.color_type != png::ColorType::Grayscale || frame.bit_depth != png::BitDepth::Eight {
        return Err(anyhow!("not 8-bit gray"));
    }
    pixels.truncate(frame.buffer_size());
    Ok(GrayImage { width: frame.width, height: frame.height, pixels })
}
