//! `annulus-probe`, the measuring binary of `benches/`: building it, running it, and turning its
//! report into a scenario's stage statistics.
//!
//! The probe renders one scenario image, runs `detect` cold on a fresh workspace, then warm
//! repeatedly on a reused one, and prints a [`ProbeReport`] (allocations by a counting
//! allocator, wall and stage times per warm call, peak memory) as JSON on stdout. xtask reads it
//! with the same type the probe writes.

use std::path::{Path, PathBuf};

use annulus_benches::{PROBE_SCHEMA, ProbeReport, StageSample};
use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use super::schema::{ScenarioPerf, StageStat};
use super::stats;

/// The package and binary of the probe.
const PACKAGE: &str = "annulus-benches";
/// The probe's binary name.
const BINARY: &str = "annulus-probe";

/// The built probe.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The release executable.
    pub exe: PathBuf,
}

/// One run of the probe.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeArgs {
    /// A scenario name of `fixtures/scenarios/`.
    pub scenario: String,
    /// The image index within the scenario.
    pub index: u32,
    /// Warm calls timed.
    pub repeats: u32,
    /// Warm calls before timing.
    pub warmup: u32,
    /// The marker-diameter prior, pixels.
    pub diameter_px: Option<f64>,
    /// Deterministic busy work added inside the measured region (the gates' drill).
    pub inject_spin: Option<u64>,
}

impl ProbeArgs {
    /// A run on `scenario`'s first image with the probe's default counts.
    pub fn new(scenario: &str) -> Self {
        Self {
            scenario: scenario.to_owned(),
            index: 0,
            repeats: 30,
            warmup: 3,
            diameter_px: None,
            inject_spin: None,
        }
    }

    /// The probe's command-line arguments.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = vec![
            "--scenario".to_owned(),
            self.scenario.clone(),
            "--index".to_owned(),
            self.index.to_string(),
            "--repeats".to_owned(),
            self.repeats.to_string(),
            "--warmup".to_owned(),
            self.warmup.to_string(),
        ];
        if let Some(d) = self.diameter_px {
            args.extend(["--diameter".to_owned(), d.to_string()]);
        }
        if let Some(n) = self.inject_spin {
            args.extend(["--inject-spin".to_owned(), n.to_string()]);
        }
        args
    }

    /// A file-name-safe name of the scenario (the stem of a path).
    pub fn scenario_stem(&self) -> String {
        Path::new(&self.scenario)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("scenario")
            .to_owned()
    }
}

impl Probe {
    /// Builds the probe in release and finds its executable from cargo's JSON messages, which
    /// name the file wherever the target folder is (`CARGO_TARGET_DIR` included).
    pub fn build(root: &Path) -> Result<Self> {
        Ok(Self { exe: build_release_binary(root, PACKAGE, BINARY)? })
    }

