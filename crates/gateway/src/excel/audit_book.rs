//! The audit trail as a workbook (`/export/audit.xlsx`): one row per record, newest first, every
//! column the trail keeps, for a security review that reads it offline. Texts are written as
//! strings, never as formulas (a username of `=cmd|…` stays text).

use jixiao_store::AuditRecord;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Most records one workbook holds; a longer range is narrowed with `from` and `to`.
pub const MAX_ROWS: u64 = 100_000;

const HEADERS: [&str; 13] = [
    "序号",
    "时间",
    "用户编号",
    "用户",
    "地址",
    "请求编号",
    "操作",
    "对象",
    "操作前版本",
    "操作后版本",
    "结果",
    "说明",
    "哈希",
];

pub fn audit_workbook(records: &[AuditRecord]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("审计日志")?;
    for (col, header) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *header, &bold)?;
    }
    for (i, r) in records.iter().enumerate() {
        let row = i as u32 + 1;
        let number = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let cells = [
            r.id.to_string(),
            r.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            number(r.actor_id),
            r.actor.clone(),
            r.address.clone(),
            r.request_id.clone(),
            r.operation.clone(),
            r.objects.trim().to_string(),
            number(r.version_before),
            number(r.version_after),
            r.outcome.clone(),
            r.detail.clone(),
            r.hash.clone(),
        ];
        for (col, text) in cells.iter().enumerate() {
            ws.write_string(row, col as u16, text)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}
