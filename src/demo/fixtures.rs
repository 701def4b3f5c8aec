//! The demo ledger's content, drawn from the campaign speeches in shared/seeds: a fictional
//! county with its units, people, problems found and rectification measures, the 2026 calendar,
//! and what the campaign heard. It lives in the TOML files of `fixtures/`, embedded in the binary
//! with `include_str!`. Enum-valued fields are the `entity::enums` values themselves, and every
//! unit code and person name a row refers to is checked, so a bad value or a dangling reference
//! fails when the files are parsed, before the demo writes anything.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::enums::{
    DayKind, FeedbackChannel, ProblemSource, RectificationKind, ResponsibilityLevel, Severity, SurveyMethod, UnitKind,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::domain::error::{DomainError, DomainResult};

/// Everything the demo loads, in load order within each list.
#[derive(Debug, Clone)]
pub struct Fixtures {
    pub campaign: Campaign,
    pub units: Vec<Unit>,
    pub people: Vec<Person>,
    pub problems: Vec<Problem>,
    pub calendar: Vec<CalendarSpan>,
    pub feedback: Vec<Feedback>,
    pub surveys: Vec<Survey>,
    pub commitments: Vec<Commitment>,
}

/// `campaign.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub name: String,
    pub description: String,
}

/// One organisation node of the demo county; `parent` is the code of a unit listed earlier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<String>,
    /// The ranking category (县直部门, 乡镇, …); none for units ranked with their parent.
    #[serde(default)]
    pub category: Option<String>,
}

/// One person; `unit` is a unit code. Names are unique and fictional, contacts are fake.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub unit: String,
    pub position: String,
    pub contact: String,
    #[serde(default)]
    pub head_of_unit: bool,
}

/// One problem found (查摆问题) with its rectification measures.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub code: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub source: ProblemSource,
    pub source_detail: String,
    pub responsibility_level: ResponsibilityLevel,
    pub severity: Severity,
    pub rectification_kind: RectificationKind,
    pub root_cause: String,
    pub lead_unit: String,
    pub found_days_ago: i64,
    #[serde(rename = "measure")]
    pub measures: Vec<Measure>,
}

/// One rectification measure (整改措施); people are referenced by name, units by code.
/// `deadline_in_days` is relative to the day the demo is loaded (negative: in the past).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub title: String,
    pub description: String,
    pub acceptance_criteria: String,
    pub lead_unit: String,
    #[serde(default)]
    pub cooperating_units: Vec<String>,
    pub responsible_leader: String,
    pub responsible_person: String,
    pub deadline_in_days: i64,
    pub state: MeasureState,
}

/// Where a demo measure stands when the demo is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MeasureState {
    Pending,
    InProgress,
    Closed,
}

/// Days `first` to `last` (both included) of one kind: a holiday or an adjusted working day.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpan {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// An opinion still being sorted when the demo is loaded; no submitter: anonymous.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    pub unit: String,
    pub channel: FeedbackChannel,
    pub days_ago: i64,
    pub content: String,
    pub submitter: Option<String>,
    /// Why it was dismissed, if it was.
    pub dismissal: Option<String>,
}

/// A satisfaction survey (满意度测评) the 督查组 held.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    pub unit: String,
    pub days_ago: i64,
    pub method: SurveyMethod,
    pub participants: i32,
    pub satisfied: i32,
    pub basically_satisfied: i32,
    pub dissatisfied: i32,
}

