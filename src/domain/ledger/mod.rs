//! The ledger itself (台账): campaigns (活动), the problems they find (查摆问题), the measures
//! that fix them (整改措施) and their milestones (时间节点), with the rules of what a measure
//! is: its fields, its filters, when it is overdue, when its progress reports are due (`rhythms`), and
//! the units' acknowledgements of what they were assigned (`receipts`, 签收). How a measure moves between statuses is the
//! lifecycle's room, one floor up.

pub mod campaigns;
pub mod measures;
pub mod milestones;
pub mod overdue;
pub mod problems;
pub mod receipts;
pub mod rhythms;
