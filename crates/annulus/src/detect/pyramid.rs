//! An image pyramid by 2 × 2 box averaging, kept in the workspace.
//!
//! Level 0 is the input itself (borrowed, never copied); level `L` has `⌊w / 2^L⌋ × ⌊h / 2^L⌋`
//! pixels, each the rounded mean of the 2 × 2 block below it (an odd last row or column is
//! dropped). Pixel `(i, j)` of level `L` covers the level-0 pixels `2^L·i ..< 2^L·(i+1)`, so its
//! centre is at level-0 coordinate `2^L·(i + ½) − ½` ([`to_level0`]). Box averaging is the
//! cheapest anti-aliasing filter that keeps this exact correspondence; the proposal stage only
//! needs the coarse levels to locate candidates within a pixel or two.

use crate::image::ImageView;

/// Owned pixel planes of levels 1 and up.
#[derive(Debug, Default)]
pub(crate) struct Pyramid {
    levels: Vec<Level>,
}

#[derive(Debug, Default)]
struct Level {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl Pyramid {
    /// Rebuilds levels `1..=top` from `image`, reusing the buffers of earlier calls. Stops early
    /// where a level would be smaller than 2 × 2 pixels.
    pub(crate) fn build(&mut self, image: &ImageView<'_>, top: u32) {
        let top = top as usize;
        if self.levels.len() < top {
            self.levels.resize_with(top, Level::default);
        }
        for level in 1..=top {
            let (below, rest) = self.levels.split_at_mut(level - 1);
            let dst = &mut rest[0];
            let src = match level {
                1 => *image,
                _ => match below[level - 2].view() {
                    Some(view) => view,
                    None => {
                        dst.width = 0;
                        dst.height = 0;
                        continue;
                    }
                },
            };
            downsample(&src, dst);
        }
        for level in &mut self.levels[top..] {
            level.width = 0;
            level.height = 0;
        }
    }

    /// Level `level` (≥ 1) as a view, when it exists and is non-empty.
    pub(crate) fn level(&self, level: u32) -> Option<ImageView<'_>> {
        self.levels.get((level as usize).checked_sub(1)?)?.view()
    }
}

impl Level {
    fn view(&self) -> Option<ImageView<'_>> {
        ImageView::packed(self.width, self.height, &self.data[..self.len()]).ok()
    }

    fn len(&self) -> usize {
        self.width as usize * self.height as usize
    }
}

/// Maps a level-`level` pixel coordinate to level 0.
pub(crate) fn to_level0(level: u32, xy: [f64; 2]) -> [f64; 2] {
    let scale = f64::from(1u32 << level);
    xy.map(|v| scale * (v + 0.5) - 0.5)
}

/// Halves `src` into `dst` by rounded 2 × 2 means.
fn downsample(src: &ImageView<'_>, dst: &mut Level) {
    dst.width = src.width() / 2;
    dst.height = src.height() / 2;
    let (w, h) = (dst.width as usize, dst.height as usize);
    if dst.data.len() < w * h {
        dst.data.resize(w * h, 0);
    }
    let data = src.data();
    let stride = src.stride();
    for y in 0..h {
        let top = &data[2 * y * stride..][..2 * w];
        let bottom = &data[(2 * y + 1) * stride..][..2 * w];
        let out = &mut dst.data[y * w..(y + 1) * w];
        for (x, o) in out.iter_mut().enumerate() {
            let sum = u16::from(top[2 * x])
                + u16::from(top[2 * x + 1])
                + u16::from(bottom[2 * x])
                + u16::from(bottom[2 * x + 1]);
            *o = ((sum + 2) >> 2) as u8;
        }
    }
}
