//! The class report's HTML page in a real browser: Debian's headless Chromium renders it (no
//! network, no scripts) and the tables and charts are in the page it built. Skipped, with a
//! message, where Chromium is absent; `.ci/run` installs it and sets
//! `KUBEDRILL_REQUIRE_CHROMIUM`, which turns the skip into a failure.

use std::process::Command;

use kubedrill::report::{self, class, render};

/// Two learners' exports as `report export` writes them (schema version 1).
fn exports() -> Vec<report::Export> {
    let learner = |name: &str, again: u32, failed: u32, recall: f64| {
        format!(
            r#"{{"schema":"kubedrill-progress-report","version":1,"name":"{name}",
            "exported_at":"2026-12-01T09:00:00Z","exam_date":"2026-12-20","decay":-0.1542,"factor":0.7209,
            "decks":[{{"id":"cka","version":"0.1.0","commit":null,"topics":[
              {{"id":"rbac","title":"RBAC","items":4}},{{"id":"etcd","title":"Backing up etcd","items":2}}]}}],
            "items":[
              {{"deck":"cka","item":"rbac/pod-reader","kind":"exercise","attempts":3,"again":{again},"last_rating":"good",
                "lapses":1,"predicted_recall":{recall},"stability_days":4.0,"last_review":"2026-11-30T09:00:00Z",
                "time_spent_seconds":300.0,"graded_answers":4}},
              {{"deck":"cka","item":"etcd/snapshot-save","kind":"drill","attempts":2,"again":0,"last_rating":"good",
                "lapses":0,"predicted_recall":0.97,"stability_days":20.0,"last_review":"2026-11-29T09:00:00Z",
                "time_spent_seconds":40.0,"graded_answers":0}}],
            "checks":[{{"deck":"cka","item":"rbac/pod-reader","check":"verbs","answers":4,"failed":{failed}}}]}}"#
        )
    };
    [
        learner("Ana", 0, 0, 0.95),
        learner("<b>Ben</b>", 2, 3, 0.41),
    ]
    .iter()
    .map(|text| report::read(text).unwrap())
    .collect()
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|output| output.status.success())
        })
}

#[test]
fn the_class_page_renders_its_tables_and_charts_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("KUBEDRILL_REQUIRE_CHROMIUM").is_none(),
            "KUBEDRILL_REQUIRE_CHROMIUM is set but no chromium is installed"
        );
        eprintln!("skipped: Chromium is not installed (apt-get install chromium)");
        return;
    };
    let now = "2026-12-01T09:00:00Z".parse().unwrap();
    let report = class::report(&exports(), None, now, 10);
    let folder = tempfile::tempdir().unwrap();
    let page = folder.path().join("class.html");
    std::fs::write(&page, render::html(&report)).unwrap();
    let profile = folder.path().join("profile");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The page as the browser built it: four tables, their rows, the charts.
    assert_eq!(dom.matches("<table>").count(), 4, "{dom}");
    assert!(dom.contains("<td>cka/rbac/pod-reader</td>"), "{dom}");
    assert!(dom.contains("<td>verbs</td>"));
    assert!(dom.contains("Learners at risk"));
    assert!(dom.matches("<svg").count() >= 2);
    // A learner's name is text: the browser made no <b> element of it.
    assert!(dom.contains("&lt;b&gt;Ben&lt;/b&gt;"), "{dom}");
    assert!(!dom.contains("<b>Ben</b>"));
    assert!(!dom.contains("<script"));
}
