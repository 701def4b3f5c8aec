//! The document guard: bounds a GraphQL request in time linear in its size, before
//! async-graphql's parser and validators (which recurse into values and expand fragment spreads
//! once per use) ever see it.
//!
//! Three checks, in order:
//! 1. [`check_nesting`] scans the document text once, without recursion, and refuses brackets
//!    (`{`, `[`, `(`) nested deeper than the limit: selection sets, arguments, list and object
//!    values, variable defaults and directive arguments alike.
//! 2. [`check_variables`] walks the variables' values with an explicit stack and refuses lists and
//!    objects nested deeper than the same limit.
//! 3. [`check_document`] counts, on the parsed document and memoised per fragment, the nodes
//!    (selections, directives, arguments, values) validation visits once every fragment spread
//!    is expanded, and the heavy root fields (those that replay the audit trail or aggregate the
//!    whole ledger) one operation holds; it refuses unknown, unused, cyclic and too deeply
//!    chained fragments, which async-graphql's validators would walk recursively before saying
//!    so. A tree of doubled spreads is refused from its size, which grows exponentially while
//!    the document grows linearly.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{Directive, ExecutableDocument, Selection, SelectionSet};
use async_graphql::parser::Positioned;
use async_graphql::Name;
// The parser's values (variables not yet resolved); async-graphql re-exports only the const form.
use async_graphql::{Value as ConstValue, Variables};
use async_graphql_value::Value;

/// What one request may hold; the defaults are in [`GuardLimits::default`].
#[derive(Debug, Clone, Copy)]
pub struct GuardLimits {
    /// Deepest bracket nesting of the document, and deepest list/object nesting of a variable.
    pub nesting: usize,
    /// Nodes (selections, directives, arguments, values) validation visits once every
    /// fragment spread is expanded.
    pub expanded_fields: u64,
    /// Heavy root fields ([`HEAVY_FIELDS`]) one operation may select, aliases included.
    pub heavy_fields: u64,
}

impl Default for GuardLimits {
    fn default() -> Self {
        Self {
            nesting: 64,
            expanded_fields: 10_000,
            heavy_fields: 5,
        }
    }
}

/// Root fields whose work grows with the whole ledger or the whole trail rather than with a
/// page: they replay the audit trail (`asOf`, `trend`, bulletins), aggregate every measure in
/// scope, or recompute every hash. Each is also priced in the complexity limit.
pub const HEAVY_FIELDS: &[&str] = &[
    "ledgerStats",
    "ledgerStatsBy",
    "unitRanking",
    "trend",
    "verifyAudit",
    "verifyCheckpoint",
    "generateBulletin",
    "supervisionCounts",
    "feedbackCounts",
    "missingReports",
    "lateAcknowledgements",
    "inbox",
];

/// A refused request: the message says which limit and by how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

/// Refuses a document whose brackets nest deeper than `max`; strings, block strings and
/// comments are skipped, so a bracket inside a text does not count.
pub fn check_nesting(query: &str, max: usize) -> Result<(), Refusal> {
    let bytes = query.as_bytes();
    let (mut i, mut depth) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = skip_comment(bytes, i),
            b'"' if bytes[i..].starts_with(b"\"\"\"") => i = skip_block_string(bytes, i + 3),
            b'"' => i = skip_string(bytes, i + 1),
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > max {
                    return Err(Refusal(format!(
                        "the document nests brackets deeper than {max} levels (at byte {i}); \
                         send a flatter value"
                    )));
                }
                i += 1;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn skip_comment(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |n| start + n)
}

