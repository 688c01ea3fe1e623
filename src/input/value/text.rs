//! A string as far as a host file's literals resolve
//! it, each byte mapped to where it is written, with what it depends on that only a deployment
//! knows. Terraform, Bicep and ARM build their conditions' text with it, and join pieces the
//! one way written here: a piece from elsewhere (a variable, a parameter's default) maps every
//! byte to the reference that brought it, and its holes move with it.

use std::ops::Range;

use super::super::place::Hole;

/// A string evaluated from a host file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// The string.
    pub text: String,
    /// For each byte of `text` (and, once [`Text::finish`]ed, one past its end), the byte
    /// offset in the file (or the expression) it came from.
    pub offsets: Vec<usize>,
    /// What it depends on that is not known offline, as written (`var.x`, `parameters('p')`).
    pub unresolved: Vec<String>,
    /// Where in `text` each unresolved value goes, for `check` to check around.
    pub holes: Vec<Hole>,
    /// Defaults it took that a deployment can override (`var.x`, `param p`).
    pub assumed: Vec<String>,
    /// Role definition resource ids where a GUID belongs: their range in `text`, and source.
    pub resource_ids: Vec<(Range<usize>, String)>,
    /// How many of `unresolved` are the module's inputs (what its callers give): a count, not
    /// their names, so that the text every host builds stays small.
    pub inputs: usize,
}

impl Text {
    /// `text` written literally at `offsets` (one per byte).
    pub fn literal(text: String, offsets: Vec<usize>) -> Text {
        Text {
            text,
            offsets,
            ..Text::default()
        }
    }

    /// A value known only at deployment, written as `what` at `offset` in the file: a hole at
    /// the start of the (empty) text, so that a string around it is checked around it.
    pub fn unresolved(what: String, offset: usize) -> Text {
        Text {
            holes: vec![Hole {
                at: 0,
                source: what.clone(),
                offset,
            }],
            unresolved: vec![what],
            ..Text::default()
        }
    }

    /// A module's input not known here (`what`, written at `offset`): unresolved, a hole, and
    /// what the module's callers give.
    pub fn input(what: String, offset: usize) -> Text {
        Text {
            inputs: 1,
            ..Text::unresolved(what, offset)
        }
    }

    /// The input the whole text is, where it is nothing but one or more of the module's
    /// inputs: a condition slot, which the module's callers fill.
    pub fn slot(&self) -> Option<String> {
        (self.text.trim().is_empty()
            && !self.unresolved.is_empty()
            && self.inputs == self.unresolved.len())
        .then(|| {
            let names: Vec<&str> = self
                .unresolved
                .iter()
                .map(|name| name.trim_matches('`'))
                .collect();
            names.join(", ")
        })
    }

    /// A value that is not there at all (a member a literal value lacks, Bicep's or
    /// Terraform's error rather than a deployment's value): unresolved, with no hole.
    pub fn missing(what: String) -> Text {
        Text {
            unresolved: vec![what],
            ..Text::default()
        }
    }

    /// Appends `text`, every byte of it written at `at`.
    pub fn push(&mut self, text: &str, at: usize) {
        self.offsets.extend(std::iter::repeat_n(at, text.len()));
        self.text.push_str(text);
    }

    /// Appends `other`: with `at`, a value from elsewhere whose every byte (and every hole) is
    /// the reference at `at`; without, a value written here, its offsets kept.
    pub fn extend(&mut self, other: Text, at: Option<usize>) {
        if at.is_none() && *self == Text::default() {
            // Nothing to join to: the value itself, its offsets kept.
            *self = other;
            self.offsets.truncate(self.text.len());
            return;
        }
        let base = self.text.len();
        self.resource_ids.extend(
            other
                .resource_ids
                .into_iter()
                .map(|(r, s)| (r.start + base..r.end + base, s)),
        );
        self.holes.extend(other.holes.into_iter().map(|hole| Hole {
            at: hole.at + base,
            offset: at.unwrap_or(hole.offset),
            ..hole
        }));
        match at {
            Some(at) => self.push(&other.text, at),
            None => {
                self.text.push_str(&other.text);
                self.offsets
                    .extend(other.offsets.iter().take(other.text.len()));
            }
        }
        self.unresolved.extend(other.unresolved);
        self.inputs += other.inputs;
        self.assumed.extend(other.assumed);
    }

    /// What the text adds to a file's output: its bytes and the names of what it leaves open
    /// (a budget charges it, so that references that double cannot grow without bound).
    pub fn cost(&self) -> usize {
        self.text.len()
            + self
                .unresolved
                .iter()
                .chain(self.holes.iter().map(|hole| &hole.source))
                .map(String::len)
                .sum::<usize>()
    }

    /// The text with the offset one past its end, `end`.
    pub fn finish(mut self, end: usize) -> Text {
        self.offsets.push(end);
        self.offsets.truncate(self.text.len() + 1);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_from_elsewhere_maps_to_its_reference_and_its_holes_move_with_it() {
        let mut text = Text::literal("a ".into(), vec![10, 11]);
        let mut local = Text::literal("xy".into(), vec![50, 51]);
        local.extend(Text::unresolved("var.v".into(), 60), None);
        text.extend(local, Some(20));
        assert_eq!(text.text, "a xy");
        assert_eq!(text.offsets, [10, 11, 20, 20]);
        assert_eq!(
            text.holes,
            [Hole {
                at: 4,
                source: "var.v".into(),
                offset: 20
            }]
        );
        assert_eq!(text.unresolved, ["var.v"]);
        assert_eq!(text.cost(), 4 + 5 + 5);
        assert_eq!(text.finish(30).offsets, [10, 11, 20, 20, 30]);
    }
}