    /// The command line of a run, as a user would type it.
    pub fn command_line(&self, args: &ProbeArgs) -> String {
        std::iter::once(self.exe.display().to_string())
            .chain(args.to_args())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Runs the probe from `root` and parses its report.
    pub fn run(&self, root: &Path, args: &ProbeArgs) -> Result<ProbeReport> {
        let sh = Shell::new()?;
        sh.change_dir(root);
        let exe = &self.exe;
        let argv = args.to_args();
        let output = cmd!(sh, "{exe} {argv...}").quiet().ignore_status().output()?;
        if !output.status.success() {
            bail!(
                "`{}` failed ({}):\n{}",
                self.command_line(args),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        parse_report(&output.stdout)
            .with_context(|| format!("reading the report of `{}`", self.command_line(args)))
    }
}

/// The probe's report from its stdout, checked for its schema.
pub fn parse_report(stdout: &[u8]) -> Result<ProbeReport> {
    let report: ProbeReport = serde_json::from_slice(stdout).context("invalid probe report")?;
    if report.schema != PROBE_SCHEMA {
        bail!(
            "the probe wrote schema {} but xtask reads schema {PROBE_SCHEMA}; rebuild both",
            report.schema
        );
    }
    Ok(report)
}

/// Builds binary `binary` of `package` in release and finds its executable from cargo's JSON
/// messages, which name the file wherever the target folder is (`CARGO_TARGET_DIR` included).
pub fn build_release_binary(root: &Path, package: &str, binary: &str) -> Result<PathBuf> {
    let sh = Shell::new()?;
    sh.change_dir(root);
    let messages = cmd!(
        sh,
        "cargo build --release --quiet -p {package} --bin {binary} --message-format=json-render-diagnostics"
    )
    .read()
    .with_context(|| format!("building {binary}"))?;
    executable(&messages, binary)
        .with_context(|| format!("cargo built {package} but reported no `{binary}` executable"))
}

/// The executable of binary `name` among cargo's `--message-format=json` lines.
pub(crate) fn executable(messages: &str, name: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
}

/// Reads one stage's time from a probe sample.
pub type StageField = fn(&StageSample) -> u64;

/// The stages of a probe sample by name, in pipeline order, the whole call last.
pub const STAGES: [(&str, StageField); 6] = [
    ("proposals", |s| s.proposals_ns),
    ("fit_decode", |s| s.fit_decode_ns),
    ("homography", |s| s.homography_ns),
    ("completion", |s| s.completion_ns),
    ("refine", |s| s.refine_ns),
    ("total", |s| s.total_ns),
];

/// The scenario's perf entry from a probe report: the median and p95 of each stage over the
/// warm calls, the allocations and peak memory.
pub fn scenario_perf(report: ProbeReport) -> ScenarioPerf {
    let stats = STAGES
        .iter()
        .filter_map(|(stage, field)| {
            let values: Vec<f64> = report.stages.iter().map(|s| field(s) as f64).collect();
            Some(StageStat {
                stage: (*stage).to_owned(),
                median_ns: stats::median(&values)?,
                p95_ns: stats::p95(&values)?,
            })
        })
        .collect();
    ScenarioPerf {
        scenario: report.scenario.clone(),
        stages: stats,
        alloc_cold: report.alloc_cold,
        alloc_warm: report.alloc_warm,
        peak_rss_kib: report.peak_rss_kib,
        probe: report,
    }
}

#[cfg(test)]
mod tests {
    use annulus_benches::AllocCount;

    use super::*;

    fn report(totals: &[u64]) -> ProbeReport {
        ProbeReport {
            schema: PROBE_SCHEMA,
            scenario: "perf_1280x1024".to_owned(),
            image_index: 0,
            width: 1280,
            height: 1024,
            diameter_px: None,
            n_markers: 195,
            repeats: u32::try_from(totals.len()).unwrap(),
            alloc_cold: AllocCount { count: 900, bytes: 9_000_000 },
            alloc_warm: AllocCount { count: 12, bytes: 4096 },
            wall_ns: totals.to_vec(),
            stages: totals
                .iter()
                .map(|&t| StageSample {
                    proposals_ns: t / 2,
                    total_ns: t,
                    ..StageSample::default()
                })
                .collect(),
            peak_rss_kib: Some(51_200),
            stats: None,
        }
    }

    #[test]
    fn stage_statistics_are_nearest_rank() {
        let totals: Vec<u64> = (1..=20).map(|i| i * 1000).collect();
        let perf = scenario_perf(report(&totals));
        let total = perf.stages.iter().find(|s| s.stage == "total").unwrap();
        assert_eq!((total.median_ns, total.p95_ns), (10_000.0, 19_000.0));
        let proposals = perf.stages.iter().find(|s| s.stage == "proposals").unwrap();
        assert_eq!(proposals.median_ns, 5_000.0);
        assert_eq!(perf.alloc_warm.count, 12);
        assert_eq!(perf.peak_rss_kib, Some(51_200));
    }

    #[test]
    fn a_report_round_trips_and_a_wrong_schema_is_refused() {
        let r = report(&[5, 6]);
        let json = serde_json::to_vec(&r).unwrap();
        assert_eq!(parse_report(&json).unwrap(), r);
        let old = ProbeReport { schema: PROBE_SCHEMA + 1, ..r };
        let err = parse_report(&serde_json::to_vec(&old).unwrap()).unwrap_err();
        assert!(format!("{err:#}").contains("schema"), "{err:#}");
    }

    #[test]
    fn finds_the_executable_in_cargo_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"name":"annulus"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"annulus-probe"},"executable":"/t/release/annulus-probe"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#
        );
        assert_eq!(executable(messages, BINARY), Some(PathBuf::from("/t/release/annulus-probe")));
        assert_eq!(executable("", BINARY), None);
    }

    #[test]
    fn arguments_name_every_option_given() {
        let mut args = ProbeArgs::new("ci_640x512");
        args.diameter_px = Some(33.5);
        args.inject_spin = Some(1000);
        let line = args.to_args().join(" ");
        assert_eq!(
            line,
            "--scenario ci_640x512 --index 0 --repeats 30 --warmup 3 --diameter 33.5 \
             --inject-spin 1000"
        );
        assert_eq!(ProbeArgs::new("fixtures/scenarios/x.toml").scenario_stem(), "x");
    }
}
