//! CSV and XLSX sheets with Vietnamese column headers (the template in
//! `crates/ingest/templates/vacancies-template.csv`). Headers are matched folded — with or
//! without diacritics, any case, any punctuation — against the names below.

use std::io::BufRead;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use serde_json::{Map, Value};

use caunoi_domain::text::fold;

use crate::error::IngestError;
use crate::sources::{Item, item_from_value};

/// Column headers (folded) → the raw record field they fill. The first name of each field is
/// the template's header.
pub const HEADERS: &[(&str, &[&str])] = &[
    ("external_id", &["Mã tin", "Mã tin tuyển dụng", "Mã tuyển dụng", "ID", "external_id"]),
    ("title", &["Vị trí tuyển dụng", "Vị trí", "Chức danh", "Tên công việc", "Tiêu đề", "Công việc", "title"]),
    ("employer_name", &["Tên doanh nghiệp", "Doanh nghiệp", "Nhà tuyển dụng", "Công ty", "Đơn vị tuyển dụng", "Tên đơn vị", "employer_name"]),
    ("employer_tax_code", &["Mã số thuế", "MST", "employer_tax_code"]),
    ("salary", &["Mức lương", "Lương", "Thu nhập", "Mức thu nhập", "salary"]),
    ("location", &["Nơi làm việc", "Địa điểm làm việc", "Địa chỉ làm việc", "Địa điểm", "location"]),
    ("province", &["Tỉnh/Thành phố", "Tỉnh", "Tỉnh thành", "province"]),
    ("commune_code", &["Mã xã", "Mã xã/phường", "commune_code"]),
    ("quantity", &["Số lượng", "Số lượng tuyển", "Số lượng cần tuyển", "quantity"]),
    ("employment_type", &["Hình thức làm việc", "Hình thức", "employment_type"]),
    ("occupation_code", &["Mã nghề", "Mã nghề ISCO", "Mã ISCO", "occupation_code"]),
    ("description", &["Mô tả công việc", "Mô tả", "description"]),
    ("requirements", &["Yêu cầu", "Yêu cầu công việc", "Yêu cầu ứng viên", "requirements"]),
    ("benefits", &["Quyền lợi", "Phúc lợi", "Chế độ", "benefits"]),
    ("deadline", &["Hạn nộp hồ sơ", "Hạn nộp", "Hạn tuyển", "Hạn chót", "deadline"]),
    ("posted_at", &["Ngày đăng", "Ngày đăng tin", "posted_at"]),
    ("country", &["Quốc gia", "Nước đến", "Nước làm việc", "country"]),
    ("programme", &["Chương trình", "programme"]),
    ("contract_months", &["Thời hạn hợp đồng (tháng)", "Thời hạn hợp đồng", "contract_months"]),
    ("status", &["Trạng thái", "status"]),
    ("removed", &["Đã gỡ", "Gỡ tin", "removed"]),
];

fn header_key(header: &str) -> String {
    fold(header).split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The field a header fills, if it is one of [`HEADERS`].
pub fn field_for_header(header: &str) -> Option<&'static str> {
    let key = header_key(header);
    HEADERS.iter().find(|(_, names)| names.iter().any(|n| header_key(n) == key)).map(|(field, _)| *field)
}

/// Maps a header row; a sheet without a title column cannot be read.
fn columns(headers: &[String]) -> Result<Vec<Option<&'static str>>, IngestError> {
    let columns: Vec<Option<&'static str>> = headers.iter().map(|h| field_for_header(h)).collect();
    if !columns.contains(&Some("title")) {
        return Err(IngestError::MissingColumn { header: "Vị trí tuyển dụng".to_owned(), found: headers.join(", ") });
    }
    Ok(columns)
}

