//! The disassembler: a stable, line-per-instruction listing of a [`Program`] with its slots
//! and constants (`azabac compile --disasm`).

use std::fmt::Write as _;

use super::program::{Compare, Instr, Membership, Program, Source, Test};
use crate::span::line_column;
use crate::syntax::Quantifier;

impl Program {
    /// The listing: slots, constants, then one line per instruction with the source line and
    /// column it came from.
    pub fn disassemble(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "; {} instructions, {} slots, {} constants",
            self.code.len(),
            self.slots.len(),
            self.constants.len() + self.guid_sets.len() + self.string_sets.len()
        );
        if !self.slots.is_empty() {
            let _ = writeln!(out, "slots:");
            for (i, name) in self.slot_names.iter().enumerate() {
                let _ = writeln!(out, "  s{i:<3} {name}");
            }
        }
        let any_constants = !(self.constants.is_empty()
            && self.guid_sets.is_empty()
            && self.string_sets.is_empty());
        if any_constants {
            let _ = writeln!(out, "constants:");
        }
        for (i, set) in self.guid_sets.iter().enumerate() {
            let values: Vec<String> = set
                .iter()
                .map(|g| uuid::Uuid::from_u128(*g).to_string())
                .collect();
            let _ = writeln!(out, "  g{i:<3} guid set, sorted: {{{}}}", values.join(", "));
        }
        for (i, set) in self.string_sets.iter().enumerate() {
            let values: Vec<String> = set.iter().map(|s| format!("'{s}'")).collect();
            let _ = writeln!(
                out,
                "  t{i:<3} string set, sorted: {{{}}}",
                values.join(", ")
            );
        }
        for (i, constant) in self.constants.iter().enumerate() {
            let values: Vec<String> = constant.values.iter().map(ToString::to_string).collect();
            let text = if constant.list {
                format!("{{{}}}", values.join(", "))
            } else {
                values.join(", ")
            };
            let shapes: Vec<&str> = constant.patterns.iter().map(|p| p.shape()).collect();
            let patterns = if shapes.is_empty() {
                String::new()
            } else {
                format!("  ; like: {}", shapes.join(", "))
            };
            let _ = writeln!(out, "  c{i:<3} {text}{patterns}");
        }
        let _ = writeln!(out, "code:");
        for (pc, instr) in self.code.iter().enumerate() {
            let text = self.instruction(*instr);
            let span = self.span_at(pc);
            let location = match instr {
                Instr::Not | Instr::JumpIfFalse(_) | Instr::JumpIfTrue(_) => String::new(),
                _ => {
                    let (line, column) = line_column(&self.source, span.start);
                    format!("; {line}:{column}")
                }
            };
            let _ = writeln!(out, "  {pc:04}  {text:<44} {location}");
        }
        // Trailing spaces from padding would make snapshots fragile.
        out.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    }

    fn instruction(&self, instr: Instr) -> String {
        let text = |i: u32| {
            self.strings
                .get(i as usize)
                .map_or("?", |s| &**s)
                .to_owned()
        };
        match instr {
            Instr::Const(value) => format!("const      {value}"),
            Instr::Action(i) => format!("action.eq  '{}'", text(i)),
            Instr::ActionGlob(i) => format!(
                "action.glob '{}'",
                self.globs.get(i as usize).map_or("?", |g| g.as_str())
            ),
            Instr::SubOperation(i) => format!("subop.eq   '{}'", text(i)),
            Instr::Exists(slot) => format!("exists     s{slot}"),
            Instr::GuidIn(m) => format!("guid.{}  s{} g{}", membership(m), m.slot, m.set),
            Instr::StrIn(m) => format!(
                "str.{}{}  s{} t{}",
                membership(m),
                if m.fold { ".fold" } else { "" },
                m.slot,
                m.set
            ),
            Instr::Compare(i) => match self.comparisons.get(i as usize) {
                Some(c) => compare(c),
                None => "compare ?".into(),
            },
            Instr::Not => "not".into(),
            Instr::JumpIfFalse(t) => format!("jump.false {t:04}"),
            Instr::JumpIfTrue(t) => format!("jump.true  {t:04}"),
        }
    }
}

fn membership(m: Membership) -> String {
    let quantifier = match (m.single, m.all_left) {
        (true, _) => "",
        (false, true) => ".all",
        (false, false) => ".any",
    };
    let relation = if m.member { "in" } else { "notin" };
    format!("{relation}{quantifier}")
}

fn compare(c: &Compare) -> String {
    let source = |s: Source| match s {
        Source::Slot(i) => format!("s{i}"),
        Source::Constant(i) => format!("c{i}"),
    };
    let test = match c.test {
        Test::Str { relation, fold } => {
            format!(
                "str.{}{}",
                relation.as_str(),
                if fold { ".fold" } else { "" }
            )
        }
        Test::LikeConstant { fold } => format!("str.like{}", if fold { ".fold" } else { "" }),
        Test::LikeDynamic { fold } => {
            format!("str.like.dynamic{}", if fold { ".fold" } else { "" })
        }
        Test::Ordered(relation) => format!("{}.{}", c.family.as_str(), relation.as_str()),
        Test::Equal => format!("{}.equals", c.family.as_str()),
    };
    let negated = if c.negated { ".not" } else { "" };
    let quantifier = match c.quantifier {
        None => "",
        Some(Quantifier::ForAnyOfAnyValues) => " any-any",
        Some(Quantifier::ForAllOfAnyValues) => " all-any",
        Some(Quantifier::ForAnyOfAllValues) => " any-all",
        Some(Quantifier::ForAllOfAllValues) => " all-all",
    };
    format!(
        "cmp {test}{negated}{quantifier} {} {}",
        source(c.left),
        source(c.right)
    )
}
