//! The disassembler: a stable, line-per-instruction listing of a [`Program`] with its slots
//! and constants (`azabac compile --disasm`).

use std::fmt::Write as _;

use super::program::{ACCEPT, Compare, Membership, Op, Program, REJECT, Source, Test};
use crate::span::line_column;
use crate::syntax::{OperatorFamily, Quantifier};

impl Program {
    /// The listing: slots, constants, then one line per instruction with the source line and
    /// column it came from.
    pub fn disassemble(&self) -> String {
        let (guid_sets, string_sets) = self.sets();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "; {}, {}, {}",
            count(self.code.len(), "instruction"),
            count(self.slots.len(), "slot"),
            count(
                self.constants.len() + guid_sets.len() + string_sets.len(),
                "constant"
            )
        );
        if !self.slots.is_empty() {
            let _ = writeln!(out, "slots:");
            for (i, name) in (0..self.slots.len()).filter_map(|i| Some((i, self.slot_name(i)?))) {
                let _ = writeln!(out, "  s{i:<3} {name}");
            }
        }
        let any_constants =
            !(self.constants.is_empty() && guid_sets.is_empty() && string_sets.is_empty());
        if any_constants {
            let _ = writeln!(out, "constants:");
        }
        let mut sets = |letter: char, what: &str, values: Vec<String>, i: usize| {
            let name = format!("{letter}{i}");
            let _ = writeln!(
                out,
                "  {name:<4} {what} set, sorted: {{{}}}",
                values.join(", ")
            );
        };
        for (i, set) in guid_sets.iter().enumerate() {
            let guids = self.guids.get(set.range()).unwrap_or_default();
            let values = guids.iter().map(|g| uuid::Uuid::from_u128(*g).to_string());
            sets('g', "guid", values.collect(), i);
        }
        for (i, set) in string_sets.iter().enumerate() {
            let strings = self.strings.get(set.range()).unwrap_or_default();
            sets(
                't',
                "string",
                strings.iter().map(|s| format!("'{s}'")).collect(),
                i,
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
            let text = self.instruction(instr.op, &guid_sets, &string_sets);
            let (line, column) = line_column(&self.source, self.span_at(pc).start());
            let _ = writeln!(
                out,
                "  {pc:04}  {text:<44} true {:<6} false {:<6} ; {line}:{column}",
                target(instr.on_true),
                target(instr.on_false),
            );
        }
        // Trailing spaces from padding would make snapshots fragile.
        out.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    }

    /// The sets of the GUID and of the string membership tests, each numbered by its place
    /// in the code.
    fn sets(&self) -> (Vec<Membership>, Vec<Membership>) {
        let (mut guids, mut strings) = (Vec::new(), Vec::new());
        for instr in &self.code {
            match instr.op {
                Op::GuidIn(m) => guids.push(m),
                Op::StrIn(m) => strings.push(m),
                _ => {}
            }
        }
        (guids, strings)
    }

    fn instruction(&self, op: Op, guid_sets: &[Membership], string_sets: &[Membership]) -> String {
        let number = |sets: &[Membership], m: Membership| {
            sets.iter()
                .position(|set| set.start == m.start)
                .unwrap_or(0)
        };
        let text = |i: u32| {
            self.strings
                .get(i as usize)
                .map_or("?", |s| &**s)
                .to_owned()
        };
        match op {
            Op::Const(value) => format!("const      {value}"),
            Op::Action { name, number } => match super::request::action_name(number) {
                Some(action) => format!("action.eq  '{action}'"),
                None => format!("action.eq  '{}'", text(name)),
            },
            Op::ActionGlob(i) => format!(
                "action.glob '{}'",
                self.globs.get(i as usize).map_or("?", |g| g.as_str())
            ),
            Op::SubOperation(i) => format!("subop.eq   '{}'", text(i)),
            Op::Exists(slot) => format!("exists     s{slot}"),
            Op::GuidIn(m) => format!(
                "guid.{}  s{} g{}",
                membership(m),
                m.slot,
                number(guid_sets, m)
            ),
            Op::StrIn(m) => format!(
                "str.{}{}  s{} t{}",
                membership(m),
                if m.fold { ".fold" } else { "" },
                m.slot,
                number(string_sets, m)
            ),
            Op::Text(t) => format!(
                "str.{}{}{}{}  s{} '{}'",
                t.relation.as_str(),
                if t.fold { ".fold" } else { "" },
                if t.negated { ".not" } else { "" },
                quantifier(t.single, t.all_left),
                t.slot,
                text(t.string)
            ),
            Op::Unary(u) => {
                let family = self
                    .constants
                    .get(u.constant as usize)
                    .and_then(|c| c.values.first())
                    .map_or(OperatorFamily::String, |v| v.family());
                format!(
                    "{}{}{}  s{} c{}",
                    test(u.test, family),
                    if u.negated { ".not" } else { "" },
                    quantifier(u.single, u.all_left),
                    u.slot,
                    u.constant
                )
            }
            Op::Compare(i) => match self.comparisons.get(i as usize) {
                Some(c) => compare(c),
                None => "compare ?".into(),
            },
        }
    }
}

/// `1 slot`, `2 slots`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A branch target: an instruction, `accept` or `reject`.
fn target(target: u32) -> String {
    match target {
        ACCEPT => "accept".into(),
        REJECT => "reject".into(),
        pc => format!("{pc:04}"),
    }
}

/// How a leaf quantifies over the attribute's values: `.all`, `.any`, or nothing when the
/// attribute must be single.
fn quantifier(single: bool, all_left: bool) -> &'static str {
    match (single, all_left) {
        (true, _) => "",
        (false, true) => ".all",
        (false, false) => ".any",
    }
}

fn membership(m: Membership) -> String {
    let relation = if m.member { "in" } else { "notin" };
    format!("{relation}{}", quantifier(m.single, m.all_left))
}

fn compare(c: &Compare) -> String {
    let source = |s: Source| match s {
        Source::Slot(i) => format!("s{i}"),
        Source::Constant(i) => format!("c{i}"),
    };
    let test = test(c.test, c.family);
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

/// A test's mnemonic, such as `str.like.fold` or `datetime.lessThan`.
fn test(test: Test, family: OperatorFamily) -> String {
    let fold = |fold: bool| if fold { ".fold" } else { "" };
    match test {
        Test::Str { relation, fold: f } => format!("str.{}{}", relation.as_str(), fold(f)),
        Test::LikeConstant { fold: f } => format!("str.like{}", fold(f)),
        Test::LikeDynamic { fold: f } => format!("str.like.dynamic{}", fold(f)),
        Test::Ordered(relation) => format!("{}.{}", family.as_str(), relation.as_str()),
        Test::Equal => format!("{}.equals", family.as_str()),
    }
}
