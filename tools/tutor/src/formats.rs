//! The results in forms a machine reads: JSON, for scripts, and JUnit XML,
//! which CI systems and grading tools read.

use serde_json::{Value, json};

use crate::report::{Report, Status};

/// The format a check prints its results in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Format {
    Text,
    Json,
    Junit,
}

impl Format {
    pub fn parse(name: &str) -> Result<Format, String> {
        match name {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "junit" => Ok(Format::Junit),
            _ => Err(format!("there is no format {name}: text, json or junit")),
        }
    }
}

/// One exercise's results as a JSON object.
pub fn json_of(report: &Report) -> Value {
    let reached = report.reached.as_ref().map(|reached| {
        json!({
            "function": reached.function,
            "place": reached.place,
            "sections": reached.sections,
        })
    });
    json!({
        "exercise": report.exercise,
        "challenge": report.challenge,
        "package": report.package,
        "status": report.status.word(),
        "tests": {
            "passed": report.passed(),
            "failed": report.failed(),
            "total": report.tests.len(),
        },
        "test": report.test,
        "todo": reached,
        "message": report.message,
        "seconds": (report.seconds * 100.0).round() / 100.0,
    })
}

/// Several exercises' results, and their challenges': the object for
/// each, and how many of the exercises pass, and of the challenges.
pub fn json_of_all(reports: &[Report]) -> Value {
    let count = |challenges: bool| {
        let of_kind = || {
            reports
                .iter()
                .filter(move |r| r.challenge.is_some() == challenges)
        };
        let passing = of_kind().filter(|r| r.status == Status::Passes).count();
        (passing, of_kind().count())
    };
    let (passing, total) = count(false);
    let (challenges_passing, challenges) = count(true);
    json!({
        "exercises": reports.iter().map(json_of).collect::<Vec<_>>(),
        "passing": passing,
        "total": total,
        "challenges": {"passing": challenges_passing, "total": challenges},
    })
}

/// A report's name in JUnit: its package's for an exercise, such as
/// `exercise-8`, and `challenge-8a` for a challenge.
fn suite_name(report: &Report) -> String {
    match &report.challenge {
        Some(id) => format!("challenge-{id}"),
        None => report.package.clone(),
    }
}

/// JUnit XML: a `testsuite` per exercise, a `testcase` per test. An
/// exercise that does not compile has one `testcase`, `compiles`, with
/// the compiler's errors in it.
pub fn junit_of(reports: &[Report]) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let tests: usize = reports.iter().map(cases).sum();
    let failures: usize = reports.iter().map(failed_cases).sum();
    let seconds: f64 = reports.iter().map(|r| r.seconds).sum();
    xml.push_str(&format!(
        "<testsuites name=\"exercises\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"{seconds:.2}\">\n"
    ));
    for report in reports {
        xml.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{:.2}\">\n",
            suite_name(report),
            cases(report),
            failed_cases(report),
            report.seconds
        ));
        xml.push_str(&format!(
            "    <properties><property name=\"status\" value=\"{}\"/></properties>\n",
            report.status.word()
        ));
        if report.status == Status::DoesNotCompile {
            xml.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"compiles\">\n      <failure message=\"does not compile\">{}</failure>\n    </testcase>\n",
                suite_name(report),
                escape(&report.errors.join("\n\n"))
            ));
        }
        for test in &report.tests {
            let classname = format!("{}.{}", suite_name(report), test.suite);
            xml.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape(&classname),
                escape(&test.name)
            ));
            if test.passed {
                xml.push_str("/>\n");
                continue;
            }
            // The report's message explains the test it names; any other
            // failing test shows what it printed.
            let named = report.test.as_deref() == Some(&format!("{}::{}", test.suite, test.name));
            let text = if named { &report.message } else { &test.output };
            let first_line = if named {
                text.lines().next()
            } else {
                panic_message(text)
            };
            let first_line = first_line.unwrap_or("failed");
            xml.push_str(&format!(
                ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                escape(first_line),
                escape(text)
            ));
        }
        xml.push_str(&format!(
            "    <system-out>{}</system-out>\n  </testsuite>\n",
            escape(&report.message)
        ));
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// The first line of a panic's message in what a test printed (the line
/// after `thread '...' panicked at FILE:LINE:COLUMN:`), or its first line.
fn panic_message(output: &str) -> Option<&str> {
    let mut lines = output.lines();
    let first = lines.clone().find(|line| !line.trim().is_empty());
    while let Some(line) = lines.next() {
        if line.contains(" panicked at ") {
            return lines.next().or(first);
        }
    }
    first
}

