//! `annulus gen`: a board as SVG, PNG and canonical JSON.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use annulus::Board;
use annulus::board::{CodingSpec, LatticeKind};
use annulus_synth::{DEFAULT_DPI, rasterize_board};

use crate::files::{OutputSet, read_board};

/// Arguments of `annulus gen`.
#[derive(Debug, Args)]
pub struct GenArgs {
    /// Board spec (TOML or JSON); omit with --default.
    board: Option<PathBuf>,
    /// Write the built-in default board instead of a spec file.
    #[arg(long, conflicts_with = "board")]
    default: bool,
    /// Output directory (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Resolution of the PNG, in dots per inch.
    #[arg(long, default_value_t = DEFAULT_DPI)]
    dpi: f64,
    /// Overwrite existing output files.
    #[arg(long)]
    force: bool,
}

/// Runs `annulus gen`.
pub fn run(args: &GenArgs) -> Result<()> {
    let board = match (&args.board, args.default) {
        (Some(path), false) => read_board(path)?,
        (None, true) => Board::builtin(),
        _ => bail!("give a board spec file or --default"),
    };
    let name = board.name();
    let files = [format!("{name}.svg"), format!("{name}.png"), format!("{name}.json")];
    // The raster first: a bad --dpi is refused before the output folder is created.
    let raster = rasterize_board(&board, args.dpi)?;
    let out = OutputSet::prepare(&args.out, &files, args.force)?;

    println!("{}", describe(&board));
    let svg = out.write(&files[0], annulus::print::board_svg(&board).as_bytes())?;
    println!("  {}  (vector, print at 100% scale)", svg.display());
    let png = out.write(&files[1], &raster.to_png(Some(args.dpi))?)?;
    println!("  {}  ({} x {} px at {} dpi)", png.display(), raster.width, raster.height, args.dpi);
    let json = out.write(&files[2], board.to_json().as_bytes())?;
    println!("  {}  (canonical board spec)", json.display());
    Ok(())
}

/// One line naming the board, its layout and its physical size.
fn describe(board: &Board) -> String {
    let spec = board.spec();
    let [w, h] = board.page_size_mm();
    let lattice = match spec.lattice.kind {
        LatticeKind::Hex if spec.lattice.short_odd_rows => "hex, odd rows one shorter",
        LatticeKind::Hex => "hex",
        LatticeKind::Rect => "rect",
    };
    let coding = match &spec.coding {
        CodingSpec::Coded { .. } => "coded",
        CodingSpec::Plain => "plain",
    };
    format!(
        "{}: {} {coding} markers ({lattice}, {} rows x {} cols, pitch {} mm, marker diameter {} mm); \
         page {w:.1} x {h:.1} mm",
        board.name(),
        board.markers().len(),
        spec.lattice.rows,
        spec.lattice.cols,
        spec.lattice.pitch_mm,
        2.0 * board.marker_radius_mm(),
    )
}
