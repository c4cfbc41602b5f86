//! Parameterized exercises and drills: a `params` table declares values (lists, or integer
//! generators `{ from, to, step }`), `{{name}}` and `{{name.field}}` in any string of the item
//! refer to them, and the item is loaded once per variant (the product of the parameters'
//! values, the first parameter varying slowest).
//!
//! Each variant is the item's own table with the placeholders replaced, read by the same code as
//! an item without parameters, so every check still applies to every variant and every problem
//! keeps its file:line:column (the spans are the template's). A problem found in some variants
//! only names the first of them with its values.

use std::collections::HashSet;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::file_checker::FileChecker;
use crate::diagnostic::{Problem, ProblemBuilder};
use crate::model::{Recipe, Renderable, Variant, Variants};

/// The most variants one item may have: each is loaded and proved on its own.
pub(super) const MAX_VARIANTS: usize = 64;

/// A parameter's value: a string, an integer, or a table of those for values that go together.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Integer(i64),
    Table(Vec<(String, Value)>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Text(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Table(_) => "a table",
        }
    }

    /// How the value reads in a label: `web`, `4`, `{name=web, port=8080}`.
    fn label(&self) -> String {
        match self {
            Value::Text(text) => crate::text::escape_controls(text).into_owned(),
            Value::Integer(number) => number.to_string(),
            Value::Table(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(name, value)| format!("{name}={}", value.label()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn field(&self, field: Option<&str>) -> Option<&Value> {
        match (self, field) {
            (Value::Table(fields), Some(field)) => fields
                .iter()
                .find(|(name, _)| name == field)
                .map(|(_, value)| value),
            (Value::Table(_), None) | (_, Some(_)) => None,
            (value, None) => Some(value),
        }
    }
}

/// One declared parameter.
#[derive(Debug)]
struct Param {
    name: String,
    span: Range<usize>,
    values: Vec<Value>,
}

/// An item's parameters, in declaration order.
#[derive(Debug)]
pub(super) struct Params {
    params: Vec<Param>,
    /// The decimal text of every integer value, so an exact placeholder can become a TOML
    /// integer that borrows from here.
    integers: Vec<String>,
}

impl Params {
    fn count(&self) -> usize {
        self.params.iter().map(|param| param.values.len()).product()
    }

    /// The value index of each parameter in variant `index` (first parameter slowest).
    fn choice(&self, mut index: usize) -> Vec<usize> {
        let mut choice = vec![0; self.params.len()];
        for (slot, param) in choice.iter_mut().zip(&self.params).rev() {
            *slot = index % param.values.len();
            index /= param.values.len();
        }
        choice
    }

    fn bindings(&self, index: usize) -> Vec<(&str, &Value)> {
        self.params
            .iter()
            .zip(self.choice(index))
            .map(|(param, at)| (param.name.as_str(), &param.values[at]))
            .collect()
    }

    fn label(&self, index: usize) -> String {
        self.bindings(index)
            .iter()
            .map(|(name, value)| format!("{name}={}", value.label()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A `{{name}}` or `{{name.field}}` in a string: its byte range there, and the names.
#[derive(Debug, PartialEq, Eq)]
struct Placeholder<'t> {
    range: Range<usize>,
    name: &'t str,
    field: Option<&'t str>,
}

fn is_ident(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Every placeholder of `text`. Anything else in double braces (Helm's `{{ .Values.x }}`, a
/// Go template) is not one and is left alone.
fn placeholders(text: &str) -> Vec<Placeholder<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|at| from + at) {
        let inner_start = open + 2;
        let Some(close) = text[inner_start..].find("}}").map(|at| inner_start + at) else {
            break;
        };
        let inner = &text[inner_start..close];
        let (name, field) = match inner.split_once('.') {
            Some((name, field)) => (name, Some(field)),
            None => (inner, None),
        };
        if is_ident(name) && field.is_none_or(is_ident) {
            found.push(Placeholder {
                range: open..close + 2,
                name,
                field,
            });
            from = close + 2;
        } else {
            from = open + 1;
        }
    }
    found
}

/// The text with every placeholder replaced; `None` when `text` is exactly one placeholder whose
/// value is an integer (then the value itself stands in for the string).
fn render(text: &str, bindings: &[(&str, &Value)]) -> Result<String, i64> {
    let found = placeholders(text);
    let value_of = |placeholder: &Placeholder| {
        bindings
            .iter()
            .find(|(name, _)| *name == placeholder.name)
            .and_then(|(_, value)| value.field(placeholder.field))
    };
    if let [only] = found.as_slice()
        && only.range == (0..text.len())
        && let Some(Value::Integer(number)) = value_of(only)
    {
        return Err(*number);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for placeholder in &found {
        out.push_str(&text[last..placeholder.range.start]);
        match value_of(placeholder) {
            Some(Value::Text(text)) => out.push_str(text),
            Some(Value::Integer(number)) => out.push_str(&number.to_string()),
            // Checked before any variant is rendered; kept as written otherwise.
            _ => out.push_str(&text[placeholder.range.clone()]),
        }
        last = placeholder.range.end;
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// Keys whose strings are never substituted: ids name the item and its checks for progress and
/// for `fails`, so they do not vary.
fn substituted(key: &str) -> bool {
    key != "id"
}

/// Replaces the placeholders in every string of `value`, in place.
fn substitute<'t>(
    value: &mut Spanned<DeValue<'t>>,
    bindings: &[(&str, &Value)],
    integers: &'t [String],
) {
    let span = value.span();
    match value.get_mut() {
        DeValue::String(text) => match render(text, bindings) {
            Ok(rendered) => *text = rendered.into(),
            Err(number) => {
                let written = number.to_string();
                if let Some(parsed) = integers
                    .iter()
                    .find(|text| **text == written)
                    .and_then(|text| DeValue::parse(text).ok())
                {
                    *value = Spanned::new(span, parsed.into_inner());
                }
            }
        },
        DeValue::Array(array) => {
            for element in array.iter_mut() {
                substitute(element, bindings, integers);
            }
        }
        DeValue::Table(table) => {
            for (key, entry) in table.iter_mut() {
                if substituted(key.get_ref()) {
                    substitute(entry, bindings, integers);
                }
            }
        }
        _ => {}
    }
}

impl FileChecker<'_> {
    /// Reads a `params` table; `None` (with problems) when it is not usable.
    pub(super) fn params(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Params> {
        let DeValue::Table(table) = value.get_ref() else {
            self.problem(value.span(), "wrong-type", format!("`params` is a table of parameters, not {}", value.get_ref().type_str()))
                .help("write [params] with one line per parameter: name = [\"a\", \"b\"] or name = { from = 1, to = 5 }");
            return None;
        };
        let mut params = Vec::new();
        let mut ok = true;
        for (key, entry) in table.iter() {
            let name = key.get_ref().to_string();
            if !is_ident(&name) {
                ok = false;
                self.problem(key.span(), "bad-param", format!("`{}` cannot be a parameter's name", crate::text::escape_controls(&name)))
                    .help("use letters, digits, `_` and `-`, starting with a letter, so `{{name}}` can refer to it");
                continue;
            }
            match self.param_values(&name, entry) {
                Some(values) => params.push(Param {
                    name,
                    span: key.span(),
                    values,
                }),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        if params.is_empty() {
            self.problem(value.span(), "bad-param", "`params` declares no parameter")
                .help("remove it, or add a parameter: name = [\"a\", \"b\"]");
            return None;
        }
        let count = params
            .iter()
            .try_fold(1usize, |count, param| count.checked_mul(param.values.len()));
        if count.is_none_or(|count| count > MAX_VARIANTS) {
            let sizes: Vec<String> = params
                .iter()
                .map(|param| format!("{} ({})", param.name, param.values.len()))
                .collect();
            self.problem(
                value.span(),
                "too-many-variants",
                format!(
                    "these parameters make {} variants, more than {MAX_VARIANTS}: {}",
                    count.map_or_else(|| "too many".to_string(), |count| count.to_string()),
                    sizes.join(" × ")
                ),
            )
            .help("use fewer values: every variant is checked and proved on its own");
            return None;
        }
        let mut integers: Vec<String> = Vec::new();
        for param in &params {
            for value in &param.values {
                let numbers = match value {
                    Value::Integer(number) => vec![*number],
                    Value::Table(fields) => fields
                        .iter()
                        .filter_map(|(_, value)| match value {
                            Value::Integer(number) => Some(*number),
                            _ => None,
                        })
                        .collect(),
                    Value::Text(_) => Vec::new(),
                };
                for number in numbers {
                    let text = number.to_string();
                    if !integers.contains(&text) {
                        integers.push(text);
                    }
                }
            }
        }
        Some(Params { params, integers })
    }

    /// The values of one parameter: a list, or an integer generator.
    fn param_values(&mut self, name: &str, entry: &Spanned<DeValue<'_>>) -> Option<Vec<Value>> {
        match entry.get_ref() {
            DeValue::Array(array) => {
                if array.is_empty() {
                    self.problem(
                        entry.span(),
                        "bad-param",
                        format!("parameter `{name}` has no values"),
                    )
                    .help("list at least one value (two or more to make the item vary)");
                    return None;
                }
                let mut values = Vec::new();
                for element in array.iter() {
                    values.push(self.param_value(name, element, true)?);
                }
                let first = &values[0];
                let same_shape = |value: &Value| match (first, value) {
                    (Value::Table(a), Value::Table(b)) => {
                        a.len() == b.len()
                            && a.iter()
                                .zip(b)
                                .all(|((ka, va), (kb, vb))| ka == kb && va.kind() == vb.kind())
                    }
                    (a, b) => a.kind() == b.kind(),
                };
                if let Some(at) = values.iter().position(|value| !same_shape(value)) {
                    let help = match first {
                        Value::Table(fields) => format!(
                            "give every value the fields of the first, with the same types: {}",
                            fields
                                .iter()
                                .map(|(field, value)| format!("{field} ({})", value.kind()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        _ => format!(
                            "make every value {}: a placeholder must mean the same kind of value in every variant",
                            first.kind()
                        ),
                    };
                    self.problem(
                        array[at].span(),
                        "mixed-param-types",
                        format!(
                            "parameter `{name}` mixes {} and {}",
                            first.kind(),
                            values[at].kind()
                        ),
                    )
                    .help(help);
                    return None;
                }
                Some(values)
            }
            DeValue::Table(table) => self.generator(name, entry.span(), table),
            other => {
                self.problem(
                    entry.span(),
                    "wrong-type",
                    format!(
                        "parameter `{name}` is {}, not a list of values or a generator",
                        other.type_str()
                    ),
                )
                .help(format!(
                    "write {name} = [\"a\", \"b\"] or {name} = {{ from = 1, to = 5 }}"
                ));
                None
            }
        }
    }

    fn param_value(
        &mut self,
        name: &str,
        value: &Spanned<DeValue<'_>>,
        table_allowed: bool,
    ) -> Option<Value> {
        match value.get_ref() {
            DeValue::String(text) => Some(Value::Text(text.to_string())),
            DeValue::Integer(integer) => {
                match i64::from_str_radix(integer.as_str(), integer.radix()) {
                    Ok(number) => Some(Value::Integer(number)),
                    Err(_) => {
                        self.problem(value.span(), "bad-param", "this integer is too large");
                        None
                    }
                }
            }
            DeValue::Table(table) if table_allowed => {
                let mut fields = Vec::new();
                for (key, field) in table.iter() {
                    if !is_ident(key.get_ref()) {
                        self.problem(key.span(), "bad-param", format!("`{}` cannot be a field's name", crate::text::escape_controls(key.get_ref())))
                            .help("use letters, digits, `_` and `-`, starting with a letter, so `{{param.field}}` can refer to it");
                        return None;
                    }
                    fields.push((
                        key.get_ref().to_string(),
                        self.param_value(name, field, false)?,
                    ));
                }
                if fields.is_empty() {
                    self.problem(
                        value.span(),
                        "bad-param",
                        format!("a value of parameter `{name}` is an empty table"),
                    )
                    .help("give it fields: { name = \"web\", port = 8080 }");
                    return None;
                }
                Some(Value::Table(fields))
            }
            other => {
                let what = if table_allowed {
                    "a string, an integer or a table of those"
                } else {
                    "a string or an integer"
                };
                self.problem(
                    value.span(),
                    "wrong-type",
                    format!(
                        "a value of parameter `{name}` is {what}, not {}",
                        other.type_str()
                    ),
                );
                None
            }
        }
    }

    /// `{ from = 2, to = 6, step = 2 }`: the integers from `from` to `to` (both included).
    fn generator(
        &mut self,
        name: &str,
        span: Range<usize>,
        table: &DeTable<'_>,
    ) -> Option<Vec<Value>> {
        let mut from = None;
        let mut to = None;
        let mut step = None;
        for (key, value) in table.iter() {
            let slot = match key.get_ref().as_ref() {
                "from" => &mut from,
                "to" => &mut to,
                "step" => &mut step,
                other => {
                    let help = match crate::text::did_you_mean(other, ["from", "to", "step"]) {
                        Some(close) => {
                            format!("did you mean `{close}`? A generator takes from, to and step")
                        }
                        None => "a generator takes from, to and step".to_string(),
                    };
                    self.problem(
                        key.span(),
                        "unknown-key",
                        format!(
                            "unknown key `{}` in generator `{name}`",
                            crate::text::escape_controls(other)
                        ),
                    )
                    .help(help);
                    return None;
                }
            };
            match value
                .get_ref()
                .as_integer()
                .and_then(|integer| i64::from_str_radix(integer.as_str(), integer.radix()).ok())
            {
                Some(number) => *slot = Some((number, value.span())),
                None => {
                    self.problem(
                        value.span(),
                        "wrong-type",
                        format!("`{}` of generator `{name}` is an integer", key.get_ref()),
                    );
                    return None;
                }
            }
        }
        let (Some((from, _)), Some((to, to_span))) = (from, to) else {
            self.problem(
                span,
                "bad-param",
                format!("generator `{name}` needs `from` and `to`"),
            )
            .help(format!(
                "write {name} = {{ from = 1, to = 5 }} (both included; `step` is optional)"
            ));
            return None;
        };
        let (step, step_span) = step.unwrap_or((1, span.clone()));
        if step < 1 {
            self.problem(
                step_span,
                "bad-param",
                format!("the step of generator `{name}` must be 1 or more, not {step}"),
            );
            return None;
        }
        if to < from {
            self.problem(
                to_span,
                "bad-param",
                format!("generator `{name}` goes from {from} to {to}, which is no value at all"),
            )
            .help("`to` is the last value and must not be below `from`");
            return None;
        }
        let count = (i128::from(to) - i128::from(from)) / i128::from(step) + 1;
        if count > MAX_VARIANTS as i128 {
            self.problem(
                span,
                "too-many-variants",
                format!("generator `{name}` makes {count} values, more than {MAX_VARIANTS}"),
            )
            .help("narrow `from`..`to` or raise `step`");
            return None;
        }
        Some(
            (0..count as i64)
                .map(|at| Value::Integer(from + at * step))
                .collect(),
        )
    }

    /// Checks every placeholder of the item against the parameters (once, on the template):
    /// unknown names and fields are errors, a parameter no text uses is a warning. False when
    /// there was an error.
    fn check_placeholders(&mut self, item: &Spanned<DeValue<'_>>, params: &Params) -> bool {
        let mut used: HashSet<&str> = HashSet::new();
        let mut ok = true;
        self.visit_strings(item, &mut |file, span, text| {
            for placeholder in placeholders(text) {
                let written = &text[placeholder.range.clone()];
                let at = file.inner_span(span.clone(), written);
                let Some(param) = params
                    .params
                    .iter()
                    .find(|param| param.name == placeholder.name)
                else {
                    ok = false;
                    let names: Vec<&str> = params
                        .params
                        .iter()
                        .map(|param| param.name.as_str())
                        .collect();
                    let help =
                        match crate::text::did_you_mean(placeholder.name, names.iter().copied()) {
                            Some(close) => format!(
                                "did you mean `{close}`? The parameters are: {}",
                                names.join(", ")
                            ),
                            None => format!(
                                "declare it in `params`, or use one of: {}",
                                names.join(", ")
                            ),
                        };
                    file.problem(
                        at,
                        "unknown-placeholder",
                        format!("`{written}` names no parameter"),
                    )
                    .help(help);
                    continue;
                };
                used.insert(param.name.as_str());
                match (&param.values[0], placeholder.field) {
                    (Value::Table(fields), None) => {
                        ok = false;
                        let names: Vec<String> = fields
                            .iter()
                            .map(|(field, _)| format!("{{{{{}.{field}}}}}", param.name))
                            .collect();
                        file.problem(
                            at,
                            "unknown-placeholder",
                            format!(
                                "parameter `{}` is a table, so `{written}` needs a field",
                                param.name
                            ),
                        )
                        .help(format!("write one of {}", names.join(", ")));
                    }
                    (Value::Table(fields), Some(field)) => {
                        if !fields.iter().any(|(name, _)| name == field) {
                            ok = false;
                            let names: Vec<&str> =
                                fields.iter().map(|(name, _)| name.as_str()).collect();
                            let help = match crate::text::did_you_mean(field, names.iter().copied())
                            {
                                Some(close) => format!(
                                    "did you mean `{close}`? Its fields are: {}",
                                    names.join(", ")
                                ),
                                None => format!("its fields are: {}", names.join(", ")),
                            };
                            file.problem(
                                at,
                                "unknown-placeholder",
                                format!(
                                    "the values of parameter `{}` have no field `{field}`",
                                    param.name
                                ),
                            )
                            .help(help);
                        }
                    }
                    (value, Some(field)) => {
                        ok = false;
                        file.problem(
                            at,
                            "unknown-placeholder",
                            format!(
                                "parameter `{}` is {}, so it has no field `{field}`",
                                param.name,
                                value.kind()
                            ),
                        )
                        .help(format!("write {{{{{}}}}}", param.name));
                    }
                    (_, None) => {}
                }
            }
        });
        for param in &params.params {
            if !used.contains(param.name.as_str()) {
                self.problem(param.span.clone(), "unused-param", format!("no text uses parameter `{}`", param.name))
                    .help(format!("refer to it as {{{{{}}}}} where the item should vary, or remove it (its values only repeat the same item)", param.name))
                    .warning();
            }
        }
        ok
    }

    /// Calls `visit` with the span and text of every substituted string of `value`.
    fn visit_strings<'v>(
        &mut self,
        value: &'v Spanned<DeValue<'_>>,
        visit: &mut impl FnMut(&mut Self, Range<usize>, &'v str),
    ) {
        match value.get_ref() {
            DeValue::String(text) => visit(self, value.span(), text),
            DeValue::Array(array) => {
                for element in array.iter() {
                    self.visit_strings(element, visit);
                }
            }
            DeValue::Table(table) => {
                for (key, entry) in table.iter() {
                    if substituted(key.get_ref()) {
                        self.visit_strings(entry, visit);
                    }
                }
            }
            _ => {}
        }
    }

    /// Reads an item that may declare `params`: without them, `build` reads it as it is; with
    /// them, `build` reads each variant, and the first is returned holding them all
    /// (`set_variants`). `None` when the parameters or any variant have an error.
    pub(super) fn varied<T: Renderable + Send + Sync + 'static>(
        &mut self,
        mut item: Spanned<DeValue<'_>>,
        locate: Locate,
        build: Build<T>,
        set_variants: fn(&mut T, Variants<T>),
    ) -> Option<T> {
        let declared = match item.get_mut() {
            DeValue::Table(table) => table.remove("params"),
            _ => None,
        };
        let Some(declared) = declared else {
            return build(self, item);
        };
        let params = self.params(&declared)?;
        if !self.check_placeholders(&item, &params) {
            return None;
        }
        if self.lazy_variants {
            // Only the first variant now; the others when a learner is first shown them.
            let mut first = build(self, variant_of(&item, &params, 0))?;
            let labels = (0..params.count())
                .map(|index| params.label(index))
                .collect();
            let variants = Variants::lazy(labels, &first, self.recipe(locate));
            set_variants(&mut first, variants);
            return Some(first);
        }
        let count = params.count();
        let mut per_variant: Vec<Vec<Problem>> = Vec::with_capacity(count);
        let mut variants: Vec<Option<T>> = Vec::with_capacity(count);
        for index in 0..count {
            let concrete = variant_of(&item, &params, index);
            let before = std::mem::take(&mut self.problems);
            variants.push(build(self, concrete));
            per_variant.push(std::mem::replace(&mut self.problems, before));
        }
        self.problems
            .extend(crate::grade::prove::merge_variant_problems(
                &per_variant,
                |index| params.label(index),
            ));
        let mut variants: Vec<Variant<T>> = variants
            .into_iter()
            .enumerate()
            .map(|(index, item)| {
                item.map(|item| Variant {
                    label: params.label(index),
                    item,
                })
            })
            .collect::<Option<_>>()?;
        let mut first = variants.first_mut()?.item.clone();
        // The first variant stands for the item where one text is needed (lists, search).
        set_variants(&mut first, Variants::new(std::mem::take(&mut variants)));
        Some(first)
    }

    /// How to find the item at `locate` in this file again, to make its other variants when a
    /// learner is first shown them ([`render_variant`]).
    fn recipe(&self, locate: Locate) -> Recipe {
        Recipe {
            file: self.file.to_string(),
            text: self.shared_text.get_or_init(|| self.text.into()).clone(),
            languages: self.languages.clone(),
            entry: match locate {
                Locate::File => None,
                Locate::Entry { key, index } => Some((key.to_string(), index)),
            },
        }
    }
}

/// Makes variant `index` of the item `recipe` locates, from its text again: what a lazily
/// loaded item runs when a variant is first shown. Its problems were reported (or not) when the
/// deck was checked; here a variant that cannot be made is `None`.
pub(super) fn render_variant<T>(recipe: &Recipe, index: usize, build: Build<T>) -> Option<T> {
    let mut checker = FileChecker::new(&recipe.file, &recipe.text, &recipe.languages);
    let mut table = checker.parse()?;
    let mut item = match &recipe.entry {
        None => super::file_checker::table_value(table),
        Some((key, index)) => super::file_checker::take_array(&mut table, key)
            .into_iter()
            .nth(*index)?,
    };
    let declared = match item.get_mut() {
        DeValue::Table(table) => table.remove("params")?,
        _ => return None,
    };
    let params = checker.params(&declared)?;
    if index >= params.count() {
        return None;
    }
    let made = build(&mut checker, variant_of(&item, &params, index))?;
    // Warnings (an unused parameter, a redundant accept) do not spoil a variant.
    (!checker.problems.iter().any(Problem::is_error)).then_some(made)
}

/// Where an item is in its file, to find it again: the whole file (an exercise) or the n-th
/// `[[key]]` table (a drill).
#[derive(Debug, Clone, Copy)]
pub(super) enum Locate {
    File,
    Entry { key: &'static str, index: usize },
}

/// Builds an item from its (concrete) table.
pub(super) type Build<T> = for<'f, 't> fn(&mut FileChecker<'f>, Spanned<DeValue<'t>>) -> Option<T>;

/// The item with variant `index`'s values in place of its placeholders.
fn variant_of<'a>(
    item: &Spanned<DeValue<'a>>,
    params: &'a Params,
    index: usize,
) -> Spanned<DeValue<'a>> {
    let mut concrete = item.clone();
    substitute(&mut concrete, &params.bindings(index), &params.integers);
    concrete
}

#[cfg(test)]
mod tests {
    use super::super::test_deck::{EXERCISE_HEAD, rules, validate_with};
    use super::*;

    #[test]
    fn only_identifiers_in_double_braces_are_placeholders() {
        let found = placeholders("{{ .Values.x }} {{name}} {{app.port}} {{a b}} {{.x}} {{n}}");
        let names: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|placeholder| (placeholder.name, placeholder.field))
            .collect();
        assert_eq!(names, [("name", None), ("app", Some("port")), ("n", None)]);
    }

    #[test]
    fn an_exact_integer_placeholder_becomes_the_integer() {
        let four = Value::Integer(4);
        let web = Value::Text("web".to_string());
        let bindings = [("replicas", &four), ("name", &web)];
        assert_eq!(render("{{replicas}}", &bindings), Err(4));
        assert_eq!(
            render("{{name}} x{{replicas}} {{ .Values.x }}", &bindings).unwrap(),
            "web x4 {{ .Values.x }}"
        );
    }

    const DRILL: &str = "[[drill]]\nid = \"scale\"\nprompt = \"Scale `{{name}}` to {{replicas}}.\"\nanswer = \"kubectl scale deployment {{name}} --replicas={{replicas}}\"\n[drill.params]\nname = [\"web\", \"api\"]\nreplicas = { from = 2, to = 4 }\n";

    #[test]
    fn a_drill_has_the_product_of_its_values_first_parameter_slowest() {
        let validated = validate_with(&[("topics/env/drills.toml", DRILL)]);
        assert!(validated.problems.is_empty(), "{:?}", validated.problems);
        let deck = validated.deck.unwrap();
        let drill = &deck.topics[0].drills[0];
        assert_eq!(drill.variant_count(), 6);
        assert_eq!(
            drill.variant(0).answer,
            "kubectl scale deployment web --replicas=2"
        );
        assert_eq!(
            drill.variant(4).answer,
            "kubectl scale deployment api --replicas=3"
        );
        assert_eq!(drill.variant_label(4), Some("name=api, replicas=3"));
        assert_eq!(drill.variant(4).prompt.get("en"), "Scale `api` to 3.");
        assert_eq!(drill.answer, drill.variant(0).answer);
    }

    #[test]
    fn parameter_mistakes_are_reported_where_they_are_written() {
        let drills = "[[drill]]\nid = \"d\"\nprompt = \"{{nmae}} {{app.prot}} {{n.x}}\"\nanswer = \"kubectl get pods\"\nparams.name = [\"a\"]\nparams.app = [{ name = \"web\", port = 1 }, { name = \"api\", port = \"x\" }]\nparams.n = [1, 2]\nparams.unused = []\n";
        let validated = validate_with(&[("topics/env/drills.toml", drills)]);
        assert_eq!(
            rules(&validated),
            [
                ("topics/env/drills.toml", 6, 43, "mixed-param-types"),
                ("topics/env/drills.toml", 8, 17, "bad-param"),
            ]
        );
        let drills = "[[drill]]\nid = \"d\"\nprompt = \"{{nmae}} {{app.prot}} {{n.x}}\"\nanswer = \"kubectl get pods\"\nparams.name = [\"a\"]\nparams.app = [{ name = \"web\", port = 1 }]\nparams.n = { from = 1, to = 2 }\nparams.unused = [\"u\"]\n";
        let validated = validate_with(&[("topics/env/drills.toml", drills)]);
        assert_eq!(
            rules(&validated),
            [
                ("topics/env/drills.toml", 3, 11, "unknown-placeholder"),
                ("topics/env/drills.toml", 3, 20, "unknown-placeholder"),
                ("topics/env/drills.toml", 3, 33, "unknown-placeholder"),
                ("topics/env/drills.toml", 5, 8, "unused-param"),
                ("topics/env/drills.toml", 8, 8, "unused-param"),
            ]
        );
        assert!(
            validated.problems[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `name`?")
        );
    }

    #[test]
    fn more_than_64_variants_is_an_error_at_the_params() {
        let exercise = format!(
            "{EXERCISE_HEAD}\n[[check]]\nid = \"c\"\ntype = \"exists\"\ntarget = \"Pod/p{{{{a}}}}{{{{b}}}}\"\nmessage = \"M\"\n\n[params]\na = {{ from = 1, to = 10 }}\nb = {{ from = 1, to = 10 }}\n"
        );
        let validated = validate_with(&[("topics/env/exercises/e.toml", &exercise)]);
        assert_eq!(
            rules(&validated),
            [("topics/env/exercises/e.toml", 12, 1, "too-many-variants")]
        );
        assert!(
            validated.problems[0].message.contains("100 variants"),
            "{}",
            validated.problems[0].message
        );
    }

    #[test]
    fn a_problem_of_one_variant_names_its_values() {
        let drills = "[[drill]]\nid = \"d\"\nprompt = \"P\"\nanswer = \"kubectl {{verb}} pods\"\nparams.verb = [\"get\", \"gte\"]\n";
        let validated = validate_with(&[("topics/env/drills.toml", drills)]);
        assert_eq!(
            rules(&validated),
            [("topics/env/drills.toml", 4, 10, "drill-unreadable")]
        );
        assert!(
            validated.problems[0]
                .message
                .ends_with("(in variant 2 of 2: verb=gte)"),
            "{}",
            validated.problems[0].message
        );
    }

    #[test]
    fn generators_need_from_to_and_a_positive_step() {
        let drills = "[[drill]]\nid = \"a\"\nprompt = \"{{n}}\"\nanswer = \"kubectl get pods\"\nparams.n = { from = 5, to = 2 }\n\n[[drill]]\nid = \"b\"\nprompt = \"{{n}}\"\nanswer = \"kubectl get pods\"\nparams.n = { from = 1, to = 3, step = 0 }\n\n[[drill]]\nid = \"c\"\nprompt = \"{{n}}\"\nanswer = \"kubectl get pods\"\nparams.n = { from = 1, too = 3 }\n";
        let validated = validate_with(&[("topics/env/drills.toml", drills)]);
        assert_eq!(
            rules(&validated),
            [
                ("topics/env/drills.toml", 5, 29, "bad-param"),
                ("topics/env/drills.toml", 11, 39, "bad-param"),
                ("topics/env/drills.toml", 17, 24, "unknown-key"),
            ]
        );
        assert_eq!(
            validated.problems[2].help.as_deref(),
            Some("did you mean `to`? A generator takes from, to and step")
        );
    }

    #[test]
    fn helm_braces_stay_as_written_in_a_parameterized_item() {
        let drills = "[[drill]]\nid = \"d\"\nprompt = \"Render {{ .Values.image }} for `{{name}}`\"\nanswer = \"kubectl get pod {{name}}\"\nparams.name = [\"web\", \"api\"]\n";
        let validated = validate_with(&[("topics/env/drills.toml", drills)]);
        assert!(validated.problems.is_empty(), "{:?}", validated.problems);
        let deck = validated.deck.unwrap();
        let drill = deck.topics[0].drills[0].variant(1);
        assert_eq!(
            drill.prompt.get("en"),
            "Render {{ .Values.image }} for `api`"
        );
        assert_eq!(drill.answer, "kubectl get pod api");
    }
}
