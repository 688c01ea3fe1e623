//! The value layer the host readers share.
//!
//! [`Text`] is a string as far as a host file's literals resolve it, each byte mapped to where
//! it is written. `Value` is any value a host expression evaluates to (null, Boolean, number,
//! text, list, map, or unknown with what it depends on), one level at a time: a list's
//! elements and a map's fields stay the host's own unevaluated nodes until an operation needs
//! them, so a reader evaluates only what leads to a condition. Each value carries where it
//! came from: written literally, or read through defaults a deployment can override (its
//! `assumed`).
//!
//! The operations on values are written here once, over any `Host`: members and indexes,
//! safe (`.?`, `tryGet()`) or not (`Value::member`), `lookup()` with a default
//! (`Value::lookup`), `merge()`, spreads and `union()` (`merge`), `coalesce()` and `??`
//! (`coalesce`), null tests (`Value::null`) and a value's text where a string is wanted
//! (`Value::into_text`); unknowns propagate through each, and a map only a deployment knows
//! leaves what it may replace read on a stated assumption. A host says where its language
//! differs in its `Rules`; ARCHITECTURE.md lists the differences.

mod combine;
mod entries;
#[cfg(test)]
mod tests;
mod text;

pub(crate) use combine::{coalesce, equals, merge};
pub(crate) use entries::Part;
pub use text::Text;

/// How much of an expression as written names a value in a report: a longer one is cut, so
/// that a value a chain of references leaves open costs no more than this to name (a chain of
/// `merge()`s around a long comment otherwise copied it at every step).
const NAME_BYTES: usize = 120;

/// `written` as the name of a value in a report: at most [`NAME_BYTES`] bytes of it, then `…`.
pub(crate) fn name_of(written: &str) -> String {
    if written.len() <= NAME_BYTES {
        return written.to_owned();
    }
    let mut end = NAME_BYTES;
    while !written.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", written.get(..end).unwrap_or(""))
}

/// Where Terraform, Bicep and ARM differ in what the shared operations do.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rules {
    /// Object keys match ignoring ASCII case (ARM at run time) or exactly (Terraform; Bicep,
    /// whose compiler refuses a member a literal object does not declare in its case).
    pub keys_ignore_case: bool,
    /// A list's element named by a numeric string key (`list["0"]`, which Terraform converts).
    pub numeric_keys_index_lists: bool,
    /// A Boolean's text where a string is wanted (Terraform's `true`/`false`); `None` where
    /// azabac does not follow the conversion (ARM's `format()` of a Boolean).
    pub bool_text: Option<[&'static str; 2]>,
    /// Whether the host compares strings exactly (Terraform's `==`, Bicep's `==`); ARM's
    /// `equals()` is not relied on for strings that differ only in case.
    pub text_case_known: bool,
}

/// How maps combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Merge {
    /// Terraform's `merge()`, Bicep's object spread (`{...a, k: v}`): a later map's key
    /// replaces the earlier value whole.
    Shallow,
    /// ARM's and Bicep's `union()`: maps under one key merge recursively (any other value
    /// under one key is replaced), and lists given whole are joined as sets.
    Deep,
}

/// A host language, as the shared operations see it.
pub(crate) trait Host {
    /// An expression (or written value) not evaluated yet, with what it needs to be.
    type Node: Clone;
    /// The host's rules.
    const RULES: Rules;
    /// The value `node` holds, one level deep; `depth` guards references that lead on.
    fn value(&self, node: &Self::Node, depth: usize) -> Value<Self::Node>;
    /// Charges `units` of work (done for the value at `at`) to the file's budget; `false`
    /// once it is spent.
    fn spend(&self, units: usize, at: usize) -> bool;
}

/// A value a host expression evaluates to, with where it came from: the node it is written
/// as, and the defaults it was read through.
#[derive(Clone, Debug)]
pub(crate) struct Value<N> {
    pub shape: Shape<N>,
    /// The defaults a deployment can override that the value was read through (`var.x`,
    /// `param p`, `parameters('p')`); empty where it is written literally.
    pub assumed: Vec<String>,
    /// The node the value is written as, where it is written whole (not built by an
    /// operation such as `merge()`): a reader that reports where an entry is written reads it.
    pub node: Option<N>,
}

