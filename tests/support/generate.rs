//! A type-directed generator of conditions and requests, shared by the property tests
//! (`tests/vm_reference.rs`) and the fuzz targets (`fuzz/`), which include this file with
//! `#[path]`. It draws every choice from a [`Choices`]: a seeded [`Rng`] in the tests, the
//! fuzzer's bytes in the fuzz targets, so that the fuzzer steers the same generator.
//!
//! Conditions are built from the catalogue's typed attributes with operators of their type,
//! so most are well typed; some compare an attribute with another of a different type.
//! Requests leave attributes out, give empty lists, and sometimes give a value of the wrong
//! type, so the error paths are exercised too.

#![allow(
    clippy::indexing_slicing,
    dead_code,
    reason = "indices are drawn below the length they index; each includer uses a part"
)]

use azabac::catalog::{Catalog, Form};
use azabac::eval::{Attribute, Request, Ticks, Value};
use azabac::syntax::{AttributeSource, BaseOperator, OperatorFamily, Quantifier, Relation};

/// Where the generator's choices come from.
pub trait Choices {
    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize;

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, which must not be empty.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A seeded xorshift generator: reproducible runs from a `u64`.
pub struct Rng(pub u64);

impl Choices for Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if n == 0 {
            0
        } else {
            (self.0 % n as u64) as usize
        }
    }
}

/// Choices read from bytes, four at a time (little-endian), reduced modulo the range; 0 once
/// the bytes run out. The fuzz targets steer the generator this way, and the regression tests
/// replay a fuzzer's input exactly.
pub struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Bytes<'a> {
        Bytes { data, at: 0 }
    }
}

impl Choices for Bytes<'_> {
    fn below(&mut self, n: usize) -> usize {
        let mut word = [0u8; 4];
        for byte in &mut word {
            *byte = self.data.get(self.at).copied().unwrap_or(0);
            self.at += 1;
        }
        if n == 0 {
            0
        } else {
            u32::from_le_bytes(word) as usize % n
        }
    }
}

/// The choices that make the largest condition: never a leaf before the depth runs out, always
/// the widest `AND`, comparisons of the longest attributes against the largest sets. The
/// generator must still write a valid condition (within Azure's 8192 bytes).
pub struct Widest;

impl Choices for Widest {
    fn below(&mut self, n: usize) -> usize {
        n.saturating_sub(1)
    }

    fn chance(&mut self, _percent: usize) -> bool {
        false
    }
}

/// How many leaves a generated condition has at most, so that even the longest attributes
/// and sets stay well within Azure's 8192 bytes.
const MAX_LEAVES: usize = 16;

/// An attribute conditions may read, with the type of its values.
#[derive(Clone, Debug)]
pub struct Attr {
    pub source: AttributeSource,
    /// As written inside the brackets.
    pub name: String,
    pub family: OperatorFamily,
    pub multi: bool,
}

pub const TAGS: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags";
const CSA: &str = "Microsoft.Directory/CustomSecurityAttributes/Id:";

pub const STRINGS: &[&str] = &[
    "",
    "a",
    "A",
    "ab",
    "Cascade",
    "cascade",
    "Project",
    "logs/x.txt",
    "LOGS/X.TXT",
    "é",
    "É",
    "ς",
    "Σ",
    "a*",
    "a?c",
    "it's",
    r"a\b",
];
const PATTERNS: &[&str] = &[
    "*", "a*", "A*", "logs*", "*x.txt", "?", "??", "a?", "*a*", r"a\*", r"a\?c", "é*", "Σ*", "*/*",
];
const INTEGERS: &[i64] = &[-5, 0, 1, 5, i64::MAX, i64::MIN];
const GUIDS: &[&str] = &[
    "53ca6127-db72-4b80-b1b0-d745d6d5456d",
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "acdd72a7-3385-48ef-bd42-f606fba81ae7",
];
const DATETIMES: &[&str] = &[
    "2022-06-01T00:00:00Z",
    "2022-06-01T00:00:00.0000001Z",
    "2023-05-01T13:00:00.5Z",
];
pub const ACTIONS: &[&str] = &[
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
    "Microsoft.Authorization/roleAssignments/write",
    "microsoft.authorization/roleassignments/DELETE",
];
const ACTION_PATTERNS: &[&str] = &[
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleAssignments/delete",
    "Microsoft.Authorization/*",
    "*/write",
    "*",
];
pub const SUBOPERATIONS: &[&str] = &["Blob.List", "Blob.Write.WithTagHeaders", "blob.list"];
const QUANTIFIERS: &[Quantifier] = &[
    Quantifier::ForAnyOfAnyValues,
    Quantifier::ForAllOfAnyValues,
    Quantifier::ForAnyOfAllValues,
    Quantifier::ForAllOfAllValues,
];

