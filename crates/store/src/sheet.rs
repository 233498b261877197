//! Spreadsheets that staff fill in Excel (plans, the training-needs survey): the first sheet of
//! an XLSX workbook read as text rows under a header, and the problems of refused rows. An
//! import is all or nothing: with any bad row nothing is written and every bad row is reported
//! with its number in the sheet and the reason.

use caunoi_domain::ValidationError;

/// A refused row: its row number in the sheet (the header is row 1) and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowProblem {
    pub row: u32,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

impl RowProblem {
    pub fn new(row: u32, error: ValidationError) -> Self {
        Self { row, code: error.code.to_owned(), message_vi: error.message_vi, message_en: error.message_en }
    }
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        #[allow(clippy::cast_possible_truncation, reason = "whole and below 1e15")]
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        // A decimal comma, so that `Figure::parse_vi` does not read "0.125" as thousands.
        Data::Float(f) => f.to_string().replace('.', ","),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("{e:?}"),
    }
}

/// The first sheet: its header, the header's row number, and the rows that are not blank, each
/// with its row number in the sheet.
pub struct Sheet {
    pub header: Vec<String>,
    pub header_row: u32,
    pub rows: Vec<(u32, Vec<String>)>,
}

fn unreadable(code: &'static str, message: &str) -> RowProblem {
    RowProblem::new(
        1,
        ValidationError::new(
            "file",
            code,
            format!("Không đọc được tệp XLSX: {message}."),
            format!("The XLSX file cannot be read: {message}."),
        ),
    )
}

/// Reads the first sheet of a workbook; `code` names the import in the error of an unreadable
/// file (`plan_import.file`, `survey_import.file`).
pub fn read_first_sheet(bytes: &[u8], code: &'static str) -> Result<Sheet, RowProblem> {
    use calamine::{Reader, Xlsx};
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(code, &e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable(code, "không có trang tính nào"))?
        .map_err(|e| unreadable(code, &e.to_string()))?;
    let first_row = range.start().map_or(0, |(row, _)| row);
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().map(|r| r.iter().map(cell_text).collect()).unwrap_or_default();
    let rows = rows
        .enumerate()
        .map(|(i, row)| (first_row + u32::try_from(i).unwrap_or(u32::MAX - 2) + 2, row.iter().map(cell_text).collect::<Vec<_>>()))
        .filter(|(_, cells)| !cells.iter().all(|t| t.trim().is_empty()))
        .collect();
    Ok(Sheet { header, header_row: first_row + 1, rows })
}