/// What a value is.
#[derive(Clone, Debug)]
pub(crate) enum Shape<N> {
    Null,
    Bool(bool),
    /// A number as the host writes it.
    Number(String),
    Text(Text),
    List(Vec<Member<N>>),
    Map(Map<N>),
    Unknown(Unknown),
}

/// A list element or a map field: a node not evaluated yet, or a value an operation built
/// (a map `union()` merged).
#[derive(Clone, Debug)]
pub(crate) enum Member<N> {
    Node(N),
    Value(Box<Value<N>>),
}

/// A map's fields in the order written, and what only a deployment knows that may add
/// fields or replace them (a map `merge()` took that is not known here).
#[derive(Clone, Debug)]
pub(crate) struct Map<N> {
    pub fields: Vec<Field<N>>,
    /// What may add fields (or replace them), as written and where.
    pub open: Vec<Unknown>,
}

/// One field of a map.
#[derive(Clone, Debug)]
pub(crate) struct Field<N> {
    pub key: String,
    /// Where the key is written in the file.
    pub key_at: usize,
    pub value: Member<N>,
    /// What its reading assumes beyond the map's own (that a later map only a deployment
    /// knows does not replace it).
    pub assumed: Vec<String>,
}

/// A value that is not known here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unknown {
    /// What it is named by in a report, as written (`var.x`, `parameters('p')`).
    pub what: String,
    /// Where it is written.
    pub at: usize,
    /// Known to be absent (a member a literal value lacks: the host's error, which no
    /// deployment supplies), rather than supplied by a deployment.
    pub lacking: bool,
    /// A module's input, or a member of one: what the module's callers give (a Terraform
    /// variable, a Bicep or ARM parameter without a value here, an item of a loop over one),
    /// rather than what only a deployment knows (a resource's output).
    pub input: bool,
}

/// One step into a value: `.key`, `['key']` or `[0]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

impl<N> Value<N> {
    /// A value written literally.
    pub fn written(shape: Shape<N>) -> Self {
        Value {
            shape,
            assumed: Vec::new(),
            node: None,
        }
    }

    /// The value, written as `node`.
    pub fn at_node(mut self, node: N) -> Self {
        self.node = Some(node);
        self
    }

    /// A value only a deployment knows, named `what`, written at `at`.
    pub fn unknown(what: impl Into<String>, at: usize) -> Self {
        Value::written(Shape::Unknown(Unknown {
            what: what.into(),
            at,
            lacking: false,
            input: false,
        }))
    }

    /// A module's input not known here (`what` at `at`): what its callers give.
    pub fn input(what: impl Into<String>, at: usize) -> Self {
        Value::written(Shape::Unknown(Unknown {
            what: what.into(),
            at,
            lacking: false,
            input: true,
        }))
    }

    /// Whether a choice not decided here between `a` and `b` (a ternary on what only a
    /// deployment knows) is the module's input or nothing: each branch `null` or an input,
    /// one at least an input (`empty(condition) ? null : condition`).
    pub fn input_or_null(a: &Self, b: &Self) -> bool {
        let input = |v: &Self| matches!(&v.shape, Shape::Unknown(u) if u.input);
        let either = |v: &Self| input(v) || matches!(v.shape, Shape::Null);
        either(a) && either(b) && (input(a) || input(b))
    }

    /// A value known to be absent (`what` at `at`): a member a literal value lacks.
    pub fn lacking(what: impl Into<String>, at: usize) -> Self {
        Value::written(Shape::Unknown(Unknown {
            what: what.into(),
            at,
            lacking: true,
            input: false,
        }))
    }

    /// The value, read through `assumed` too.
    pub fn assuming(mut self, assumed: impl IntoIterator<Item = String>) -> Self {
        self.assumed.extend(assumed);
        self
    }

