//! Writes `src/eval/lowercase/tables.rs`: the tables with which `src/eval/lowercase.rs`
//! lowercases exactly as this toolchain's `str::to_lowercase` does, derived from that
//! function's own behaviour (so they follow whatever Unicode version std carries).
//!
//! `cargo run --example lowercase_tables` (it writes the file itself: the library it is
//! built with includes the file, so a shell redirect would empty it before the build).

use std::fmt::Write as _;

/// Ranges longer than this are split (the length has 8 bits in a packed entry).
const MAX_RANGE_LEN: u32 = 256;
/// Boundaries per block of a set: bounds the linear scan after the binary search.
const BLOCK_LEN: usize = 16;
/// Array items are wrapped at this width (the generated file is not rustfmt'd).
const LINE_WIDTH: usize = 100;

/// Chars that lowercase to one other char, found by stepping `stride` from `start`, all by
/// the same `delta`.
struct Range {
    start: u32,
    len: u32,
    stride: u32,
    delta: i32,
}

fn chars() -> impl Iterator<Item = char> {
    (0..=u32::from(char::MAX)).filter_map(char::from_u32)
}

fn lowercase_of(c: char) -> String {
    let lower: String = c.to_lowercase().collect();
    assert_eq!(
        lower,
        c.to_string().to_lowercase(),
        "char and str lowercasing differ at {c:?}"
    );
    lower
}

/// Whether the `Σ` ending `s` lowercases to the final form `ς`.
fn final_sigma(s: &str) -> bool {
    s.to_lowercase().ends_with('ς')
}

/// Runs of chars mapped by the same delta at stride 1 or 2, and the multi-char mappings.
fn mappings() -> (Vec<Range>, Vec<(char, String)>) {
    let mut ranges: Vec<Range> = Vec::new();
    let mut multi = Vec::new();
    for c in chars() {
        let lower = lowercase_of(c);
        let mut lower_chars = lower.chars();
        let (Some(single), None) = (lower_chars.next(), lower_chars.next()) else {
            multi.push((c, lower));
            continue;
        };
        if single == c {
            continue;
        }
        let code = u32::from(c);
        let delta = i32::try_from(u32::from(single)).unwrap() - i32::try_from(code).unwrap();
        if let Some(last) = ranges.last_mut() {
            let next = code - last.start;
            let extends = last.delta == delta
                && last.len < MAX_RANGE_LEN
                && if last.len == 1 {
                    next <= 2
                } else {
                    next == last.len * last.stride
                };
            if extends {
                last.stride = next / last.len;
                last.len += 1;
                continue;
            }
        }
        ranges.push(Range {
            start: code,
            len: 1,
            stride: 1,
            delta,
        });
    }
    (ranges, multi)
}

/// The chars that `str::to_lowercase` skips when it looks for a cased char around a `Σ`
/// (Case_Ignorable), and those it stops at and finds cased (Cased and not Case_Ignorable),
/// as sorted range boundaries: starts at even indices, exclusive ends at odd ones.
fn sigma_sets() -> (Vec<u32>, Vec<u32>) {
    let mut ignorable = Vec::new();
    let mut cased = Vec::new();
    for c in chars() {
        // "AcΣ" ends in ς when c is skipped (then A is cased) or c is cased; "cΣ" when c is
        // cased and not skipped (skipping it finds nothing, which is not cased).
        let skipped_or_cased = final_sigma(&format!("A{c}Σ"));
        let stops_cased = final_sigma(&format!("{c}Σ"));
        assert!(
            skipped_or_cased || !stops_cased,
            "inconsistent sigma context at {c:?}"
        );
        toggle(&mut ignorable, c, skipped_or_cased && !stops_cased);
        toggle(&mut cased, c, stops_cased);
    }
    (ignorable, cased)
}

/// Adds a boundary where membership changes at `c` (char gaps at the surrogates are
/// bridged: no char is there to change it).
fn toggle(boundaries: &mut Vec<u32>, c: char, member: bool) {
    let inside = boundaries.len() % 2 == 1;
    if member != inside {
        boundaries.push(u32::from(c));
    }
}

