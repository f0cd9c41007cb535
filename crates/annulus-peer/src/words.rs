//! Codewords: ringgrid's 16-bit words in annulus's reading convention, and ringgrid's codebook
//! as an ID → word table built from its public decoder alone.
//!
//! # Conventions
//!
//! Both systems split the code band into 16 sectors of 22.5° and measure angles with
//! `atan2(dy, dx)` in a frame whose y axis points down the page, but they differ in where
//! sector 0 starts and in what a set bit means:
//!
//! | | sector `k` spans | bit = 1 means |
//! |---|---|---|
//! | ringgrid (`target_generation.rs`) | `[-180° + k·22.5°, -180° + (k+1)·22.5°)` | a white sector |
//! | annulus ([`annulus::codebook`]) | `[k·22.5°, (k+1)·22.5°)` (mod 360°) | a dark sector |
//!
//! ringgrid's sector `k` is therefore annulus's sector `k + 8 (mod 16)`, and its colour is the
//! complement: `annulus = rotate(!ringgrid, 8)`, see [`annulus_word`]. A half turn is its own
//! inverse, so no rotation direction can be confused here. The unit tests check this against
//! both sector functions at many angles; `tests/render.rs` checks it on printed pixels.
//!
//! # The codebook table
//!
//! ringgrid exposes its words only through `codebook::decode_word`, which matches one observed
//! word against every rotation of every codeword. Calling it once per rotation class (the
//! numerically smallest rotation, about 4 100 of them) and keeping exact matches (`dist == 0`)
//! recovers every codeword: a codeword's class is found exactly once, and the match reports the
//! stored (unrotated) word. Rotationally symmetric classes never match, since ringgrid's
//! codebooks exclude them. The table is built once per profile and cached for the process.

use std::sync::OnceLock;

use ringgrid::CodebookProfile;
use ringgrid::codebook::{codebook_info, decode_word};

/// Half a turn of the code band, in sectors: the offset between the two sector origins.
const HALF_TURN_SECTORS: u32 = 8;

/// The annulus codeword that prints the same band as ringgrid's `ringgrid_word`.
pub fn annulus_word(ringgrid_word: u16) -> u16 {
    annulus::codebook::rotate(!ringgrid_word, HALF_TURN_SECTORS)
}

/// The ringgrid codeword that prints the same band as annulus's `annulus_word`; the inverse of
/// [`annulus_word`].
pub fn ringgrid_word(annulus_word: u16) -> u16 {
    !annulus::codebook::rotate(annulus_word, HALF_TURN_SECTORS)
}

/// ringgrid's codeword of each ID in `profile`, indexed by ID (`None` where no word was found,
/// which the tests show never happens for the shipped profiles).
pub fn ringgrid_codewords(profile: CodebookProfile) -> &'static [Option<u16>] {
    static BASE: OnceLock<Vec<Option<u16>>> = OnceLock::new();
    static EXTENDED: OnceLock<Vec<Option<u16>>> = OnceLock::new();
    let cell = match profile {
        CodebookProfile::Base => &BASE,
        CodebookProfile::Extended => &EXTENDED,
    };
    cell.get_or_init(|| build_table(profile))
}

/// Decodes one representative of every rotation class; see the module doc.
fn build_table(profile: CodebookProfile) -> Vec<Option<u16>> {
    let len = codebook_info(profile).len;
    let mut table = vec![None; len];
    let mut found = 0;
    for word in 0..=u16::MAX {
        if found == len {
            break;
        }
        if annulus::codebook::canonical(word) != word {
            continue;
        }
        let m = decode_word(word, profile);
        if m.dist == 0
            && let Some(slot) = table.get_mut(m.id)
            && slot.is_none()
        {
            *slot = m.codeword;
            found += usize::from(m.codeword.is_some());
        }
    }
    table
}

/// The stable name of a ringgrid codebook profile, for messages.
pub(crate) fn profile_name(profile: CodebookProfile) -> &'static str {
    profile.as_str()
}

#[cfg(test)]
mod tests {
    use std::f64::consts::{PI, TAU};

    use super::*;

    /// ringgrid's colour at image angle `angle` (`atan2(dy, dx)`, y down) of a band printing
    /// `word`: `true` for white, exactly as `target_generation.rs` draws it.
    fn ringgrid_is_white(word: u16, angle: f64) -> bool {
        let sector = (((angle / TAU) + 0.5) * 16.0).floor() as i32;
        let sector = sector.rem_euclid(16) as u32;
        (word >> sector) & 1 == 1
    }

    /// annulus's colour at the same angle: `true` for dark.
    fn annulus_is_dark(word: u16, angle: f64) -> bool {
        let sector = annulus::codebook::sector_of(angle.cos(), angle.sin());
        (word >> sector) & 1 == 1
    }

    #[test]
    fn converted_words_print_the_same_band_at_every_angle() {
        let words = [0x0001, 0x8000, 0x00ff, 0x1234, 0xbeef, 0x0f0f];
        for word in words {
            let converted = annulus_word(word);
            // Sample away from sector boundaries, where the two floor conventions agree.
            for i in 0..160 {
                let angle = -PI + (f64::from(i) + 0.5) * TAU / 160.0;
                assert_eq!(
                    annulus_is_dark(converted, angle),
                    !ringgrid_is_white(word, angle),
                    "word {word:#06x} at {angle:.3} rad"
                );
            }
        }
    }

    #[test]
    fn a_rotation_off_by_one_sector_would_be_caught() {
        // The check above is sharp: rotating by one more sector changes the band.
        let word = 0x1234;
        let wrong = annulus::codebook::rotate(!word, HALF_TURN_SECTORS + 1);
        let differs = (0..160).any(|i| {
            let angle = -PI + (f64::from(i) + 0.5) * TAU / 160.0;
            annulus_is_dark(wrong, angle) == ringgrid_is_white(word, angle)
        });
        assert!(differs);
    }

    #[test]
    fn the_two_directions_are_inverse() {
        for word in [0u16, 1, 0x8001, 0x1234, 0xffff] {
            assert_eq!(ringgrid_word(annulus_word(word)), word);
            assert_eq!(annulus_word(ringgrid_word(word)), word);
        }
    }

    #[test]
    fn the_base_table_holds_every_codeword_and_matches_ringgrid() {
        let info = codebook_info(CodebookProfile::Base);
        let table = ringgrid_codewords(CodebookProfile::Base);
        assert_eq!(table.len(), info.len);
        assert!(table.iter().all(Option::is_some), "every ID has a word");
        assert_eq!(table.first().copied().flatten(), info.first_codeword);
        assert_eq!(table.last().copied().flatten(), info.last_codeword);
        // Every word decodes to its own ID at distance 0.
        for (id, word) in table.iter().enumerate().step_by(37) {
            let m = decode_word(word.expect("filled"), CodebookProfile::Base);
            assert_eq!((m.id, m.dist, m.rotation), (id, 0, 0));
        }
    }
}
