// `c20bre18` is a free slot of c20: not declared.
fn main() {
    let _ = orbit_core::rid!("c20bre18");
}
