//! The `annulus-peer` measuring binary, as xtask drives it: built once in release, run once per
//! scenario, board and camera mode, one process at a time so that no two measurements share the
//! machine's two cores.
//!
//! `run` times every detector on the same images (alternating their order) and returns each
//! one's detections; `one` makes a single warm call of one detector in its own process, so that
//! its peak resident memory is its own, and callgrind can count that call's instructions
//! (`--toggle-collect` on [`MEASURED_FUNCTION`]). Both print JSON that this crate reads back
//! with `annulus-peer`'s own types, checked for their schema.

use std::path::{Path, PathBuf};

use annulus_peer::{DetectorKind, OneReport, PEER_SCHEMA, RunReport};
use anyhow::{Context, Result, bail};
use serde::de::DeserializeOwned;
use xshell::Shell;

use crate::perf::callgrind;
use crate::perf::probe::build_release_binary;

/// The package and binary name.
const BINARY: &str = "annulus-peer";

/// The function `annulus-peer one` makes its measured call in.
pub const MEASURED_FUNCTION: &str = "peer_measured_detect";

/// The board a measurement renders and detects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardChoice {
    /// ringgrid's default board, converted to an annulus spec.
    Ringgrid,
    /// annulus's built-in board.
    Annulus,
}

impl BoardChoice {
    fn arg(self) -> &'static str {
        match self {
            Self::Ringgrid => "ringgrid",
            Self::Annulus => "annulus",
        }
    }
}

/// One invocation's inputs.
#[derive(Debug, Clone)]
pub struct Measurement<'a> {
    /// Scenario name in `fixtures/scenarios/`.
    pub scenario: &'a str,
    /// The board substituted into the scenario.
    pub board: BoardChoice,
    /// Whether the detectors get the scenario's true camera.
    pub camera: bool,
}

impl Measurement<'_> {
    fn common_args(&self) -> Vec<String> {
        vec![
            "--scenario".to_owned(),
            self.scenario.to_owned(),
            "--board".to_owned(),
            self.board.arg().to_owned(),
            "--camera".to_owned(),
            if self.camera { "true" } else { "none" }.to_owned(),
        ]
    }
}

/// The built binary.
pub struct PeerBinary {
    exe: PathBuf,
    root: PathBuf,
}

impl PeerBinary {
    /// Builds `annulus-peer` in release.
    pub fn build(root: &Path) -> Result<Self> {
        Ok(Self { exe: build_release_binary(root, BINARY, BINARY)?, root: root.to_owned() })
    }

    /// The command line of `run` on images `0..n`, `rounds` calls per detector each.
    pub fn run_line(&self, m: &Measurement<'_>, n: u32, rounds: u32) -> Vec<String> {
        let mut line = vec![self.exe.display().to_string(), "run".to_owned()];
        line.extend(m.common_args());
        line.extend(["--n".to_owned(), n.to_string(), "--rounds".to_owned(), rounds.to_string()]);
        line
    }

    /// The command line of `one` for `detector`.
    pub fn one_line(&self, m: &Measurement<'_>, detector: DetectorKind) -> Vec<String> {
        let mut line = vec![self.exe.display().to_string(), "one".to_owned()];
        line.extend(m.common_args());
        line.extend(["--detector".to_owned(), detector.name().to_owned()]);
        line
    }

    /// Runs `run` and reads its report.
    pub fn run(&self, m: &Measurement<'_>, n: u32, rounds: u32) -> Result<RunReport> {
        let report: RunReport = self.json(&self.run_line(m, n, rounds))?;
        check_schema(report.schema)?;
        Ok(report)
    }

    /// Runs `one` natively (for allocations and peak memory) and reads its report.
    pub fn one(&self, m: &Measurement<'_>, detector: DetectorKind) -> Result<OneReport> {
        let report: OneReport = self.json(&self.one_line(m, detector))?;
        check_schema(report.schema)?;
        Ok(report)
    }

    /// The callgrind command line counting `one`'s measured call, writing to `out_file`.
    pub fn callgrind_line(
        &self,
        m: &Measurement<'_>,
        detector: DetectorKind,
        out_file: &Path,
    ) -> Vec<String> {
        callgrind::wrap(&self.one_line(m, detector), MEASURED_FUNCTION, out_file)
    }

    /// Instructions of one warm call of `detector`, counted by callgrind into `work_dir`.
    pub fn instructions(
        &self,
        m: &Measurement<'_>,
        detector: DetectorKind,
        work_dir: &Path,
    ) -> Result<u64> {
        std::fs::create_dir_all(work_dir)
            .with_context(|| format!("cannot create {}", work_dir.display()))?;
        let out_file = callgrind_file(work_dir, m, detector);
        callgrind::count_line(
            &self.callgrind_line(m, detector, &out_file),
            &out_file,
            MEASURED_FUNCTION,
        )
    }

    fn json<T: DeserializeOwned>(&self, line: &[String]) -> Result<T> {
        let sh = Shell::new()?;
        sh.change_dir(&self.root);
        let output = crate::process::run_checked(&sh, line)?;
        serde_json::from_slice(&output.stdout)
            .with_context(|| format!("reading the report of `{}`", line.join(" ")))
    }
}

/// Where callgrind writes its count of `detector` on `m`'s scenario, inside `work_dir`.
pub fn callgrind_file(work_dir: &Path, m: &Measurement<'_>, detector: DetectorKind) -> PathBuf {
    work_dir.join(format!("callgrind.{}.{}.out", m.scenario, detector.name()))
}

fn check_schema(schema: u32) -> Result<()> {
    if schema != PEER_SCHEMA {
        bail!(
            "annulus-peer wrote schema {schema} but xtask reads schema {PEER_SCHEMA}; rebuild both"
        );
    }
    Ok(())
}