/// One data row's record; `row` is its number as the spreadsheet shows it (the header is row 1).
fn row_item(headers: &[String], columns: &[Option<&'static str>], cells: Vec<String>, row: u64) -> Option<Item> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        return None;
    }
    let mut fields = Map::new();
    let mut original = Map::new();
    for ((header, column), cell) in headers.iter().zip(columns).zip(cells) {
        if cell.trim().is_empty() {
            continue;
        }
        original.insert(header.clone(), Value::String(cell.clone()));
        if let Some(field) = column {
            fields.insert((*field).to_owned(), Value::String(cell));
        }
    }
    Some(item_from_value(Value::Object(fields), Value::Object(original).to_string()).at(row))
}

/// Streams the rows of a CSV file (UTF-8, with or without BOM; `,` or `;` separated).
pub fn csv_records<R: BufRead + Send + 'static>(mut reader: R) -> Result<Box<dyn Iterator<Item = Result<Item, IngestError>> + Send>, IngestError> {
    let read_error = |e: std::io::Error| IngestError::Read(e.to_string());
    let buffer = reader.fill_buf().map_err(read_error)?;
    let bom = if buffer.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    let first_line = buffer[bom..].split(|b| *b == b'\n').next().unwrap_or_default();
    let semicolons = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    let delimiter = if semicolons > commas { b';' } else { b',' };
    reader.consume(bom);
    let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(true).from_reader(reader);
    let headers: Vec<String> = csv.headers().map_err(|e| IngestError::Read(e.to_string()))?.iter().map(str::to_owned).collect();
    let columns = columns(&headers)?;
    let rows = csv.into_records().filter_map(move |row| match row {
        // A CSV row is numbered by the line it starts on: the row Excel shows, unless a cell
        // above holds a line break.
        Ok(row) => {
            let line = row.position().map_or(0, csv::Position::line);
            row_item(&headers, &columns, row.iter().map(str::to_owned).collect(), line).map(Ok)
        }
        Err(error) => Some(Err(IngestError::Read(error.to_string()))),
    });
    Ok(Box::new(rows))
}

/// Rows read ahead of the consumer: the reader thread waits when they are not taken.
const XLSX_ROWS_IN_FLIGHT: usize = 256;
/// Excel's last column (XFD): a cell reference beyond it is not a real column.
const XLSX_MAX_COLUMNS: usize = 16_384;

/// Streams the rows of the first sheet of an XLSX workbook.
pub fn xlsx_records(path: &Path) -> Result<Box<dyn Iterator<Item = Result<Item, IngestError>> + Send>, IngestError> {
    let workbook: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|e: calamine::XlsxError| IngestError::Read(e.to_string()))?;
    xlsx_sheet_records(workbook)
}

/// The first sheet of an XLSX workbook held in memory (an upload).
pub fn xlsx_bytes_records(bytes: Vec<u8>) -> Result<Box<dyn Iterator<Item = Result<Item, IngestError>> + Send>, IngestError> {
    use calamine::Reader as _;
    let workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| IngestError::Read(e.to_string()))?;
    xlsx_sheet_records(workbook)
}

/// The sheet's cells are read one at a time on a thread of their own (the cell reader borrows
/// the workbook) and handed over row by row through a bounded channel, so memory holds the
/// workbook's shared strings and a few hundred rows, not the whole sheet. A sheet without a
/// title column is refused before any row is taken.
fn xlsx_sheet_records<R: std::io::Read + std::io::Seek + Send + 'static>(
    workbook: calamine::Xlsx<R>,
) -> Result<Box<dyn Iterator<Item = Result<Item, IngestError>> + Send>, IngestError> {
    let (header_sender, header) = std::sync::mpsc::sync_channel(1);
    let (row_sender, rows) = std::sync::mpsc::sync_channel(XLSX_ROWS_IN_FLIGHT);
    std::thread::Builder::new()
        .name("xlsx-reader".to_owned())
        .spawn(move || read_first_sheet(workbook, &header_sender, &row_sender))
        .map_err(|e| IngestError::Read(format!("cannot start the XLSX reader: {e}")))?;
    header.recv().map_err(|_| IngestError::Read("the XLSX reader stopped".to_owned()))??;
    Ok(Box::new(rows.into_iter()))
}

