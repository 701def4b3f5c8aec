//! Validated text values. Every string a user sends passes through one of these constructors,
//! so an empty title or a 10 MB description cannot exist past the boundary.

use super::error::{DomainError, DomainResult};

/// Trimmed, non-empty text of at most `max` characters, without control characters other
/// than line breaks and tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    pub fn parse(field: &str, raw: &str, max: usize) -> DomainResult<Self> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(DomainError::invalid(field, format!("{field} must not be empty")));
        }
        let chars = value.chars().count();
        if chars > max {
            return Err(DomainError::invalid(
                field,
                format!("{field} is too long: {chars} characters, at most {max} allowed"),
            ));
        }
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            return Err(DomainError::invalid(
                field,
                format!("{field} contains control characters"),
            ));
        }
        Ok(Self(value.to_owned()))
    }

    /// Optional text: absent or blank means "none".
    pub fn parse_optional(field: &str, raw: Option<&str>, max: usize) -> DomainResult<Option<Self>> {
        match raw {
            Some(value) if !value.trim().is_empty() => Self::parse(field, value, max).map(Some),
            _ => Ok(None),
        }
    }

    pub fn into_inner(self) -> String {
        self.0
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short human-readable code (unit short code, problem code such as `A-017`): 1–32 of
/// ASCII letters, digits, `-`, `_` and `.`, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    pub fn parse(field: &str, raw: &str) -> DomainResult<Self> {
        let value = raw.trim();
        let valid_chars = value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        let starts_well = value.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if value.is_empty() || value.len() > 32 || !valid_chars || !starts_well {
            return Err(DomainError::invalid(
                field,
                format!(
                    "{field} must be 1 to 32 ASCII letters, digits, '-', '_' or '.', starting with a letter or digit"
                ),
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Maximum lengths, in characters, shared by the services and documented in the API guide.
pub mod limits {
    pub const NAME: usize = 200;
    pub const PERSON_NAME: usize = 100;
    pub const POSITION: usize = 100;
    pub const CONTACT: usize = 200;
    pub const TITLE: usize = 200;
    pub const CATEGORY: usize = 50;
    pub const SOURCE_DETAIL: usize = 200;
    pub const LONG_TEXT: usize = 5000;
    pub const REASON: usize = 1000;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded_in_characters_not_bytes() {
        let ok = Text::parse("title", "  门难进、脸难看  ", 8);
        assert_eq!(ok.map(Text::into_inner).ok(), Some("门难进、脸难看".to_owned()));
        assert!(Text::parse("title", "一二三四五六七八九", 8).is_err());
        assert!(Text::parse("title", "   ", 8).is_err());
        assert!(Text::parse("title", "a\u{0}b", 8).is_err());
    }

    #[test]
    fn codes_accept_ledger_style_and_refuse_spaces() {
        assert!(Code::parse("code", "A-017").is_ok());
        assert!(Code::parse("code", "A 017").is_err());
        assert!(Code::parse("code", "-A").is_err());
        assert!(Code::parse("code", &"A".repeat(33)).is_err());
    }
}
