// A constant the manifest does not declare: rustc's own error, with its similar-name hint.
fn main() {
    let _upload_board = orbit_core::ids::C8FMS04;
}
