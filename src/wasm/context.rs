//! A prepared context: the attributes of one request, parsed once and evaluated many times.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::{Context, ErrorCode};

/// A [`Context`] living in wasm memory. JS builds it once per request (from JSON text) and
/// passes it to every evaluation, so no string crosses the boundary per flag.
#[wasm_bindgen]
pub struct PreparedContext {
    pub(crate) context: Context,
}

#[wasm_bindgen]
impl PreparedContext {
    /// From the JSON text of a flat object. Text that is not JSON gives `PARSE_ERROR` on every
    /// evaluation; JSON that is not an object, or is over the limits, `INVALID_CONTEXT`.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> PreparedContext {
        PreparedContext {
            context: Context::from_json(text),
        }
    }

    /// A context the host could not serialise (a cyclic object, a `BigInt`): every evaluation
    /// returns `ERROR` with `INVALID_CONTEXT`.
    pub fn invalid() -> PreparedContext {
        PreparedContext {
            context: Context::invalid(ErrorCode::InvalidContext),
        }
    }

    /// Why every evaluation with this context is an error, as a packed error code (0: valid).
    pub fn problem(&self) -> u32 {
        super::packed::error_code(self.context.problem())
    }
}
