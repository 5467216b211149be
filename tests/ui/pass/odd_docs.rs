// Docs and names that must be escaped in the generated source (quotes, backslashes, control,
// text-direction and combining characters) compile, and keep their values.
pub mod ids {
    orbit_core::manifest!("$ORBIT_UI/manifests/odd-docs.toml", module = crate::ids);
}

use ids::*;

fn main() {
    assert_eq!(
        C8FMS03.doc(),
        Some("Line one\r\nline\ttwo \u{202E}reversed\u{202C} e\u{301} 🚀 \u{0} end")
    );
    assert_eq!(C8FMS03.name(), "Upload \"Board\" C:\\uploads");
    assert_eq!(C8BRE03.doc(), Some("A \"bucket\" \\ with \u{200B} zero-width"));
    assert_eq!(
        C8FMS03_C8BRE03_E05.doc(),
        Some("Store the \"upload\"\r\n\u{2066}isolated\u{2069} a|b.")
    );
    assert_eq!(
        C8FMS03_C8BRE03_E05.actions(),
        &["write \"board\"", "tab\tand \\ back"]
    );
    assert_eq!(k8d::C8BRE03, "uploads-403-bkt-k8d-aws");
    assert_eq!(Microservice::ALL, &[C8FMS03]);
    assert_eq!(format!("{C8FMS03:?}"), "C8fms03");
    assert_eq!(mid!(c8fms03), C8FMS03);
}