/// A string ends at its closing quote or, being invalid there, at a line end: brackets after
/// an unterminated string are counted rather than hidden.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_block_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes[i..].starts_with(b"\\\"\"\"") {
            i += 4;
        } else if bytes[i..].starts_with(b"\"\"\"") {
            return i + 3;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// Refuses a variable whose lists and objects nest deeper than `max`.
pub fn check_variables(variables: &Variables, max: usize) -> Result<(), Refusal> {
    for (name, value) in variables.iter() {
        let mut stack: Vec<(&ConstValue, usize)> = vec![(value, 1)];
        while let Some((value, depth)) = stack.pop() {
            let (ConstValue::List(_) | ConstValue::Object(_)) = value else {
                continue;
            };
            if depth > max {
                return Err(Refusal(format!(
                    "variable ${name} nests lists or objects deeper than {max} levels"
                )));
            }
            match value {
                ConstValue::List(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
                ConstValue::Object(fields) => stack.extend(fields.values().map(|v| (v, depth + 1))),
                _ => {}
            }
        }
    }
    Ok(())
}

/// What a selection set holds directly, and the fragments it spreads.
#[derive(Default)]
struct Tally<'a> {
    /// Nodes the validators visit in the set and below it, not counting what spreads bring:
    /// every selection (field, spread, inline fragment), directive, argument and value.
    weight: u64,
    /// Heavy fields at the top of the set (through inline fragments too).
    heavy: u64,
    /// Every spread in the set or below it.
    spreads: Vec<&'a str>,
    /// The spreads at the top of the set: their heavy fields are root fields too.
    top_spreads: Vec<&'a str>,
}

/// What one fragment costs once expanded.
#[derive(Debug, Clone, Copy, Default)]
struct Expanded {
    weight: u64,
    heavy: u64,
    /// The longest chain of spreads below it, itself included.
    chain: u64,
}

type Arguments = [(Positioned<Name>, Positioned<Value>)];

/// Nodes of argument values; their nesting is bounded by [`check_nesting`].
fn value_nodes(value: &Value) -> u64 {
    match value {
        Value::List(items) => items.iter().fold(1, |n, v| n.saturating_add(value_nodes(v))),
        Value::Object(fields) => fields.values().fold(1, |n, v| n.saturating_add(value_nodes(v))),
        _ => 1,
    }
}

fn arguments_weight(arguments: &Arguments) -> u64 {
    arguments
        .iter()
        .fold(0, |n, (_, v)| n.saturating_add(1).saturating_add(value_nodes(&v.node)))
}

fn directives_weight(directives: &[Positioned<Directive>]) -> u64 {
    directives.iter().fold(0, |n, d| {
        n.saturating_add(1).saturating_add(arguments_weight(&d.node.arguments))
    })
}

/// Walks a selection set; its depth is bounded by [`check_nesting`], so recursion is safe.
fn tally<'a>(set: &'a SelectionSet, top: bool, out: &mut Tally<'a>) {
    for selection in &set.items {
        out.weight = out.weight.saturating_add(1);
        match &selection.node {
            Selection::Field(field) => {
                let f = &field.node;
                out.weight = out
                    .weight
                    .saturating_add(arguments_weight(&f.arguments))
                    .saturating_add(directives_weight(&f.directives));
                if top && HEAVY_FIELDS.contains(&f.name.node.as_str()) {
                    out.heavy += 1;
                }
                tally(&f.selection_set.node, false, out);
            }
            Selection::InlineFragment(inline) => {
                out.weight = out.weight.saturating_add(directives_weight(&inline.node.directives));
                tally(&inline.node.selection_set.node, top, out);
            }
            Selection::FragmentSpread(spread) => {
                out.weight = out.weight.saturating_add(directives_weight(&spread.node.directives));
                let name = spread.node.fragment_name.node.as_str();
                out.spreads.push(name);
                if top {
                    out.top_spreads.push(name);
                }
            }
        }
    }
}

/// The expanded cost of every fragment, computed once each in dependency order with an
/// explicit stack. Refused here, before async-graphql's validators recurse through them: a
/// spread of a fragment that does not exist, a cycle of spreads, a chain of spreads longer than
/// [`MAX_SPREAD_CHAIN`].
type Tallies<'a> = HashMap<&'a str, Tally<'a>>;

fn expand_fragments(doc: &ExecutableDocument) -> Result<(HashMap<&str, Expanded>, Tallies<'_>), Refusal> {
    let tallies: Tallies = doc
        .fragments
        .iter()
        .map(|(name, fragment)| {
            let mut t = Tally {
                weight: directives_weight(&fragment.node.directives),
                ..Default::default()
            };
            tally(&fragment.node.selection_set.node, true, &mut t);
            (name.as_str(), t)
        })
        .collect();
    let mut done: HashMap<&str, Expanded> = HashMap::with_capacity(tallies.len());
    let mut on_path: HashSet<&str> = HashSet::new();
    for &root in tallies.keys() {
        let mut stack = vec![(root, false)];
        while let Some((name, children_done)) = stack.pop() {
            if done.contains_key(name) {
                continue;
            }
            let t = tallies
                .get(name)
                .ok_or_else(|| Refusal(format!("unknown fragment {name}")))?;
            if children_done {
                on_path.remove(name);
                let e = sum(t, &done);
                if e.chain > MAX_SPREAD_CHAIN {
                    return Err(Refusal(format!(
                        "fragment spreads are chained deeper than {MAX_SPREAD_CHAIN} fragments (at {name})"
                    )));
                }
                done.insert(name, e);
                continue;
            }
            if !on_path.insert(name) {
                return Err(Refusal(format!("fragment {name} spreads itself")));
            }
            stack.push((name, true));
            for &child in &t.spreads {
                if on_path.contains(child) {
                    return Err(Refusal(format!("fragment {child} spreads itself")));
                }
                if !done.contains_key(child) {
                    stack.push((child, false));
                }
            }
        }
    }
    Ok((done, tallies))
}