/// A public commitment (公开承诺) of the head of a unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub unit: String,
    pub content: String,
    pub due_in_days: i64,
    /// How it was kept; None while still pledged.
    pub kept: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    unit: Vec<Unit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    person: Vec<Person>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProblemsFile {
    problem: Vec<Problem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    spans: Vec<CalendarSpan>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntakeFile {
    feedback: Vec<Feedback>,
    survey: Vec<Survey>,
    commitment: Vec<Commitment>,
}

/// Parses `fixtures/$file`, embedded at compile time; an error names the file.
macro_rules! fixture {
    ($file:literal) => {
        parse::<_>($file, include_str!(concat!("fixtures/", $file)))
    };
}

fn parse<T: DeserializeOwned>(file: &str, text: &str) -> DomainResult<T> {
    toml::from_str(text).map_err(|e| DomainError::Internal(format!("demo fixture src/demo/fixtures/{file}: {e}")))
}

impl Fixtures {
    /// Parses every fixture file and checks the references between them.
    pub fn parse() -> DomainResult<Self> {
        let intake: IntakeFile = fixture!("intake.toml")?;
        let fixtures = Self {
            campaign: fixture!("campaign.toml")?,
            units: fixture!("units.toml").map(|f: UnitsFile| f.unit)?,
            people: fixture!("people.toml").map(|f: PeopleFile| f.person)?,
            problems: fixture!("problems.toml").map(|f: ProblemsFile| f.problem)?,
            calendar: fixture!("calendar.toml").map(|f: CalendarFile| f.spans)?,
            feedback: intake.feedback,
            surveys: intake.survey,
            commitments: intake.commitment,
        };
        match fixtures.dangling().as_slice() {
            [] => Ok(fixtures),
            broken => Err(DomainError::Internal(format!(
                "demo fixtures in src/demo/fixtures: {}",
                broken.join("; ")
            ))),
        }
    }

    /// The unit named by `code`.
    pub fn unit(&self, code: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.code == code)
    }

    /// The person named `name`.
    pub fn person(&self, name: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.name == name)
    }

    /// The head of the unit `code` (who makes its commitments).
    pub fn head_of(&self, code: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.unit == code && p.head_of_unit)
    }

    /// Every reference that names no unit or person, or that the load order cannot satisfy,
    /// as a sentence; empty when the fixtures are consistent.
    pub fn dangling(&self) -> Vec<String> {
        let mut broken = self.dangling_in_the_tree();
        let units: HashSet<&str> = self.units.iter().map(|u| u.code.as_str()).collect();
        let people: HashSet<&str> = self.people.iter().map(|p| p.name.as_str()).collect();
        let mut unit = |code: &str, whose: String| {
            if !units.contains(code) {
                broken.push(format!("{whose} names unit {code}, which units.toml does not list"));
            }
        };
        for p in &self.people {
            unit(&p.unit, format!("person {}", p.name));
        }
        for p in &self.problems {
            unit(&p.lead_unit, format!("problem {}", p.code));
            for (j, m) in p.measures.iter().enumerate() {
                for code in std::iter::once(&m.lead_unit).chain(&m.cooperating_units) {
                    unit(code, format!("measure {} of problem {}", j + 1, p.code));
                }
            }
        }
        let heard = self.feedback.iter().map(|f| (&f.unit, "an opinion"));
        let surveyed = self.surveys.iter().map(|s| (&s.unit, "a survey"));
        let pledged = self.commitments.iter().map(|c| (&c.unit, "a commitment"));
        for (code, what) in heard.chain(surveyed).chain(pledged) {
            unit(code, what.to_owned());
        }
        broken.extend(self.dangling_people(&people));
        broken
    }

    /// Units: unique codes, each parent listed before its child.
    fn dangling_in_the_tree(&self) -> Vec<String> {
        let mut broken = Vec::new();
        let mut earlier = HashSet::new();
        for u in &self.units {
            if let Some(parent) = u.parent.as_deref().filter(|p| !earlier.contains(p)) {
                broken.push(format!(
                    "unit {} names parent {parent}, which is not listed before it",
                    u.code
                ));
            }
            if !earlier.insert(u.code.as_str()) {
                broken.push(format!("unit code {} is listed twice", u.code));
            }
        }
        broken
    }

    /// People: unique names; measures' leaders and persons exist; at most one head per unit, and
    /// one for every unit that makes a commitment.
    fn dangling_people(&self, people: &HashSet<&str>) -> Vec<String> {
        let mut broken = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for p in &self.people {
            *seen.entry(p.name.as_str()).or_default() += 1;
        }
        broken.extend(
            seen.iter()
                .filter(|(_, n)| **n > 1)
                .map(|(name, _)| format!("person {name} is listed twice")),
        );
        for p in &self.problems {
            for (j, m) in p.measures.iter().enumerate() {
                for name in [&m.responsible_leader, &m.responsible_person] {
                    if !people.contains(name.as_str()) {
                        broken.push(format!(
                            "measure {} of problem {} names {name}, who people.toml does not list",
                            j + 1,
                            p.code
                        ));
                    }
                }
            }
        }
        let mut heads: HashMap<&str, usize> = HashMap::new();
        for p in self.people.iter().filter(|p| p.head_of_unit) {
            *heads.entry(p.unit.as_str()).or_default() += 1;
        }
        broken.extend(
            heads
                .iter()
                .filter(|(_, n)| **n > 1)
                .map(|(unit, n)| format!("unit {unit} has {n} heads")),
        );
        for c in self.commitments.iter().filter(|c| !heads.contains_key(c.unit.as_str())) {
            broken.push(format!("unit {} makes a commitment but has no head to make it", c.unit));
        }
        broken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_parses_into_the_rows_the_demo_loads() {
        let f = Fixtures::parse().expect("the fixtures parse");
        let measures: usize = f.problems.iter().map(|p| p.measures.len()).sum();
        assert_eq!(
            (f.units.len(), f.people.len(), f.problems.len(), measures),
            (27, 58, 36, 69),
            "units, people, problems, measures"
        );
        let days: i64 = f.calendar.iter().map(|s| (s.last - s.first).num_days() + 1).sum();
        assert_eq!((f.calendar.len(), days), (13, 39), "calendar spans and days");
        assert_eq!(
            (f.feedback.len(), f.surveys.len(), f.commitments.len()),
            (6, 8, 4),
            "open opinions, surveys, commitments"
        );
        assert_eq!(f.campaign.name, "深入学习实践科学发展观活动（第一批）");
    }

    #[test]
    fn every_unit_code_and_person_name_a_fixture_uses_exists() {
        let f = Fixtures::parse().expect("the fixtures parse");
        assert_eq!(f.dangling(), Vec::<String>::new());
    }

    #[test]
    fn a_unit_or_person_that_no_fixture_lists_is_reported() {
        let mut f = Fixtures::parse().expect("the fixtures parse");
        f.units[1].parent = Some("QS-NONE".to_owned());
        f.people[0].unit = "QS-GONE".to_owned();
        f.problems[0].measures[0].responsible_leader = "无名氏".to_owned();
        f.problems[1].measures[0].cooperating_units.push("QS-XXX".to_owned());
        f.surveys[0].unit = "QS-YYY".to_owned();
        f.people.push(f.people[1].clone());
        let broken = f.dangling();
        for needle in ["QS-NONE", "QS-GONE", "无名氏", "QS-XXX", "QS-YYY", "listed twice"] {
            assert!(broken.iter().any(|b| b.contains(needle)), "{needle} not in {broken:?}");
        }
    }

    #[test]
    fn an_unknown_enum_value_fails_when_the_file_is_parsed() {
        let text = "[[unit]]\ncode = \"QS\"\nname = \"中共青山县委\"\nkind = \"BUREAU\"\n";
        let err = parse::<UnitsFile>("units.toml", text)
            .err()
            .expect("BUREAU is no UnitKind");
        let message = err.to_string();
        assert!(
            message.contains("units.toml") && message.contains("BUREAU"),
            "{message}"
        );
        let state = "title = \"t\"\ndescription = \"d\"\nacceptance_criteria = \"a\"\nlead_unit = \"QS\"\n\
                     responsible_leader = \"x\"\nresponsible_person = \"y\"\ndeadline_in_days = 1\nstate = \"DONE\"\n";
        assert!(
            parse::<Measure>("problems.toml", state).is_err(),
            "DONE is no measure state"
        );
    }

    #[test]
    fn a_misspelt_field_fails_when_the_file_is_parsed() {
        let text = "[[unit]]\ncode = \"QS\"\nname = \"中共青山县委\"\nkind = \"COMMITTEE\"\nparnet = \"QS\"\n";
        assert!(parse::<UnitsFile>("units.toml", text).is_err(), "parnet is no field");
    }
}