    /// `Some` with the defaults it was read through where the value is `null` (under those
    /// defaults there is no value, such as a condition left out); `None` where it is anything
    /// else or not known.
    pub fn as_null(&self) -> Option<&[String]> {
        matches!(self.shape, Shape::Null).then_some(self.assumed.as_slice())
    }

    /// The value's text where a string is wanted, every byte (and hole) of a string from
    /// elsewhere mapped to the reference at `at` once `spend` accepts its cost (the file's
    /// budget); a number's digits, a Boolean's as the host converts it. A member a literal
    /// value lacks is the host's error (no hole); an unknown is named as it is; anything else
    /// (a list, a map, `null`) is no string at all, named `what` (no hole either).
    pub fn into_text<H: Host<Node = N>>(
        self,
        (what, at): (&str, usize),
        spend: impl FnOnce(usize) -> bool,
    ) -> Text {
        let mut out = Text::default();
        match self.shape {
            Shape::Text(text) => {
                if spend(text.cost()) {
                    out.extend(text, Some(at));
                }
            }
            Shape::Number(digits) => out.push(&digits, at),
            Shape::Bool(b) => match H::RULES.bool_text {
                Some([yes, no]) => out.push(if b { yes } else { no }, at),
                // A conversion azabac does not follow: not known here.
                None => out = Text::unresolved(what.to_owned(), at),
            },
            Shape::Unknown(unknown) if unknown.lacking => out = Text::missing(unknown.what),
            Shape::Unknown(unknown) if unknown.input => out = Text::input(unknown.what, unknown.at),
            Shape::Unknown(unknown) => out = Text::unresolved(unknown.what, unknown.at),
            // Known, and no string: the host's error, not a value a deployment supplies.
            _ => out = Text::missing(what.to_owned()),
        }
        out.assumed.extend(self.assumed);
        out
    }