/// A set's own tally plus what its spreads bring; every spread is known by then.
fn sum(t: &Tally, done: &HashMap<&str, Expanded>) -> Expanded {
    let get = |s: &&str| done.get(s).copied().unwrap_or_default();
    Expanded {
        weight: t.spreads.iter().fold(t.weight, |n, s| n.saturating_add(get(s).weight)),
        heavy: t
            .top_spreads
            .iter()
            .fold(t.heavy, |n, s| n.saturating_add(get(s).heavy)),
        chain: 1 + t.spreads.iter().map(|s| get(s).chain).max().unwrap_or(0),
    }
}

/// Longest chain of fragment spreads (async-graphql's own recursion stops at 32 levels).
pub const MAX_SPREAD_CHAIN: u64 = 32;

/// Refuses a document whose validation would visit more than `limits.expanded_fields` nodes
/// once its fragments are expanded (each fragment definition expanded once more, as the
/// validators also walk each one where it is defined), a fragment no operation uses, or an operation with
/// more than `limits.heavy_fields` heavy root fields.
pub fn check_document(doc: &ExecutableDocument, limits: &GuardLimits) -> Result<(), Refusal> {
    let (fragments, tallies) = expand_fragments(doc)?;
    let mut weight = fragments.values().fold(0u64, |n, e| n.saturating_add(e.weight));
    let mut used: HashSet<&str> = HashSet::new();
    for (_, operation) in doc.operations.iter() {
        let mut t = Tally::default();
        tally(&operation.node.selection_set.node, true, &mut t);
        let e = sum(&t, &fragments);
        weight = weight.saturating_add(e.weight);
        if e.heavy > limits.heavy_fields {
            return Err(Refusal(format!(
                "one request may hold at most {} of the fields that replay the audit trail or \
                 aggregate the whole ledger ({}); this one holds {}: send them in separate \
                 requests",
                limits.heavy_fields,
                HEAVY_FIELDS.join(", "),
                e.heavy
            )));
        }
        reachable(&t.spreads, &tallies, &mut used);
    }
    if let Some(unused) = doc.fragments.keys().find(|name| !used.contains(name.as_str())) {
        return Err(Refusal(format!("fragment {unused} is never used")));
    }
    if weight > limits.expanded_fields {
        return Err(Refusal(format!(
            "the document selects {weight} fields, directives and arguments once its fragments \
             are expanded; at most {} are allowed",
            limits.expanded_fields
        )));
    }
    Ok(())
}

/// Root fields that open an introspection subtree: everything below them is schema metadata.
pub const INTROSPECTION_ROOTS: &[&str] = &["__schema", "__type"];

/// How deep an operation's selections go, fields counted as async-graphql counts them (the
/// root field is level 1), with fragment spreads expanded.
///
/// Introspection is measured apart: the standard introspection query of graphql-js
/// (`getIntrospectionQuery()`) reaches 14 levels through nine `ofType`s, while a request for
/// data needs far fewer. A path through `__schema` or `__type` counts in `introspection`, every
/// other path in `ordinary`, and each has its own limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Depth {
    pub ordinary: usize,
    pub introspection: usize,
}

impl Depth {
    fn merge(self, other: Depth) -> Depth {
        Depth {
            ordinary: self.ordinary.max(other.ordinary),
            introspection: self.introspection.max(other.introspection),
        }
    }
}

/// The deepest selections of every operation of a document that [`check_document`] accepted
/// (every spread known, no cycle). Each fragment is measured once per mode (inside or outside
/// introspection), so the time is linear in the document; the recursion follows the document's
/// nesting, which [`check_nesting`] and [`MAX_SPREAD_CHAIN`] bound.
pub fn selection_depth(doc: &ExecutableDocument) -> Depth {
    let mut memo = HashMap::new();
    doc.operations.iter().fold(Depth::default(), |deepest, (_, operation)| {
        deepest.merge(set_depth(
            doc,
            &operation.node.selection_set.node,
            Place::Root,
            &mut memo,
        ))
    })
}