/// Generates conditions and requests over one catalogue's attributes.
pub struct Generator {
    attrs: Vec<Attr>,
}

impl Generator {
    /// The catalogue's typed attributes under each of their sources, custom security
    /// attributes of three types, and blob index tags by key and as a key list.
    pub fn new(catalog: &Catalog) -> Generator {
        let mut attrs = Vec::new();
        for info in catalog.attributes() {
            let Some(value_type) = info.entry.value_type else {
                continue;
            };
            if info.entry.form != Form::Exact
                || info.entry.name.eq_ignore_ascii_case("subOperation")
            {
                continue;
            }
            for source in &info.sources {
                attrs.push(Attr {
                    source: source.source,
                    name: info.entry.name.clone(),
                    family: value_type.family(),
                    multi: info.entry.multi_valued,
                });
            }
        }
        for (name, family, multi) in [
            ("Project", OperatorFamily::String, false),
            ("Teams", OperatorFamily::String, true),
            ("Level", OperatorFamily::Numeric, false),
            ("Levels", OperatorFamily::Numeric, true),
        ] {
            attrs.push(Attr {
                source: AttributeSource::Principal,
                name: format!("{CSA}{name}"),
                family,
                multi,
            });
        }
        for source in [AttributeSource::Request, AttributeSource::Resource] {
            for key in ["Project", "project"] {
                attrs.push(Attr {
                    source,
                    name: format!("{TAGS}:{key}<$key_case_sensitive$>"),
                    family: OperatorFamily::String,
                    multi: false,
                });
            }
            attrs.push(Attr {
                source,
                name: format!("{TAGS}&$keys$&"),
                family: OperatorFamily::String,
                multi: true,
            });
        }
        Generator { attrs }
    }

    /// Only the attributes the catalogue types (no custom security attributes, whose type
    /// and multiplicity only the request knows).
    pub fn catalogue_typed(mut self) -> Generator {
        self.attrs.retain(|a| !a.name.starts_with(CSA));
        self
    }

    /// The attributes conditions read.
    pub fn attributes(&self) -> &[Attr] {
        &self.attrs
    }

    /// A condition: up to four levels of `AND`, `OR` and `NOT` over at most [`MAX_LEAVES`]
    /// leaves.
    pub fn condition(&self, c: &mut impl Choices) -> String {
        let mut leaves = MAX_LEAVES;
        self.expr(c, 4, &mut leaves)
    }

    /// An expression; `leaves` is what is left of the leaf budget. A connective is chosen
    /// only while the budget can give its operands leaves; once it is spent, what is left to
    /// write is the constant `true`, so the text stays bounded.
    fn expr(&self, c: &mut impl Choices, depth: usize, leaves: &mut usize) -> String {
        if *leaves == 0 {
            return "true".to_owned();
        }
        if depth == 0 || *leaves < 4 || c.chance(35) {
            *leaves -= 1;
            return self.leaf(c);
        }
        // `AND` last, so that [`Widest`] builds the widest tree.
        match c.below(5) {
            0 => format!("NOT ({})", self.expr(c, depth - 1, leaves)),
            1 | 2 => format!("({})", self.operands(c, depth, leaves).join(" OR ")),
            _ => format!("({})", self.operands(c, depth, leaves).join(" AND ")),
        }
    }

    fn operands(&self, c: &mut impl Choices, depth: usize, leaves: &mut usize) -> Vec<String> {
        (0..2 + c.below(2))
            .map(|_| self.expr(c, depth - 1, leaves))
            .collect()
    }

    fn leaf(&self, c: &mut impl Choices) -> String {
        match c.below(12) {
            0 => format!("ActionMatches{{'{}'}}", c.pick(ACTION_PATTERNS)),
            1 => format!("SubOperationMatches{{'{}'}}", c.pick(SUBOPERATIONS)),
            2 => format!("Exists {}", attribute_text(c.pick(&self.attrs))),
            3 => c.chance(50).to_string(),
            _ => {
                let attr = c.pick(&self.attrs).clone();
                self.comparison(c, &attr)
            }
        }
    }

