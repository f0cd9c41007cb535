//! `cargo xtask peer`: annulus and ringgrid 0.13.2 side by side, on byte-identical images, in
//! one run.
//!
//! ringgrid's default board is converted to an annulus board spec (`annulus-peer`), and the
//! generator renders the accuracy scenarios (`reference`, `blur3`, `distortion` without and
//! with the true camera) and the perf scenarios with it. The `annulus-peer` binary then runs
//! both detectors on every image in one process, single-threaded, in alternating order:
//! ringgrid through `Detector::detect` with the true marker-diameter hint (its fast path),
//! annulus with the same hint and without one. Every detection is scored by `annulus-score`.
//! The perf scenarios add time per image (warm rounds, median with a 95 % interval), the paired
//! ratio ringgrid/annulus, allocations per call, peak heap and resident memory (one process per
//! detector), and callgrind instruction counts. The same accuracy scenarios are also run with
//! annulus's own board, for annulus alone (ringgrid cannot read that board).
//!
//! Results go to `target/perf/peer/` (`peer.json`, `peer-report.md`, `report.html`) through a
//! staging folder, replaced only with `--force`. A full run also rewrites the generated
//! sections of `docs/performance/PEERS.md` and the README's headline table; `--quick` (fewer
//! images and rounds, no callgrind) never touches the docs. Binaries run one after the other:
//! a second process would share the two cores with the one being timed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use annulus_peer::{RINGGRID_VERSION, RunReport};
use annulus_report::peer::{PeerPerf, PeerProvenance, PeerRun};
use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::files::{replace_section, write_atomic};
use crate::perf::callgrind;
use crate::validate::{command_line, progress};
use crate::{label, provenance, scenarios};

mod binary;
mod scoring;

use binary::{BoardChoice, Measurement, PeerBinary};
use scoring::{GateLabel, gate_entry, perf_entry};

/// The label folder under the perf directory.
const LABEL: &str = "peer";

/// The file that marks the label as holding peer results.
const RUN_FILE: &str = "peer.json";

/// The accuracy gates and their camera modes: (gate, mode name, camera given).
const GATES: [(&str, Option<&str>, bool); 4] = [
    ("reference", None, false),
    ("blur3", None, false),
    ("distortion", Some("no_camera"), false),
    ("distortion", Some("true_camera"), true),
];

/// The perf scenarios.
const PERF_SCENARIOS: [&str; 2] = ["perf_1280x1024", "perf_1920x1080"];

/// Why ringgrid has no row on annulus's own board.
const RINGGRID_OWN_BOARD: &str =
    "ringgrid reads only its own codebook and ring geometry, so it cannot detect annulus's board";

/// The README and PEERS.md sections this command writes.
const HEADLINE_SECTION: &str = "peer-headline";
const REPORT_SECTION: &str = "peer-report";

