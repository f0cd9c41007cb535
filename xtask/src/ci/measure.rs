//! Measuring what the CI gates compare: instruction counts and warm allocations of `detect` on
//! small fixed scenarios (through the probe), and the quick accuracy gate (in-process).

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::accuracy;
use super::record::{
    AllocBudget, CI_SCHEMA, CiProvenance, CiRecord, ScenarioAllocs, ScenarioInstructions,
};
use crate::perf::callgrind;
use crate::perf::probe::{Probe, ProbeArgs};
use crate::provenance;
use crate::validate::{command_line, progress};

/// A scenario the instruction and allocation gates run on.
#[derive(Debug, Clone, Copy)]
pub struct CiScenario {
    /// Name in `fixtures/scenarios/`.
    pub name: &'static str,
    /// The diameter prior given to the detector, pixels.
    pub diameter_px: Option<f64>,
}

/// The gates' scenarios.
///
/// - `ci_640x512`: the centre of the default board at the benchmark's scale in a quarter of its
///   pixels, found by the automatic scale search: every stage runs in 40 % of the benchmark's
///   instructions (1.2 · 10⁹), about 30 s under callgrind.
/// - `perf_1280x1024` with its nominal diameter prior (33.7 px: an 8 mm marker at 285 mm and
///   f = 1200 px): the benchmark image itself on the hinted path (2.9 · 10⁹ instructions, about
///   70 s under callgrind).
pub const CI_SCENARIOS: [CiScenario; 2] = [
    CiScenario { name: "ci_640x512", diameter_px: None },
    CiScenario { name: "perf_1280x1024", diameter_px: Some(33.7) },
];

/// Warm calls before the allocation count: the probe counts one warm call after these, when
/// every buffer of the workspace has reached its size.
const ALLOC_WARMUP: u32 = 2;

/// Drills that prove the gates catch what they should.
#[derive(Debug, Clone, Copy, Default)]
pub struct Injections {
    /// Busy work inside the probe's measured region (instructions and wall time).
    pub spin: Option<u64>,
    /// Pixels added to the x of every detected centre before scoring.
    pub center_bias_px: f64,
}

/// Measures every CI gate's quantity on this build.
pub fn measure(root: &Path, perf_dir: &Path, inject: Injections) -> Result<CiRecord> {
    if let Err(reason) = callgrind::available() {
        bail!("the instruction gate needs valgrind: {reason}");
    }
    let probe = Probe::build(root)?;
    let work = tempfile::tempdir()?;
    // The committed file names no folder of this machine: the probe by its name and
    // callgrind's output by its file name, so that a bless changes only the numbers.
    let exe = probe.exe.display().to_string();
    let dir = format!("{}/", work.path().display());
    let shown = |line: String| line.replace(&exe, "annulus-probe").replace(&dir, "");
    let mut commands = vec![command_line()];
    let mut instructions = Vec::new();
    let mut alloc_warm = Vec::new();
    let bar = progress(CI_SCENARIOS.len() as u64, "callgrind, allocations");
    for scenario in CI_SCENARIOS {
        let args = ProbeArgs {
            diameter_px: scenario.diameter_px,
            inject_spin: inject.spin,
            ..ProbeArgs::new(scenario.name)
        };
        let out_file = work.path().join(format!("callgrind.{}.out", scenario.name));
        commands.push(shown(callgrind::command_line(&probe, &args, &out_file).join(" ")));
        let count = callgrind::count(&probe, &args, work.path())
            .with_context(|| format!("counting the instructions of {}", scenario.name))?;
        instructions.push(ScenarioInstructions {
            scenario: scenario.name.to_owned(),
            diameter_px: scenario.diameter_px,
            instructions: count,
        });

        let alloc_args = ProbeArgs { repeats: 1, warmup: ALLOC_WARMUP, ..args };
        commands.push(shown(probe.command_line(&alloc_args)));
        let report = probe.run(root, &alloc_args)?;
        alloc_warm.push(ScenarioAllocs {
            scenario: scenario.name.to_owned(),
            warm: AllocBudget { count: report.alloc_warm.count, bytes: report.alloc_warm.bytes },
        });
        bar.inc(1);
    }
    bar.finish_and_clear();

    let accuracy = accuracy::measure(root, perf_dir, inject.center_bias_px)?;
    let (commit, dirty) = provenance::commit(root);
    Ok(CiRecord {
        schema: CI_SCHEMA,
        provenance: CiProvenance {
            commit,
            dirty,
            created_utc: provenance::now_utc(),
            machine: provenance::machine(),
            commands,
        },
        instructions,
        alloc_warm,
        accuracy,
    })
}