/// Packs a set's boundaries into block headers (first boundary | its index << 21) and u8
/// deltas from each boundary to the next within a block (0 at a block's first boundary).
fn blocks(boundaries: &[u32]) -> (Vec<u32>, Vec<u8>) {
    let mut headers = Vec::new();
    let mut deltas = Vec::new();
    let mut block_start = 0;
    for (index, &boundary) in boundaries.iter().enumerate() {
        let delta = index
            .checked_sub(1)
            .map(|previous| boundary - boundaries[previous]);
        match delta.and_then(|delta| u8::try_from(delta).ok()) {
            Some(delta) if index - block_start < BLOCK_LEN => deltas.push(delta),
            _ => {
                assert!(
                    boundary < 1 << 21 && index < 1 << 11,
                    "set too large for the packing"
                );
                headers.push(boundary | u32::try_from(index).unwrap() << 21);
                deltas.push(0);
                block_start = index;
            }
        }
    }
    (headers, deltas)
}

fn array<T: std::fmt::Display>(out: &mut String, doc: &str, name: &str, ty: &str, items: &[T]) {
    writeln!(
        out,
        "\n{doc}\npub(super) static {name}: [{ty}; {}] = [",
        items.len()
    )
    .unwrap();
    let mut line = String::new();
    for item in items {
        let item = format!("{item},");
        if !line.is_empty() && line.len() + 1 + item.len() > LINE_WIDTH {
            writeln!(out, "   {line}").unwrap();
            line.clear();
        }
        write!(line, " {item}").unwrap();
    }
    writeln!(out, "   {line}").unwrap();
    out.push_str("];\n");
}

fn main() {
    let (ranges, multi) = mappings();
    let (ignorable, cased) = sigma_sets();
    let packed: Vec<String> = ranges
        .iter()
        .map(|range| {
            let fields = range.start | (range.len - 1) << 21 | (range.stride - 1) << 29;
            format!("({fields:#x}, {})", range.delta)
        })
        .collect();
    let (major, minor, update) = char::UNICODE_VERSION;

    let mut out = String::new();
    out.push_str(
        "//! Generated by `cargo run --example lowercase_tables`\n\
         //! from the toolchain's own `str::to_lowercase`: do not edit. Layout: src/eval/lowercase.rs.\n",
    );
    writeln!(
        out,
        "\n/// The Unicode version of the std these tables were derived from (a test compares).\n\
         #[cfg(test)]\n\
         pub(super) const UNICODE_VERSION: (u8, u8, u8) = ({major}, {minor}, {update});"
    )
    .unwrap();
    array(
        &mut out,
        "/// Chars lowercased by adding a delta: (start | (length - 1) << 21 | (stride - 1) << 29, delta).",
        "RANGES",
        "(u32, i32)",
        &packed,
    );
    writeln!(
        out,
        "\n/// Chars that lowercase to more than one char.\npub(super) static MULTI: [(char, &str); {}] = [",
        multi.len()
    )
    .unwrap();
    for (c, lower) in &multi {
        writeln!(out, "    ({c:?}, {lower:?}),").unwrap();
    }
    out.push_str("];\n");
    for (name, what, boundaries) in [
        (
            "IGNORABLE",
            "Case_Ignorable: skipped when looking for a cased char around a Σ.",
            &ignorable,
        ),
        (
            "CASED",
            "Cased and not Case_Ignorable: a cased char found around a Σ.",
            &cased,
        ),
    ] {
        let (headers, deltas) = blocks(boundaries);
        array(
            &mut out,
            &format!("/// {what} Blocks of boundaries: first | its index << 21."),
            &format!("{name}_BLOCKS"),
            "u32",
            &headers
                .iter()
                .map(|header| format!("{header:#x}"))
                .collect::<Vec<_>>(),
        );
        array(
            &mut out,
            "/// Each boundary minus the one before it (0 where a block starts).",
            &format!("{name}_DELTAS"),
            "u8",
            &deltas,
        );
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/eval/lowercase/tables.rs");
    std::fs::write(path, out).unwrap();
    println!("wrote {path}");
}
