//! Load errors as JS `Error`s carrying the stable `code`, the `path` and the `detail`.

use wasm_bindgen::JsValue;

use crate::Error;

/// `new Error(message)` with `code`, `path` and `detail` properties; `api.js` turns it into a
/// `SnapshotError`.
pub(crate) fn to_js(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.message());
    for (name, value) in [
        ("code", error.code()),
        ("path", error.path()),
        ("detail", error.detail()),
    ] {
        // Setting a property on a fresh Error object cannot fail; if it did, the message
        // still carries the code.
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    js.into()
}
