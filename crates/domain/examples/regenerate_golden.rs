//! Rewrites the golden files of `tests/golden.rs` from the rules as they are now. Run it only
//! after a deliberate rule change, then read the diff line by line before committing:
//! `cargo run -p jixiao-domain --example regenerate_golden`.

#[path = "../tests/golden/render.rs"]
mod render;

fn main() -> std::io::Result<()> {
    for (path, text) in [
        (render::SEED_GOLDEN, render::seed_report()),
        (render::SECOND_GOLDEN, render::second_report()),
        (render::EVERY_RULE_GOLDEN, render::every_rule_report()),
    ] {
        std::fs::write(path, text)?;
        println!("wrote {path}");
    }
    Ok(())
}
