//! Drills of the tools a CKA task is typed with besides kubectl (kubeadm, etcdctl, etcdutl,
//! systemctl, journalctl, crictl, apt-get, apt-mark, helm, openssl): every one the built-in deck
//! has is tested here on its answer, every accepted alternative and its known wrong answers, each
//! refused with the explanation a learner sees (in English and in Korean).

use std::collections::BTreeMap;

use kubedrill::grade::command::{StepCommand, TOOLS, judge, parse_steps};
use kubedrill::i18n::{Lang, localize};

#[test]
fn every_tool_drill_accepts_its_answers_and_refuses_its_wrong_ones_with_a_reason() {
    let deck = kubedrill::content::built_in()
        .deck
        .expect("the built-in deck loads");
    let mut per_tool: BTreeMap<&str, usize> = BTreeMap::new();
    for topic in &deck.topics {
        for template in &topic.drills {
            for index in 0..template.variant_count() {
                let drill = template.variant(index);
                let id = format!("{}/{}", topic.id, drill.id);
                let (steps, _) =
                    parse_steps(&drill.answer).unwrap_or_else(|error| panic!("{id}: {error:?}"));
                let tools: Vec<&str> = steps
                    .iter()
                    .filter_map(|step| match &step.command {
                        StepCommand::Tool(command) => Some(command.tool),
                        StepCommand::Kubectl(_) => None,
                    })
                    .collect();
                if tools.is_empty() {
                    continue;
                }
                for tool in tools {
                    *per_tool.entry(tool).or_default() += 1;
                }
                let accepted: Vec<&str> = std::iter::once(drill.answer.as_str())
                    .chain(drill.accept.iter().map(String::as_str))
                    .collect();
                for answer in &accepted {
                    let verdict = judge(&accepted, answer, None);
                    assert!(
                        verdict.correct,
                        "{id}: `{answer}`: {:?}",
                        verdict.differences
                    );
                }
                assert!(
                    drill.wrong.len() >= 3,
                    "{id}: {} wrong answers",
                    drill.wrong.len()
                );
                for wrong in &drill.wrong {
                    let verdict = judge(&accepted, &wrong.answer, None);
                    assert!(!verdict.correct, "{id}: `{}` is accepted", wrong.answer);
                    let said = verdict.differences.join("\n");
                    assert!(
                        said.contains(&wrong.says),
                        "{id}: `{}` is explained as {said:?}, not with `{}`",
                        wrong.answer,
                        wrong.says
                    );
                    for line in &verdict.differences {
                        let korean = localize(line.trim_start(), Lang::Ko);
                        assert!(
                            korean != line.trim_start() || !line.chars().any(char::is_alphabetic),
                            "{id}: no Korean for {line:?}"
                        );
                    }
                }
            }
        }
    }
    // Every tool the grader reads is practised by at least one drill.
    for tool in TOOLS {
        assert!(
            per_tool.get(tool).copied().unwrap_or(0) >= 1,
            "no drill uses {tool}: {per_tool:?}"
        );
    }
}
