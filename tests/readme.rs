//! The README's table of diagnostic codes is the user-facing list: it must match the code.

use azabac::diagnostic::Code;

#[test]
fn readme_lists_every_diagnostic_code_with_its_severity_and_title() {
    let readme = include_str!("../README.md");
    for code in Code::ALL {
        let title = code.title().replace('|', "\\|");
        // Each row ends with an example cell after the title.
        let row = format!(
            "| {} | {} | {} | {} | {} | ",
            code.as_str(),
            code.default_severity().as_str(),
            code.basis().as_str(),
            code.category().map_or("", |c| c.as_str()),
            title
        );
        assert!(
            readme.contains(&row),
            "README is missing or has a different row for {code}:\n{row}"
        );
    }
    let rows = readme
        .lines()
        .filter(|line| line.starts_with("| AZ"))
        .count();
    assert_eq!(
        rows,
        Code::ALL.len(),
        "README lists a code the program does not have"
    );
}