    /// A comparison whose left side is `attr`.
    fn comparison(&self, c: &mut impl Choices, attr: &Attr) -> String {
        let operators: Vec<BaseOperator> = BaseOperator::ALL
            .iter()
            .copied()
            .filter(|op| op.family() == attr.family)
            .collect();
        let op = *c.pick(&operators);
        let quantifier = if c.chance(70) {
            Some(*c.pick(QUANTIFIERS))
        } else {
            None
        }
        .filter(|_| op.is_quantifiable() || attr.multi);
        let like = op.relation() == Relation::Like;
        let operator = match quantifier {
            Some(q) => format!("{}:{}", q.name(), op.name()),
            None => op.name().to_owned(),
        };
        let left = attribute_text(attr);
        let shape = c.below(10);
        let right = match shape {
            // Another attribute, usually of the same type.
            0 | 1 => {
                let others: Vec<&Attr> = self
                    .attrs
                    .iter()
                    .filter(|a| shape == 1 || a.family == attr.family)
                    .collect();
                attribute_text(others[c.below(others.len())])
            }
            // A set (only meaningful with a quantifier).
            2 | 3 if quantifier.is_some() => {
                let items: Vec<String> = (0..1 + c.below(4))
                    .map(|_| literal(c, attr.family, like))
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
            _ => literal(c, attr.family, like),
        };
        // Literal on the left, sometimes (decision 7).
        if shape >= 4 && c.chance(50) {
            format!("{right} {operator} {left}")
        } else {
            format!("{left} {operator} {right}")
        }
    }

    /// A request: an action, suboperations, and each attribute present (60%) or absent;
    /// blob index tags under the request or the resource, or neither.
    pub fn request(&self, c: &mut impl Choices) -> Request {
        self.request_of(c, false)
    }

    /// A well-formed request: every value of its attribute's type, lists only for
    /// multi-valued attributes (what `Request::from_json` accepts for catalogue attributes).
    pub fn well_formed_request(&self, c: &mut impl Choices) -> Request {
        self.request_of(c, true)
    }

    fn request_of(&self, c: &mut impl Choices, well_formed: bool) -> Request {
        let mut request = Request::new(*c.pick(ACTIONS));
        for name in SUBOPERATIONS {
            if c.chance(30) {
                request = request.with_suboperation(*name);
            }
        }
        for attr in self.attrs.iter().filter(|a| !a.name.starts_with(TAGS)) {
            if c.chance(60) {
                let value = attribute_value(c, attr, well_formed);
                request = request.with(attr.source, &attr.name, value);
            }
        }
        if c.chance(66) {
            let source = *c.pick(&[AttributeSource::Request, AttributeSource::Resource]);
            let mut keys: Vec<&str> = Vec::new();
            for key in ["Project", "project", "Program"] {
                if c.chance(40) {
                    keys.push(key);
                }
            }
            let values = keys
                .iter()
                .map(|_| Value::string(*c.pick(STRINGS)))
                .collect();
            let keys = keys.into_iter().map(Value::string).collect();
            request = request.with(source, TAGS, Attribute::Dictionary { keys, values });
        }
        request
    }
}

pub fn attribute_text(attr: &Attr) -> String {
    format!("@{}[{}]", attr.source.name(), attr.name)
}

/// A literal of a family, as condition text.
fn literal(c: &mut impl Choices, family: OperatorFamily, like: bool) -> String {
    match family {
        OperatorFamily::String if like => format!("'{}'", c.pick(PATTERNS).replace('\'', r"\'")),
        OperatorFamily::String => format!(
            "'{}'",
            c.pick(STRINGS).replace('\\', r"\\").replace('\'', r"\'")
        ),
        OperatorFamily::Numeric => c.pick(INTEGERS).to_string(),
        OperatorFamily::Bool => c.chance(50).to_string(),
        OperatorFamily::DateTime => format!("'{}'", c.pick(DATETIMES)),
        OperatorFamily::Guid => {
            let guid = *c.pick(GUIDS);
            if c.chance(50) {
                guid.to_uppercase()
            } else {
                guid.to_owned()
            }
        }
    }
}

/// A value of a family; one in twenty is a string whatever the family, to reach the
/// type-error paths.
fn value(c: &mut impl Choices, family: OperatorFamily, well_formed: bool) -> Value {
    if !well_formed && c.chance(5) {
        return Value::string(*c.pick(STRINGS));
    }
    match family {
        OperatorFamily::String => Value::string(*c.pick(STRINGS)),
        OperatorFamily::Numeric => Value::Integer(*c.pick(INTEGERS)),
        OperatorFamily::Bool => Value::Bool(c.chance(50)),
        OperatorFamily::DateTime => Ticks::parse(DATETIMES[c.below(DATETIMES.len())])
            .map_or(Value::Integer(0), Value::DateTime),
        OperatorFamily::Guid => c.pick(GUIDS).parse().map_or(Value::Integer(0), Value::guid),
    }
}

/// A present attribute: lists (possibly empty) for multi-valued attributes, and now and then
/// a list where one value belongs.
fn attribute_value(c: &mut impl Choices, attr: &Attr, well_formed: bool) -> Attribute {
    let one = |c: &mut _| value(c, attr.family, well_formed);
    if attr.multi {
        Attribute::Multi((0..c.below(4)).map(|_| one(c)).collect())
    } else if !well_formed && c.chance(10) {
        Attribute::Multi((0..1 + c.below(2)).map(|_| one(c)).collect())
    } else {
        Attribute::Single(one(c))
    }
}
