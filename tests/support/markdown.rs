//! A Markdown page as the documentation tests read it, parsed by `pulldown-cmark` (CommonMark
//! with GitHub's tables): its fenced code blocks, its headings with the anchors GitHub gives
//! them, its explicit `<a id>` anchors, its links, its tables, and its prose as runs of text,
//! each run with the link it sits in.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code,
    reason = "test support: a malformed page must stop the test; each includer uses a part"
)]

use std::collections::BTreeSet;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A fenced code block: its language, what kind of content it is (the rest of the info
/// string, as in ```` ```json request ````), the line of its opening fence, and its body.
pub struct Block {
    pub lang: String,
    pub tag: String,
    pub line: usize,
    pub body: String,
}

/// A heading: its level, its text as rendered, its line.
pub struct Heading {
    pub level: usize,
    pub text: String,
    pub line: usize,
}

/// A link (or image): its destination, its text, its line, and the headings it sits under.
pub struct Link {
    pub dest: String,
    pub text: String,
    pub line: usize,
    pub under: Vec<String>,
}

/// A table: the headings it sits under, its header cells and its rows. A cell's inline code
/// keeps its backticks, so that it reads as written.
pub struct Table {
    pub under: Vec<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A run of prose (text outside code, line breaks as spaces), with the destination of the
/// link it sits in, if any, and the block (paragraph, heading, table cell, list item) it is
/// part of, so that a sentence broken by links can be read whole.
pub struct Run {
    pub text: String,
    pub link: Option<String>,
    pub line: usize,
    pub block: usize,
}

/// What the tests read of a page.
#[derive(Default)]
pub struct Page {
    pub blocks: Vec<Block>,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub tables: Vec<Table>,
    pub runs: Vec<Run>,
    /// Explicit anchors: `id="…"` and `name="…"` of HTML in the page.
    pub ids: BTreeSet<String>,
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn level(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The `id="…"` and `name="…"` values of a piece of HTML.
fn html_ids(html: &str, ids: &mut BTreeSet<String>) {
    for attribute in ["id=\"", "name=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            let after = &rest[at + attribute.len()..];
            let Some(end) = after.find('"') else { break };
            ids.insert(after[..end].to_owned());
            rest = &after[end..];
        }
    }
}

/// Parses a page.
pub fn parse(text: &str) -> Page {
    let mut page = Page::default();
    // The headings above the current position, by level.
    let mut under: Vec<(usize, String)> = Vec::new();
    let mut heading: Option<(usize, String, usize)> = None;
    let mut block: Option<Block> = None;
    let mut link: Option<Link> = None;
    let mut table: Option<Table> = None;
    let mut row: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    let mut run: Option<Run> = None;
    let mut block_id = 0usize;
    let headings_above =
        |under: &[(usize, String)]| under.iter().map(|(_, h)| h.clone()).collect::<Vec<_>>();
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        let line = line_of(text, range.start);
        // Prose: text that is not code, within one link context.
        let prose = match &event {
            Event::Text(t) if block.is_none() => Some(t.to_string()),
            Event::SoftBreak | Event::HardBreak if block.is_none() => Some(" ".to_owned()),
            _ => None,
        };
        let dest = link.as_ref().map(|l| l.dest.clone());
        match (prose, &mut run) {
            (Some(piece), Some(open)) if open.link == dest => open.text.push_str(&piece),
            (Some(piece), _) => {
                page.runs.extend(run.take());
                run = Some(Run {
                    text: piece,
                    link: dest,
                    line,
                    block: block_id,
                });
            }
            (None, _) => {
                if !matches!(
                    event,
                    Event::Start(Tag::Emphasis | Tag::Strong)
                        | Event::End(TagEnd::Emphasis | TagEnd::Strong)
                ) {
                    page.runs.extend(run.take());
                }
            }
        }
        if matches!(
            event,
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell | Tag::Item)
                | Event::End(
                    TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item
                )
        ) {
            page.runs.extend(run.take());
            block_id += 1;
        }
        match event {
            Event::Start(Tag::Heading { level: l, .. }) => {
                heading = Some((level(l), String::new(), line))
            }
            Event::End(TagEnd::Heading(_)) => {
                let (level, text, line) = heading.take().unwrap();
                under.retain(|(l, _)| *l < level);
                under.push((level, text.clone()));
                page.headings.push(Heading { level, text, line });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut words = info.split_whitespace().map(str::to_owned);
                let lang = words.next().unwrap_or_default();
                let tag = words.collect::<Vec<_>>().join(" ");
                block = Some(Block {
                    lang,
                    tag,
                    line,
                    body: String::new(),
                });
            }
            Event::End(TagEnd::CodeBlock) => page.blocks.extend(block.take()),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                link = Some(Link {
                    dest: dest_url.to_string(),
                    text: String::new(),
                    line,
                    under: headings_above(&under),
                });
            }
            Event::End(TagEnd::Link | TagEnd::Image) => page.links.extend(link.take()),
            Event::Start(Tag::Table(_)) => {
                table = Some(Table {
                    under: headings_above(&under),
                    header: Vec::new(),
                    rows: Vec::new(),
                });
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(table) = &mut table {
                    table.header = std::mem::take(&mut row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(table) = &mut table {
                    table.rows.push(std::mem::take(&mut row));
                }
            }
            Event::End(TagEnd::Table) => page.tables.extend(table.take()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.push(cell.take().unwrap().trim().to_owned()),
            Event::Html(html) | Event::InlineHtml(html) => html_ids(&html, &mut page.ids),
            Event::Text(t) => {
                if let Some(block) = &mut block {
                    block.body.push_str(&t);
                } else {
                    for sink in [
                        heading.as_mut().map(|h| &mut h.1),
                        link.as_mut().map(|l| &mut l.text),
                        cell.as_mut(),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        sink.push_str(&t);
                    }
                }
            }
            Event::Code(code) => {
                if let Some(heading) = &mut heading {
                    heading.1.push_str(&code);
                }
                if let Some(link) = &mut link {
                    link.text.push_str(&code);
                }
                if let Some(cell) = &mut cell {
                    cell.push('`');
                    cell.push_str(&code);
                    cell.push('`');
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                for sink in [
                    heading.as_mut().map(|h| &mut h.1),
                    link.as_mut().map(|l| &mut l.text),
                    cell.as_mut(),
                ]
                .into_iter()
                .flatten()
                {
                    sink.push(' ');
                }
            }
            _ => {}
        }
    }
    page.runs.extend(run);
    page
}

/// GitHub's anchor for a heading's text: lower case, every character but letters, digits,
/// `-`, `_` and spaces dropped, spaces as `-`.
pub fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

impl Page {
    /// Every anchor a link may name in the page: its headings' slugs (with GitHub's `-1`,
    /// `-2` for repeats) and its explicit anchors.
    pub fn anchors(&self) -> BTreeSet<String> {
        let mut anchors = BTreeSet::new();
        for heading in &self.headings {
            let base = slug(&heading.text);
            let mut anchor = base.clone();
            let mut n = 0;
            while anchors.contains(&anchor) {
                n += 1;
                anchor = format!("{base}-{n}");
            }
            anchors.insert(anchor);
        }
        anchors.extend(self.ids.iter().cloned());
        anchors
    }

    /// The first table under the heading `heading` whose first header cell is `first`.
    pub fn table(&self, heading: &str, first: &str) -> Option<&Table> {
        self.tables.iter().find(|t| {
            t.under.last().is_some_and(|h| h == heading)
                && t.header.first().is_some_and(|c| c == first)
        })
    }

    /// The links under the heading `heading` (directly, or in its subsections).
    pub fn links_under<'a>(&'a self, heading: &'a str) -> impl Iterator<Item = &'a Link> + 'a {
        self.links
            .iter()
            .filter(move |l| l.under.iter().any(|h| h == heading))
    }
}
