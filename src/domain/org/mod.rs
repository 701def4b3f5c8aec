//! The organisation: units (单位) as a tree, the people (人员) in them, and the working-day
//! calendar (工作日) that deadlines and reminders count in. Everything else points at these;
//! they point at nothing but the kernel and the access rules.

pub mod calendar;
pub mod people;
pub mod units;
