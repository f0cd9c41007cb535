//! The short terminal summary of a [`PerfReport`] that `perf-baseline` prints at the end.

use std::fmt::Write as _;

use super::format::{count as grouped, duration};
use super::schema::PerfReport;

/// The benchmarks, the per-scenario numbers, the hotspots and the skipped steps.
pub fn table(report: &PerfReport) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{:<36} {:>10}  95% CI of the median", "benchmark", "median");
    for b in &report.benchmarks {
        let _ = writeln!(
            t,
            "{:<36} {:>10}  [{}, {}]",
            b.id,
            duration(b.median_ns),
            duration(b.median_ci95_ns[0]),
            duration(b.median_ci95_ns[1])
        );
    }
    let _ = writeln!(
        t,
        "\n{:<16} {:>10} {:>10} {:>16} {:>14} {:>10} {:>15}",
        "scenario", "median", "p95", "allocs cold", "allocs warm", "peak RSS", "instructions"
    );
    for s in &report.scenarios {
        let total = s.stages.iter().find(|st| st.stage == "total");
        let instructions = report
            .instructions
            .iter()
            .find(|i| i.scenario == s.scenario)
            .map_or_else(|| "–".to_owned(), |i| grouped(i.instructions));
        let _ = writeln!(
            t,
            "{:<16} {:>10} {:>10} {:>16} {:>14} {:>10} {:>15}",
            s.scenario,
            total.map_or_else(|| "–".to_owned(), |st| duration(st.median_ns)),
            total.map_or_else(|| "–".to_owned(), |st| duration(st.p95_ns)),
            format!("{} ({} KiB)", s.alloc_cold.count, s.alloc_cold.bytes / 1024),
            format!("{} ({} B)", s.alloc_warm.count, s.alloc_warm.bytes),
            s.peak_rss_kib.map_or_else(|| "–".to_owned(), |k| format!("{} MiB", k / 1024)),
            instructions
        );
    }
    for s in &report.scenarios {
        let stages: Vec<String> = s
            .stages
            .iter()
            .filter(|st| st.stage != "total")
            .map(|st| format!("{} {}", st.stage, duration(st.median_ns)))
            .collect();
        let _ = writeln!(t, "{:<16} stages (median): {}", s.scenario, stages.join(", "));
    }
    if let Some(profile) = &report.profile {
        let list = |spots: &[super::schema::Hotspot]| {
            spots
                .iter()
                .map(|h| format!("{} {:.0}%", h.function, h.fraction * 100.0))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(t, "\nprofile ({} samples under detect_with):", profile.n_samples);
        let _ = writeln!(t, "  inclusive: {}", list(&profile.top_inclusive));
        let _ = writeln!(t, "  self:      {}", list(&profile.top_self));
    }
    for reason in &report.skipped {
        let _ = writeln!(t, "skipped: {reason}");
    }
    t
}
