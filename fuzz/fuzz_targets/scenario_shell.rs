//! The scenario shell and its kubectl on arbitrary typed lines, over a small cluster with a
//! Deployment, a Service, a ConfigMap and a crash-looping Pod: no line may panic, every refusal
//! says something, and nothing but the cluster and its files changes (the shell reaches nothing
//! on the host).
#![no_main]

use std::sync::OnceLock;

use kubedrill::cluster::shell::Shell;
use kubedrill::cluster::sim::Cluster;
use kubedrill::model::world::World;
use libfuzzer_sys::fuzz_target;

/// The world it types into, shared with tests/fuzz_regressions.rs.
const WORLD: &str = include_str!("../../tests/fixtures/fuzz/scenario_shell.world.toml");

fn start() -> &'static Shell {
    static SHELL: OnceLock<Shell> = OnceLock::new();
    SHELL.get_or_init(|| {
        let world: World = toml::from_str(WORLD).expect("the world parses");
        Shell::new(Cluster::start(&world).expect("the world starts"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut shell = start().clone();
    let mut saved = Some("kind: Pod\n".to_string());
    for line in text.lines().take(4) {
        let heredoc = Shell::heredoc_terminator(line).map(|_| "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        let output = shell.run_line(line, heredoc, &mut |_| saved.take());
        if output.code != 0 && output.stdout.is_empty() {
            // A failure says why: grep and printenv fail silently, as they do for real (also when
            // typed `gre\p` or `'grep'`), and `2>` sends the reason to a file.
            let plain: String = line.chars().filter(|c| !matches!(c, '\\' | '\'' | '"')).collect();
            let silent = ["grep", "printenv", "getent", "k exec", "kubectl exec", "false"]
                .iter()
                .any(|quiet| plain.contains(quiet))
                || line.contains("2>");
            assert!(silent || !output.stderr.trim().is_empty(), "{line:?} failed silently");
        }
    }
    // Only the scenario's own files: every path is absolute, under the shell's root.
    for path in shell.cluster.files.keys() {
        assert!(path.starts_with('/'), "{path:?}");
    }
});
