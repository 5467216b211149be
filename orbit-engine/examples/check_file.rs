//! Checks a manifest file and prints every diagnostic: `cargo run -p orbit-engine --example check_file -- orbit.toml`.
fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "orbit.toml".into());
    match orbit_engine::check_file(std::path::Path::new(&path)) {
        Ok((src, checked)) => {
            print!(
                "{}",
                orbit_engine::render::all(
                    &checked.diagnostics,
                    &src,
                    &path,
                    orbit_engine::render::Style::Plain
                )
            );
            println!("{}", checked.manifest.summary());
        }
        Err(d) => println!("{d}"),
    }
}