/// Where a selection set sits: at the root of an operation (where `__schema` and `__type`
/// are), below an ordinary field, or inside an introspection subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Place {
    Root,
    Data,
    Introspection,
}

type DepthMemo<'a> = HashMap<(&'a str, Place), Depth>;

fn set_depth<'a>(doc: &'a ExecutableDocument, set: &'a SelectionSet, place: Place, memo: &mut DepthMemo<'a>) -> Depth {
    set.items.iter().fold(Depth::default(), |deepest, selection| {
        let here = match &selection.node {
            Selection::Field(field) => field_depth(doc, &field.node, place, memo),
            Selection::InlineFragment(inline) => set_depth(doc, &inline.node.selection_set.node, place, memo),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if let Some(known) = memo.get(&(name, place)) {
                    *known
                } else {
                    let measured = doc
                        .fragments
                        .get(&spread.node.fragment_name.node)
                        .map_or_else(Depth::default, |fragment| {
                            set_depth(doc, &fragment.node.selection_set.node, place, memo)
                        });
                    memo.insert((name, place), measured);
                    measured
                }
            }
        };
        deepest.merge(here)
    })
}

fn field_depth<'a>(
    doc: &'a ExecutableDocument,
    field: &'a async_graphql::parser::types::Field,
    place: Place,
    memo: &mut DepthMemo<'a>,
) -> Depth {
    let opens = place == Place::Root && INTROSPECTION_ROOTS.contains(&field.name.node.as_str());
    if opens || place == Place::Introspection {
        let below = set_depth(doc, &field.selection_set.node, Place::Introspection, memo);
        // Below an introspection root every path is introspection.
        return Depth {
            ordinary: 0,
            introspection: 1 + below.introspection,
        };
    }
    // Introspection opens only at the root, so nothing below a field of data is introspection.
    let below = set_depth(doc, &field.selection_set.node, Place::Data, memo);
    Depth {
        ordinary: 1 + below.ordinary,
        introspection: 0,
    }
}