type HeaderSender = std::sync::mpsc::SyncSender<Result<(), IngestError>>;
type RowSender = std::sync::mpsc::SyncSender<Result<Item, IngestError>>;

/// Reads until the sheet ends, the consumer hangs up, or an error (sent to whoever waits: the
/// header's receiver before the header row, the rows' after).
fn read_first_sheet<R: std::io::Read + std::io::Seek>(mut workbook: calamine::Xlsx<R>, header: &HeaderSender, rows: &RowSender) {
    use calamine::Reader;
    let read_error = |e: calamine::XlsxError| IngestError::Read(e.to_string());
    let Some(name) = workbook.sheet_names().first().cloned() else {
        header.send(Err(IngestError::Read("the workbook has no sheet".to_owned()))).ok();
        return;
    };
    let mut cells = match workbook.worksheet_cells_reader(&name) {
        Ok(cells) => cells,
        Err(error) => {
            header.send(Err(read_error(error))).ok();
            return;
        }
    };
    let mut layout: Option<(Vec<String>, Vec<Option<&'static str>>)> = None;
    let mut row: Option<u32> = None;
    let mut values: Vec<String> = Vec::new();
    loop {
        let next = match cells.next_cell() {
            Ok(next) => next,
            Err(error) => {
                let error = read_error(error);
                match layout {
                    None => header.send(Err(error)).ok(),
                    Some(_) => rows.send(Err(error)).ok(),
                };
                return;
            }
        };
        // Cells come row by row: a new row number (or the end) completes the previous row.
        let position = next.as_ref().map(calamine::Cell::get_position);
        if row.is_some() && position.map(|(r, _)| r) != row {
            let finished = std::mem::take(&mut values);
            match &layout {
                None => match columns(&finished) {
                    Ok(columns) => {
                        layout = Some((finished, columns));
                        header.send(Ok(())).ok();
                    }
                    Err(error) => {
                        header.send(Err(error)).ok();
                        return;
                    }
                },
                Some((headers, columns)) => {
                    let cells = finished.into_iter().zip(columns).map(|(value, column)| restore_tax_code(value, *column)).collect();
                    // calamine counts rows from 0; the spreadsheet from 1.
                    let number = row.map_or(0, |r| u64::from(r) + 1);
                    if let Some(item) = row_item(headers, columns, cells, number)
                        && rows.send(Ok(item)).is_err()
                    {
                        return;
                    }
                }
            }
        }
        let Some(cell) = next else { break };
        let (row_number, column) = cell.get_position();
        row = Some(row_number);
        let column = column as usize;
        if column < XLSX_MAX_COLUMNS {
            if values.len() <= column {
                values.resize(column + 1, String::new());
            }
            values[column] = cell_text(cell.get_value());
        }
    }
    if layout.is_none() {
        header.send(columns(&[]).map(drop)).ok();
    }
}

fn cell_text(cell: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(serial) => {
            let serial = serial.as_f64();
            excel_date(serial).map_or_else(|| serial.to_string(), |d| d.format("%Y-%m-%d").to_string())
        }
        DataRef::Error(e) => format!("{e:?}"),
    }
}

/// A tax code typed as a number loses its leading zero (0101234567 → 101234567).
fn restore_tax_code(value: String, column: Option<&'static str>) -> String {
    if column == Some("employer_tax_code") && value.len() == 9 && value.chars().all(|c| c.is_ascii_digit()) { format!("0{value}") } else { value }
}

/// Excel's serial day number (days since 1899-12-30) → a date.
fn excel_date(serial: f64) -> Option<NaiveDate> {
    let days = serial.floor();
    if !(1.0..=2_958_465.0).contains(&days) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(Duration::days(days as i64))
}
