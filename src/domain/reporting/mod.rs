//! Reporting: figures of the ledger now or as of a past instant (`stats`, computed from the
//! audit trail's snapshots), the unit ranking (`ranking`), missing progress reports (`reports_due`), late acknowledgements (`receipts_due`), bulletins (`bulletins`, 通报) and the
//! ledger exports (`export`, CSV and Excel). Reports only read.

pub mod bulletins;
pub mod export;
pub mod ranking;
pub mod receipts_due;
pub mod reports_due;
pub mod stats;
