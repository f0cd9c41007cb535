//! The hottest functions of a profile, read from folded stacks.
//!
//! A folded stack is one line, `outer;…;inner COUNT`: the frames from the outermost caller to
//! the function that was running, and how many samples saw exactly that stack. Only samples
//! whose stack passes through the root function (`detect_with`) count, and shares are of those
//! samples, so the numbers say where `detect` spends its time whatever else the process did
//! (rendering the image, start-up).
//!
//! - **Inclusive** time of a function: the samples with the function anywhere below the root,
//!   counted once per sample however often it recurses. The root itself (100 %) and its callers
//!   are left out.
//! - **Self** time: the samples with the function as the innermost frame.

use std::collections::{BTreeMap, BTreeSet};

use super::schema::Hotspot;

/// The two top lists and the samples they are shares of.
#[derive(Debug, Clone, PartialEq)]
pub struct Hotspots {
    /// Samples whose stack passes through the root.
    pub n_samples: u64,
    /// Most inclusive time first.
    pub top_inclusive: Vec<Hotspot>,
    /// Most self time first.
    pub top_self: Vec<Hotspot>,
}

/// The `top` hottest functions of `folded` below the first frame whose name ends with `root`,
/// by inclusive and by self time; ties are broken by name so the result is stable.
pub fn hotspots(folded: &str, root: &str, top: usize) -> Hotspots {
    let mut inclusive: BTreeMap<String, u64> = BTreeMap::new();
    let mut self_time: BTreeMap<String, u64> = BTreeMap::new();
    let mut n_samples = 0;
    for (frames, count) in folded.lines().filter_map(parse_line) {
        let names: Vec<String> = frames.iter().map(|f| function_name(f)).collect();
        let Some(at) = names.iter().position(|n| n.ends_with(root)) else { continue };
        n_samples += count;
        let below = &names[at + 1..];
        let distinct: BTreeSet<&String> = below.iter().filter(|n| !n.ends_with(root)).collect();
        for name in distinct {
            *inclusive.entry(name.clone()).or_default() += count;
        }
        let leaf = names.last().cloned().unwrap_or_default();
        *self_time.entry(leaf).or_default() += count;
    }
    Hotspots {
        n_samples,
        top_inclusive: ranked(inclusive, n_samples, top),
        top_self: ranked(self_time, n_samples, top),
    }
}

/// Frames and count of one folded line; `None` for a blank or malformed line.
fn parse_line(line: &str) -> Option<(Vec<&str>, u64)> {
    let (stack, count) = line.trim_end().rsplit_once(' ')?;
    let count = count.parse().ok()?;
    (!stack.is_empty()).then(|| (stack.split(';').collect(), count))
}

/// A frame's function without the legacy Rust mangling hash (`::h0123456789abcdef`).
pub fn function_name(frame: &str) -> String {
    let frame = frame.trim();
    if let Some((name, hash)) = frame.rsplit_once("::h")
        && hash.len() == 16
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return name.to_owned();
    }
    frame.to_owned()
}

fn ranked(counts: BTreeMap<String, u64>, total: u64, top: usize) -> Vec<Hotspot> {
    let mut entries: Vec<(String, u64)> = counts.into_iter().collect();
    // BTreeMap order is by name, and the sort is stable: equal counts stay in name order.
    entries.sort_by_key(|e| std::cmp::Reverse(e.1));
    entries
        .into_iter()
        .take(top)
        .map(|(function, n)| Hotspot {
            function,
            fraction: if total == 0 { 0.0 } else { n as f64 / total as f64 },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOLDED: &str = "\
main;probe_measured_detect;annulus::Detector::detect_with;propose;vote 50
main;probe_measured_detect;annulus::Detector::detect_with;propose 10
main;probe_measured_detect;annulus::Detector::detect_with;fit;fit_ellipse::h0123456789abcdef 25
main;probe_measured_detect;annulus::Detector::detect_with;fit;fit;sample 10
main;probe_measured_detect;annulus::Detector::detect_with 5
main;render;blur 1000
";

    fn names(spots: &[Hotspot]) -> Vec<(&str, f64)> {
        spots.iter().map(|h| (h.function.as_str(), h.fraction)).collect()
    }

    #[test]
    fn counts_only_samples_under_the_root() {
        let h = hotspots(FOLDED, "detect_with", 3);
        assert_eq!(h.n_samples, 100, "the 1000 rendering samples are not detect's");
        assert_eq!(names(&h.top_inclusive), [("propose", 0.6), ("vote", 0.5), ("fit", 0.35)]);
    }

    #[test]
    fn recursion_counts_once_and_self_is_the_leaf() {
        let h = hotspots(FOLDED, "detect_with", 5);
        let fit = h.top_inclusive.iter().find(|s| s.function == "fit").unwrap();
        assert_eq!(fit.fraction, 0.35, "fit;fit counts its 10 samples once");
        assert_eq!(
            names(&h.top_self),
            [
                ("vote", 0.5),
                ("fit_ellipse", 0.25),
                ("propose", 0.1),
                ("sample", 0.1),
                ("annulus::Detector::detect_with", 0.05)
            ]
        );
    }

    #[test]
    fn no_root_no_samples() {
        let h = hotspots("main;render 10\n\ngarbage\n", "detect_with", 3);
        assert_eq!(h.n_samples, 0);
        assert!(h.top_inclusive.is_empty() && h.top_self.is_empty());
    }

    #[test]
    fn strips_only_real_hashes() {
        assert_eq!(function_name("a::b::h0123456789abcdef"), "a::b");
        assert_eq!(function_name("a::hello"), "a::hello");
        assert_eq!(function_name(" a::b "), "a::b");
    }
}