fn cases(report: &Report) -> usize {
    report.tests.len() + usize::from(report.status == Status::DoesNotCompile)
}

fn failed_cases(report: &Report) -> usize {
    report.failed() + usize::from(report.status == Status::DoesNotCompile)
}

/// Text made safe for XML, in an attribute or between tags. Control
/// characters other than tab and newline are not allowed in XML at all.
fn escape(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => safe.push_str("&amp;"),
            '<' => safe.push_str("&lt;"),
            '>' => safe.push_str("&gt;"),
            '"' => safe.push_str("&quot;"),
            '\'' => safe.push_str("&apos;"),
            '\n' | '\t' => safe.push(c),
            c if c.is_control() => safe.push('?'),
            c => safe.push(c),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Reached;
    use crate::run::TestResult;

    fn failing_report() -> Report {
        let test = |name: &str, passed: bool| TestResult {
            suite: "pool".to_string(),
            name: name.to_string(),
            passed,
            output: if passed {
                String::new()
            } else {
                "boom <here> & \"there\"".to_string()
            },
        };
        Report {
            exercise: 2,
            challenge: None,
            package: "exercise-2".to_string(),
            status: Status::Fails,
            tests: vec![test("a", true), test("b", false), test("c", false)],
            errors: Vec::new(),
            reached: Some(Reached {
                function: Some("thread_is_idle".to_string()),
                place: Some("exercises/exercise-2/src/thread_pool.rs:9:5".to_string()),
                sections: vec!["Giving out tasks".to_string()],
            }),
            test: Some("pool::b".to_string()),
            message: "The test `pool::b` reached the todo!() in `thread_is_idle`.".to_string(),
            seconds: 1.234,
        }
    }

    #[test]
    fn json_has_the_status_the_counts_and_the_message() {
        let json = json_of(&failing_report());
        assert_eq!(json["exercise"], 2);
        assert_eq!(json["status"], "fails");
        assert_eq!(json["tests"], json!({"passed": 1, "failed": 2, "total": 3}));
        assert_eq!(json["todo"]["function"], "thread_is_idle");
        assert_eq!(json["seconds"], 1.23);
        assert!(json["message"].as_str().unwrap().contains("thread_is_idle"));
    }

    #[test]
    fn a_panic_is_summed_up_by_its_message() {
        let output =
            "a line printed\nthread 'x' (12) panicked at src/a.rs:1:1:\nout of paper\nmore";
        assert_eq!(panic_message(output), Some("out of paper"));
        assert_eq!(panic_message("\nonly words"), Some("only words"));
    }

    #[test]
    fn junit_counts_the_tests_and_escapes_what_they_said() {
        let xml = junit_of(&[failing_report()]);
        assert!(xml.contains("<testsuites name=\"exercises\" tests=\"3\" failures=\"2\""));
        assert!(xml.contains("<testcase classname=\"exercise-2.pool\" name=\"a\"/>"));
        assert!(xml.contains(
            "<failure message=\"The test `pool::b` reached the todo!() in `thread_is_idle`.\">"
        ));
        assert!(xml.contains("boom &lt;here&gt; &amp; &quot;there&quot;"));
        assert_eq!(xml.matches("<testcase ").count(), 3);
        assert_eq!(xml.matches("</testcase>").count(), 2);
    }
}
