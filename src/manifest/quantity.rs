//! Resource quantities (`500m`, `64Mi`, `1e3`, `0.5`) read the way the API server reads them
//! (apimachinery `resource.ParseQuantity`): a signed decimal number, then one suffix: a binary
//! one (Ki Mi Gi Ti Pi Ei), a decimal one (n u m k M G T P E, or none), or an exponent (e3, E-2).
//! There is no unit letter such as B and no space.

/// Binary suffixes, powers of 1024.
const BINARY: [(&str, i32); 6] = [
    ("Ki", 1),
    ("Mi", 2),
    ("Gi", 3),
    ("Ti", 4),
    ("Pi", 5),
    ("Ei", 6),
];

/// Decimal suffixes, powers of 1000 (exponent of ten).
const DECIMAL: [(&str, i32); 9] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

/// The amount a quantity stands for, or `None` when the API server would reject it.
pub fn parse(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let number_len = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_len);
    let digits = number.chars().filter(char::is_ascii_digit).count();
    if digits == 0 || number.matches('.').count() > 1 {
        return None;
    }
    let magnitude: f64 = number.parse().ok()?;
    let factor = if suffix.is_empty() {
        1.0
    } else if let Some((_, power)) = BINARY.iter().find(|(name, _)| *name == suffix) {
        1024f64.powi(*power)
    } else if let Some((_, power)) = DECIMAL.iter().find(|(name, _)| *name == suffix) {
        10f64.powi(*power)
    } else if let Some(exponent) = suffix.strip_prefix(['e', 'E']) {
        let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        10f64.powi(exponent.parse().ok()?)
    } else {
        return None;
    };
    let amount = magnitude * factor;
    Some(if text.starts_with('-') {
        -amount
    } else {
        amount
    })
}

/// What the writer probably meant by a quantity the API server rejects: `1GB` → `1G`,
/// `512MiB` → `512Mi`, `1K` → `1k`, `500 m` → `500m`.
pub fn suggest(text: &str) -> Option<String> {
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    // `128Mb`, `512kb`: a lowercase `b` after a unit is how people write memory in binary units
    // by habit (`128Mi` is what a Pod spec almost always means); `128MB` is the decimal `128M`.
    let binary = squeezed.strip_suffix('b').and_then(|number| {
        let unit = number.chars().last()?;
        let binary_unit = match unit {
            'k' | 'K' => "Ki",
            'M' | 'm' => "Mi",
            'G' | 'g' => "Gi",
            'T' | 't' => "Ti",
            _ => return None,
        };
        Some(format!("{}{binary_unit}", &number[..number.len() - 1]))
    });
    let candidates = [
        binary.unwrap_or_default(),
        squeezed.clone(),
        squeezed
            .strip_suffix(['B', 'b'])
            .unwrap_or(&squeezed)
            .to_string(),
        squeezed.replace('K', "k"),
        squeezed
            .strip_suffix(['B', 'b'])
            .unwrap_or(&squeezed)
            .replace('K', "k"),
        squeezed
            .replace("mi", "Mi")
            .replace("gi", "Gi")
            .replace("ki", "Ki"),
    ];
    candidates
        .into_iter()
        .find(|candidate| candidate != text && parse(candidate).is_some())
}

/// Two quantities are the same amount (`0.25Gi` and `256Mi`, `1000m` and `1`).
pub fn same_amount(left: f64, right: f64) -> bool {
    (left - right).abs() <= 1e-9 * left.abs().max(right.abs()).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_read_like_the_api_server() {
        assert_eq!(parse("250m"), Some(0.25));
        assert_eq!(parse("64Mi"), Some(67_108_864.0));
        assert_eq!(parse("1G"), Some(1e9));
        assert_eq!(parse("0.5"), Some(0.5));
        assert_eq!(parse(".5"), Some(0.5));
        assert_eq!(parse("1e3"), Some(1000.0));
        assert_eq!(parse("1E-3"), Some(0.001));
        assert_eq!(parse("-1"), Some(-1.0));
        assert_eq!(parse("+2k"), Some(2000.0));
        assert!(same_amount(
            parse("0.25Gi").unwrap(),
            parse("256Mi").unwrap()
        ));
        assert!(same_amount(parse("1000m").unwrap(), 1.0));
        for rejected in [
            "", "1GB", "1K", "512MiB", "500 m", "one", ".", "1..2", "1e", "1e+", "Mi", "1mi",
            "1.2.3",
        ] {
            assert_eq!(parse(rejected), None, "{rejected:?} is not a quantity");
        }
    }

    #[test]
    fn the_meant_quantity_is_suggested() {
        assert_eq!(suggest("1GB").as_deref(), Some("1G"));
        assert_eq!(suggest("512MiB").as_deref(), Some("512Mi"));
        assert_eq!(suggest("1K").as_deref(), Some("1k"));
        assert_eq!(suggest("500 m").as_deref(), Some("500m"));
        assert_eq!(suggest("128mi").as_deref(), Some("128Mi"));
        // A lowercase `b` after a unit is memory written by habit: binary units are likelier.
        assert_eq!(suggest("128Mb").as_deref(), Some("128Mi"));
        assert_eq!(suggest("512kb").as_deref(), Some("512Ki"));
        assert_eq!(suggest("1Gb").as_deref(), Some("1Gi"));
        assert_eq!(suggest("128MB").as_deref(), Some("128M"));
        assert_eq!(suggest("lots"), None);
    }
}