/// Options of `cargo xtask peer`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Images per accuracy gate, from the first of each scenario.
    #[arg(long, default_value_t = 10)]
    n: u32,
    /// Timed calls per detector on each perf image; the first is cold and not counted, so at
    /// least 7 give the 6 warm samples a 95 % interval needs.
    #[arg(long, default_value_t = 21)]
    rounds: u32,
    /// 3 images per gate, 7 rounds, no callgrind, and the docs left alone.
    #[arg(long)]
    quick: bool,
    /// Replace the existing results in `<out>/peer/`.
    #[arg(long)]
    force: bool,
    /// Do not rewrite docs/performance/PEERS.md and the README's headline.
    #[arg(long)]
    no_docs: bool,
    /// The perf folder (default: target/perf).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<()> {
    let started = Instant::now();
    let root = crate::workspace_root();
    let perf_dir = args.out.clone().unwrap_or_else(|| root.join("target/perf"));
    let (n, rounds) =
        if args.quick { (args.n.min(3), args.rounds.min(7)) } else { (args.n, args.rounds) };
    if n == 0 || rounds < 2 {
        bail!("--n must be at least 1 and --rounds at least 2 (the first round is cold)");
    }
    let staging = label::Staging::new(&perf_dir, LABEL)?;
    let label_dir = perf_dir.join(LABEL);
    if label_dir.join(RUN_FILE).exists() && !args.force {
        bail!("{} already holds peer results; pass --force to replace them", label_dir.display());
    }

    // Read before building or running anything: a commit made while a long run goes on must
    // not be credited with results of the tree the run built.
    let (commit, dirty) = provenance::commit(&root);
    eprintln!("building annulus-peer (release)");
    let peer = PeerBinary::build(&root)?;
    let mut commands = vec![command_line()];
    let mut gates = Vec::new();
    let mut own_gates = Vec::new();
    let bar = progress((2 * GATES.len()) as u64, "accuracy gates");
    for (gate, mode, camera) in GATES {
        for (board, out) in
            [(BoardChoice::Ringgrid, &mut gates), (BoardChoice::Annulus, &mut own_gates)]
        {
            let m = Measurement { scenario: gate, board, camera };
            commands.push(peer.run_line(&m, n, 1).join(" "));
            let report = peer
                .run(&m, n, 1)
                .with_context(|| format!("gate {gate} on the {board:?} board"))?;
            let hash = scenario_hash(&root, gate, &report)?;
            let label = GateLabel { gate, mode, scenario_hash: hash };
            out.push(gate_entry(&report, &label, RINGGRID_OWN_BOARD)?);
            bar.inc(1);
        }
    }
    bar.finish_and_clear();

    let work = tempfile::tempdir().context("cannot create a work folder for callgrind")?;
    let callgrind_reason =
        if args.quick { Some("--quick".to_owned()) } else { callgrind::available().err() };
    let mut perf = Vec::new();
    let bar = progress((2 * PERF_SCENARIOS.len()) as u64, "perf scenarios");
    for scenario in PERF_SCENARIOS {
        for board in [BoardChoice::Ringgrid, BoardChoice::Annulus] {
            let m = Measurement { scenario, board, camera: false };
            perf.push(perf_scenario(
                &peer,
                &m,
                rounds,
                callgrind_reason.as_deref(),
                work.path(),
                &mut commands,
            )?);
            bar.inc(1);
        }
    }
    bar.finish_and_clear();

    let mut notes = vec![
        "ringgrid is called through `Detector::detect` built with \
         `Detector::with_marker_diameter_hint` and the true mean outer diameter of the image's \
         visible markers (its fast path); annulus gets the same hint as a nominal prior \
         (`annulus`) and no hint at all (`annulus_auto`)."
            .to_owned(),
        "With the true camera, ringgrid gets it as a `CameraModel` mapper \
         (`detect_with_mapper`) and annulus in its configuration; both then report \
         homographies in the undistorted frame, which the scorer maps back through the lens."
            .to_owned(),
        "Each image is rendered once and both detectors read the same buffer in one \
         single-threaded process, the order alternating by round and image; the first (cold) \
         call of each detector on a perf image is not among the time samples."
            .to_owned(),
        format!(
            "Perf scenarios labelled `@{}` use annulus's own board, for annulus alone.",
            own_board_name()
        ),
    ];
    if let Some(reason) = &callgrind_reason {
        notes.push(format!("Instruction counts were not measured: {reason}."));
    }
    notes.push(
        "The distortion gate's self-estimated mode is not run: annulus does not estimate lens \
         distortion yet, and ringgrid's self-undistortion is outside this comparison."
            .to_owned(),
    );
    let provenance = PeerProvenance {
        created_utc: provenance::now_utc(),
        commit,
        dirty,
        machine: provenance::machine_facts(),
        ringgrid_version: RINGGRID_VERSION.to_owned(),
        peer_board: "ringgrid's `TargetLayout::default_hex()` (203 markers), converted to an \
                     annulus board spec"
            .to_owned(),
        own_board: own_board_name(),
        commands,
        artifacts: ["peer.json", "peer-report.md", "report.html"].map(String::from).to_vec(),
        notes,
    };
    let run = PeerRun::new(provenance, gates, own_gates, perf);
    let out = staging.path();
    write_atomic(&out.join(RUN_FILE), annulus_report::peer::peer_json(&run).as_bytes())?;
    write_atomic(
        &out.join("peer-report.md"),
        annulus_report::peer::peer_markdown(&run).as_bytes(),
    )?;
    write_atomic(&out.join("report.html"), annulus_report::peer::peer_html(&run).as_bytes())?;
    staging.commit(&[])?;

    println!("{}", annulus_report::peer::peer_terminal_table(&run));
    if args.quick || args.no_docs {
        println!("docs left alone ({})", if args.quick { "--quick" } else { "--no-docs" });
    } else {
        update_docs(&root, &run)?;
        println!("updated README.md and docs/performance/PEERS.md");
    }
    let shown = label_dir.strip_prefix(&root).unwrap_or(&label_dir);
    println!("peer finished in {:.1} s", started.elapsed().as_secs_f64());
    println!("report:  {}", shown.join("report.html").display());
    println!("         {}", shown.join("peer-report.md").display());
    Ok(())
}