    /// The value as JSON, every member evaluated (to the host's depth limit `depth` counts
    /// toward); `None` where anything in it is known only at deployment.
    pub fn into_json<H: Host<Node = N>>(self, host: &H, depth: usize) -> Option<serde_json::Value>
    where
        N: Clone,
    {
        use serde_json::Value as Json;
        if depth > crate::limits::VALUE_MAX_JSON_DEPTH {
            return None;
        }
        Some(match self.shape {
            Shape::Null => Json::Null,
            Shape::Bool(b) => Json::Bool(b),
            Shape::Number(digits) => serde_json::from_str(&digits).ok()?,
            Shape::Text(text) if text.unresolved.is_empty() => Json::String(text.text),
            Shape::List(items) => Json::Array(
                items
                    .into_iter()
                    .map(|item| force(host, item, depth).into_json(host, depth + 1))
                    .collect::<Option<_>>()?,
            ),
            Shape::Map(map) if map.open.is_empty() => Json::Object(
                map.fields
                    .into_iter()
                    .map(|field| {
                        let value = force(host, field.value, depth).into_json(host, depth + 1)?;
                        Some((field.key, value))
                    })
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }

    /// Whether only a deployment knows the value (it is unknown here, and not known to be
    /// lacking).
    pub fn is_from_deployment(&self) -> bool {
        matches!(&self.shape, Shape::Unknown(unknown) if !unknown.lacking)
    }

    /// The unknown this value is, if it is one.
    #[cfg(test)]
    pub fn as_unknown(&self) -> Option<&Unknown> {
        match &self.shape {
            Shape::Unknown(unknown) => Some(unknown),
            _ => None,
        }
    }

    /// The member `step` names: a map's field (its key compared by the host's rules), a
    /// list's element; `null` for a safe step (`.?key`, `tryGet()`) the value lacks or into
    /// `null`; known to be absent for an unsafe one; unknown where the value is, or where a
    /// map only a deployment knows may add the key. `what` names the member in a report, and
    /// `at` is where it is written.
    pub fn member<H>(
        self,
        host: &H,
        (step, safe): (&Step, bool),
        (what, at): (&str, usize),
        depth: usize,
    ) -> Self
    where
        H: Host<Node = N>,
        N: Clone,
    {
        let Value { shape, assumed, .. } = self;
        let lacks = |assumed: Vec<String>| {
            if safe {
                Value::written(Shape::Null).assuming(assumed)
            } else {
                Value::lacking(what, at)
            }
        };
        let found = match (shape, step) {
            (Shape::Map(map), Step::Key(key)) => {
                let position = map.fields.iter().rposition(|f| same_key::<H>(&f.key, key));
                // A field before a key only a deployment knows may be replaced by it: read on
                // the field's stated assumption (see `merge`).
                match position {
                    Some(i) => {
                        let field = map.fields.into_iter().nth(i);
                        field.map(|field| {
                            let mut value = force(host, field.value, depth);
                            value.assumed.extend(field.assumed);
                            value
                        })
                    }
                    None if !map.open.is_empty() => {
                        return Value::unknown(what, at).assuming(assumed);
                    }
                    None => return lacks(assumed),
                }
            }
            (Shape::List(items), step) => {
                let index = match step {
                    Step::Index(index) => Some(*index),
                    Step::Key(key) if H::RULES.numeric_keys_index_lists => key.parse().ok(),
                    Step::Key(_) => None,
                };
                match index.and_then(|i| items.into_iter().nth(i)) {
                    Some(item) => Some(force(host, item, depth)),
                    None => return lacks(assumed),
                }
            }
            (Shape::Unknown(unknown), _) => {
                return Value::written(Shape::Unknown(unknown)).assuming(assumed);
            }
            (Shape::Null, _) if safe => None,
            _ => return lacks(assumed),
        };
        match found {
            Some(mut value) => {
                let mut all = assumed;
                all.append(&mut value.assumed);
                value.assumed = all;
                value
            }
            None => Value::written(Shape::Null).assuming(assumed),
        }
    }

    /// `lookup(map, key, default)`: the map's field `key`, or `default` (when given) where
    /// the map, known whole, lacks it; unknown where the map is or may add the key.
    pub fn lookup<H>(
        self,
        host: &H,
        key: &str,
        default: Option<Self>,
        (what, at): (&str, usize),
        depth: usize,
    ) -> Self
    where
        H: Host<Node = N>,
        N: Clone,
    {
        let lacks = match &self.shape {
            Shape::Map(map) => {
                map.open.is_empty() && !map.fields.iter().any(|f| same_key::<H>(&f.key, key))
            }
            _ => false,
        };
        match default {
            Some(default) if lacks => default.assuming(self.assumed),
            _ => self.member(host, (&Step::Key(key.to_owned()), false), (what, at), depth),
        }
    }
}

impl<N> Default for Map<N> {
    fn default() -> Self {
        Map {
            fields: Vec::new(),
            open: Vec::new(),
        }
    }
}

impl<N> Map<N> {
    /// The field `key` names by the host's rules (the last, where a key is repeated).
    pub fn field<H: Host>(&self, key: &str) -> Option<&Field<N>> {
        self.fields
            .iter()
            .rev()
            .find(|f| same_key::<H>(&f.key, key))
    }
}

impl<N> Value<N> {
    /// The step an index value takes (`[0]`, `['key']`), with the defaults it was read
    /// through; `None` where it is no index known here (a negative or fractional number, a
    /// string only a deployment knows, anything else).
    pub fn into_step(self) -> Option<(Step, Vec<String>)> {
        let step = match self.shape {
            Shape::Number(digits) => Step::Index(digits.parse().ok()?),
            Shape::Text(text) if text.unresolved.is_empty() => Step::Key(text.text),
            _ => return None,
        };
        Some((step, self.assumed))
    }
}

/// The value of a member.
pub(crate) fn force<H: Host>(host: &H, member: Member<H::Node>, depth: usize) -> Value<H::Node> {
    match member {
        Member::Node(node) => host.value(&node, depth + 1),
        Member::Value(value) => *value,
    }
}

/// Whether two keys name one field under the host's rules.
pub(super) fn same_key<H: Host>(a: &str, b: &str) -> bool {
    if H::RULES.keys_ignore_case {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}