/// Marks the fragments reachable from `spreads` (all known and acyclic by now).
fn reachable<'a>(spreads: &[&'a str], tallies: &Tallies<'a>, used: &mut HashSet<&'a str>) {
    let mut stack: Vec<&str> = spreads.to_vec();
    while let Some(name) = stack.pop() {
        if used.insert(name) {
            stack.extend(tallies.get(name).map_or(&[][..], |t| &t.spreads[..]));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).unwrap()
    }

    #[test]
    fn brackets_inside_strings_and_comments_do_not_count() {
        let deep = "[".repeat(100);
        let q = format!("{{ a(s: \"{deep}\", b: \"\"\"{deep} \\\"\"\" {deep}\"\"\") # {deep}\n }}");
        assert_eq!(check_nesting(&q, 3), Ok(()));
        assert!(check_nesting(&format!("{{ a(s: {deep}) }}"), 64).is_err());
    }

    #[test]
    fn nesting_is_counted_up_to_the_limit_exactly() {
        let at = format!("{{ a(v: {}{}) }}", "[".repeat(8), "]".repeat(8));
        assert_eq!(check_nesting(&at, 10), Ok(()));
        assert!(check_nesting(&at, 9).is_err());
    }

    #[test]
    fn doubled_fragment_spreads_are_sized_without_expanding_them() {
        let tree = |levels: usize, leaf: &str| {
            let mut q = String::from("{ ...F0 }\n");
            for i in 0..levels {
                q.push_str(&format!("fragment F{i} on Query {{ ...F{n} ...F{n} }}\n", n = i + 1));
            }
            q.push_str(&format!("fragment F{levels} on Query {{ {leaf} }}\n"));
            q
        };
        let limits = GuardLimits::default();
        let err = check_document(&parse(&tree(30, "__typename")), &limits).unwrap_err();
        assert!(err.0.contains("once its fragments are expanded"), "{}", err.0);
        // Spreads cost what fields do: a tree of spreads that ends nowhere is no cheaper.
        let err = check_document(&parse(&tree(30, "...Nowhere")), &limits).unwrap_err();
        assert!(err.0.contains("unknown fragment Nowhere"), "{}", err.0);
        let err = check_document(&parse(&tree(30, "...F0")), &limits).unwrap_err();
        assert!(err.0.contains("spreads itself"), "{}", err.0);
        let err = check_document(&parse(&tree(60, "__typename")), &limits).unwrap_err();
        assert!(err.0.contains("chained deeper than 32"), "{}", err.0);
        assert_eq!(check_document(&parse(&tree(10, "__typename")), &limits), Ok(()));
    }

    #[test]
    fn heavy_fields_are_counted_through_fragments_and_aliases() {
        let limits = GuardLimits::default();
        let q =
            "{ a: ledgerStats { total } ...R } fragment R on Query { b: trend { x } ... { c: verifyAudit { ok } } }";
        assert_eq!(check_document(&parse(q), &limits), Ok(()));
        let six = "{ ...R ...R } fragment R on Query { a: ledgerStats { total } b: trend { x } c: unitRanking { x } }";
        assert!(check_document(&parse(six), &limits).is_err());
        // Deeper than the root they are not root fields (and no such field exists there).
        let nested = "{ me { a: ledgerStats b: trend c: trend d: trend e: trend f: trend } }";
        assert_eq!(check_document(&parse(nested), &limits), Ok(()));
    }

    #[test]
    fn unused_fragments_and_repeated_directives_are_counted() {
        let limits = GuardLimits::default();
        let unused = "{ __typename } fragment A on Query { ...B } fragment B on Query { __typename }";
        assert!(check_document(&parse(unused), &limits)
            .unwrap_err()
            .0
            .contains("never used"));
        // 200 directives with an argument each, spread 100 times: 60 000 nodes for validation.
        let directives = "@include(if: true) ".repeat(200);
        let q = format!(
            "{{ {} }} fragment D on Query {{ __typename {directives} }}",
            (0..100)
                .map(|i| format!("a{i}: me {{ ...D }}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let err = check_document(&parse(&q), &limits).unwrap_err();
        assert!(err.0.contains("once its fragments are expanded"), "{}", err.0);
    }

    #[test]
    fn every_heavy_field_is_a_root_field_of_the_served_schema() {
        let sdl = crate::graphql::sdl();
        let roots: Vec<&str> = ["type QueryRoot {", "type MutationRoot {"]
            .iter()
            .filter_map(|t| sdl.split(t).nth(1).and_then(|rest| rest.split("\n}").next()))
            .collect();
        for field in HEAVY_FIELDS {
            let declared = roots
                .iter()
                .any(|body| body.contains(&format!("\t{field}(")) || body.contains(&format!("\t{field}:")));
            assert!(
                declared,
                "{field} is not a root field: renamed without updating HEAVY_FIELDS?"
            );
        }
    }

    #[test]
    fn introspection_is_measured_apart_from_the_selections_of_data() {
        let depth = |q: &str| selection_depth(&parse(q));
        assert_eq!(
            depth("{ a { b { c } } }"),
            Depth {
                ordinary: 3,
                introspection: 0
            }
        );
        assert_eq!(
            depth("{ __schema { types { fields { type { ofType { name } } } } } me { id } }"),
            Depth {
                ordinary: 2,
                introspection: 6
            }
        );
        // Through fragments, and a fragment used inside and outside introspection.
        let q = "{ __type(name: \"X\") { ...T } a { ...T } } fragment T on __Type { b { c { d } } }";
        assert_eq!(
            depth(q),
            Depth {
                ordinary: 4,
                introspection: 4
            }
        );
        // __schema below an ordinary field is not a root: it counts as data.
        assert_eq!(
            depth("{ a { __schema { b } } }"),
            Depth {
                ordinary: 3,
                introspection: 0
            }
        );
        assert_eq!(
            depth("{ __typename }"),
            Depth {
                ordinary: 1,
                introspection: 0
            }
        );
    }

    #[test]
    fn a_spread_cycle_is_refused_without_looping() {
        let q = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
        assert!(check_document(&parse(q), &GuardLimits::default()).is_err());
    }

    #[test]
    fn deep_variables_are_refused_without_recursion() {
        let mut value = ConstValue::Null;
        for _ in 0..100_000 {
            value = ConstValue::List(vec![value]);
        }
        let variables = Variables::from_value(ConstValue::Object(
            [(async_graphql::Name::new("v"), value)].into_iter().collect(),
        ));
        assert!(check_variables(&variables, 64).is_err());
        // Dropping a value this deep recurses too: take it apart iteratively.
        let mut rest = variables.into_value();
        loop {
            match rest {
                ConstValue::List(mut items) if !items.is_empty() => rest = items.remove(0),
                ConstValue::Object(mut fields) => match fields.pop() {
                    Some((_, v)) => rest = v,
                    None => break,
                },
                _ => break,
            }
        }
    }
}