/// One perf scenario on one board: the timed rounds, then each detector alone for memory and,
/// unless `skip_callgrind` names a reason, for its instruction count.
fn perf_scenario(
    peer: &PeerBinary,
    m: &Measurement<'_>,
    rounds: u32,
    skip_callgrind: Option<&str>,
    work_dir: &Path,
    commands: &mut Vec<String>,
) -> Result<PeerPerf> {
    commands.push(peer.run_line(m, 1, rounds).join(" "));
    let mut report: RunReport =
        peer.run(m, 1, rounds).with_context(|| format!("perf scenario {}", m.scenario))?;
    let mut ones = Vec::new();
    let mut instructions = Vec::new();
    for &kind in &report.detectors {
        commands.push(peer.one_line(m, kind).join(" "));
        ones.push((kind, peer.one(m, kind)?));
        if skip_callgrind.is_none() {
            let out_file = binary::callgrind_file(work_dir, m, kind);
            commands.push(peer.callgrind_line(m, kind, &out_file).join(" "));
            let count = peer
                .instructions(m, kind, work_dir)
                .with_context(|| format!("callgrind on {} ({})", m.scenario, kind.name()))?;
            instructions.push((kind, count));
        }
    }
    if m.board == BoardChoice::Annulus {
        report.scenario = format!("{}@{}", report.scenario, own_board_name());
    }
    perf_entry(&report, &ones, &instructions, RINGGRID_OWN_BOARD)
}

/// A hash naming the images of a run: the scenario file, the board rendered, and the generator
/// and target-model sources (as `validate`'s image cache hashes them).
fn scenario_hash(root: &Path, scenario: &str, report: &RunReport) -> Result<String> {
    let loaded = scenarios::load(root, scenario)?;
    let mut hasher = Sha256::new();
    hasher.update(loaded.hash.as_bytes());
    hasher.update(report.board.as_bytes());
    Ok(scenarios::hex(&hasher.finalize()))
}

fn own_board_name() -> String {
    annulus::Board::builtin().name().to_owned()
}

/// Rewrites the generated sections of the README (the headline) and of PEERS.md (headline and
/// full report).
fn update_docs(root: &Path, run: &PeerRun) -> Result<()> {
    let headline = annulus_report::peer::peer_headline_markdown(run);
    replace_section(&root.join("README.md"), HEADLINE_SECTION, &headline)?;
    let peers = root.join("docs/performance/PEERS.md");
    replace_section(&peers, HEADLINE_SECTION, &headline)?;
    replace_section(
        &peers,
        REPORT_SECTION,
        &demote_headings(&annulus_report::peer::peer_markdown(run)),
    )
}

/// The report's Markdown with every heading one level deeper, so that it nests under the
/// section of PEERS.md that holds it.
fn demote_headings(markdown: &str) -> String {
    markdown
        .lines()
        .map(|line| if line.starts_with('#') { format!("##{line}") } else { line.to_owned() })
        .collect::<Vec<_>>()
        .join("\n")
}
