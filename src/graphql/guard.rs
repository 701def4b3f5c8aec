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
//! 3. [`check_document`] counts, on the parsed document and memoised per fragment, the fields a
//!    request selects once every fragment spread is expanded, and the heavy root fields (those
//!    that replay the audit trail or aggregate the whole ledger) one operation holds. A chain of
//!    doubled spreads is refused from its size, which grows exponentially while the document grows
//!    linearly.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Value as ConstValue, Variables};

/// What one request may hold; the defaults are in [`GuardLimits::default`].
#[derive(Debug, Clone, Copy)]
pub struct GuardLimits {
    /// Deepest bracket nesting of the document, and deepest list/object nesting of a variable.
    pub nesting: usize,
    /// Fields selected once every fragment spread is expanded.
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
    "unitRanking",
    "trend",
    "verifyAudit",
    "verifyCheckpoint",
    "generateBulletin",
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
            let children: Box<dyn Iterator<Item = &ConstValue>> = match value {
                ConstValue::List(items) => Box::new(items.iter()),
                ConstValue::Object(fields) => Box::new(fields.values()),
                _ => continue,
            };
            if depth > max {
                return Err(Refusal(format!(
                    "variable ${name} nests lists or objects deeper than {max} levels"
                )));
            }
            stack.extend(children.map(|child| (child, depth + 1)));
        }
    }
    Ok(())
}

/// What a selection set holds directly, and the fragments it spreads.
#[derive(Default)]
struct Tally<'a> {
    /// Fields in the set and below it, not counting what spreads bring.
    fields: u64,
    /// Heavy fields at the top of the set (through inline fragments too).
    heavy: u64,
    /// Every spread in the set or below it.
    spreads: Vec<&'a str>,
    /// The spreads at the top of the set: their heavy fields are root fields too.
    top_spreads: Vec<&'a str>,
}

/// Walks a selection set; its depth is bounded by [`check_nesting`], so recursion is safe.
fn tally<'a>(set: &'a SelectionSet, top: bool, out: &mut Tally<'a>) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                out.fields += 1;
                if top && HEAVY_FIELDS.contains(&field.node.name.node.as_str()) {
                    out.heavy += 1;
                }
                tally(&field.node.selection_set.node, false, out);
            }
            Selection::InlineFragment(inline) => tally(&inline.node.selection_set.node, top, out),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                out.spreads.push(name);
                if top {
                    out.top_spreads.push(name);
                }
            }
        }
    }
}

/// The expanded size (fields, heavy root fields) of every fragment, computed once each in
/// dependency order with an explicit stack; a cycle of spreads is refused here (validation
/// would refuse it too, after expanding it).
fn expand_fragments(doc: &ExecutableDocument) -> Result<HashMap<&str, (u64, u64)>, Refusal> {
    let tallies: HashMap<&str, Tally> = doc
        .fragments
        .iter()
        .map(|(name, fragment)| {
            let mut t = Tally::default();
            tally(&fragment.node.selection_set.node, true, &mut t);
            (name.as_str(), t)
        })
        .collect();
    let mut done: HashMap<&str, (u64, u64)> = HashMap::with_capacity(tallies.len());
    let mut on_path: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for &root in tallies.keys() {
        let mut stack = vec![(root, false)];
        while let Some((name, children_done)) = stack.pop() {
            if done.contains_key(name) {
                continue;
            }
            let Some(t) = tallies.get(name) else {
                done.insert(name, (0, 0)); // unknown fragment: validation names it
                continue;
            };
            if children_done {
                on_path.remove(name);
                done.insert(name, sum(t, &done));
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
    Ok(done)
}

fn sum(t: &Tally, done: &HashMap<&str, (u64, u64)>) -> (u64, u64) {
    let fields = t
        .spreads
        .iter()
        .fold(t.fields, |n, s| n.saturating_add(done.get(s).map_or(0, |d| d.0)));
    let heavy = t
        .top_spreads
        .iter()
        .fold(t.heavy, |n, s| n.saturating_add(done.get(s).map_or(0, |d| d.1)));
    (fields, heavy)
}

/// Refuses a document that selects more than `limits.expanded_fields` fields once its
/// fragments are expanded, or an operation with more than `limits.heavy_fields` heavy root
/// fields.
pub fn check_document(doc: &ExecutableDocument, limits: &GuardLimits) -> Result<(), Refusal> {
    let fragments = expand_fragments(doc)?;
    let mut fields = 0u64;
    for (_, operation) in doc.operations.iter() {
        let mut t = Tally::default();
        tally(&operation.node.selection_set.node, true, &mut t);
        let (op_fields, heavy) = sum(&t, &fragments);
        fields = fields.saturating_add(op_fields);
        if heavy > limits.heavy_fields {
            return Err(Refusal(format!(
                "one request may hold at most {} of the fields that replay the audit trail or \
                 aggregate the whole ledger ({}); this one holds {heavy}: send them in separate \
                 requests",
                limits.heavy_fields,
                HEAVY_FIELDS.join(", ")
            )));
        }
    }
    if fields > limits.expanded_fields {
        return Err(Refusal(format!(
            "the document selects {fields} fields once its fragments are expanded; at most {} \
             are allowed",
            limits.expanded_fields
        )));
    }
    Ok(())
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
        let mut q = String::from("{ ...F0 }\n");
        for i in 0..60 {
            q.push_str(&format!("fragment F{i} on Query {{ ...F{n} ...F{n} }}\n", n = i + 1));
        }
        q.push_str("fragment F60 on Query { __typename }\n");
        let err = check_document(&parse(&q), &GuardLimits::default()).unwrap_err();
        assert!(err.0.contains("fields once its fragments are expanded"), "{}", err.0);
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
