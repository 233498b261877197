use caunoi_domain::{Currency, PayPeriod};
use caunoi_ingest::salary::parse_salary;

const M: i64 = 1_000_000;

/// (text, min, max, currency, period, negotiable); amounts in minor units.
type Case = (&'static str, Option<i64>, Option<i64>, Currency, PayPeriod, bool);

#[test]
fn vietnamese_wage_texts() {
    use Currency::*;
    use PayPeriod::*;
    let cases: &[Case] = &[
        ("8 - 12 triệu", Some(8 * M), Some(12 * M), Vnd, Month, false),
        ("8-12 triệu", Some(8 * M), Some(12 * M), Vnd, Month, false),
        ("8 – 12 triệu đồng/tháng", Some(8 * M), Some(12 * M), Vnd, Month, false),
        ("8tr - 12tr", Some(8 * M), Some(12 * M), Vnd, Month, false),
        ("10-15tr", Some(10 * M), Some(15 * M), Vnd, Month, false),
        ("Từ 8 triệu", Some(8 * M), None, Vnd, Month, false),
        ("tu 8 trieu", Some(8 * M), None, Vnd, Month, false),
        ("Trên 11 triệu VND", Some(11 * M), None, Vnd, Month, false),
        ("Lên đến 35 triệu", None, Some(35 * M), Vnd, Month, false),
        ("Tới 20 triệu", None, Some(20 * M), Vnd, Month, false),
        ("Thu nhập từ 6,5 triệu", Some(6_500_000), None, Vnd, Month, false),
        ("7tr5", Some(7_500_000), Some(7_500_000), Vnd, Month, false),
        ("7tr5 - 9tr", Some(7_500_000), Some(9 * M), Vnd, Month, false),
        ("8.000.000đ", Some(8 * M), Some(8 * M), Vnd, Month, false),
        ("8.000.000 - 12.000.000 VNĐ", Some(8 * M), Some(12 * M), Vnd, Month, false),
        ("Lương 8 đến 12 triệu", Some(8 * M), Some(12 * M), Vnd, Month, false),
        ("8 - 12", Some(8 * M), Some(12 * M), Vnd, Month, false),
        ("Thỏa thuận", None, None, Vnd, Month, true),
        ("Thoả thuận", None, None, Vnd, Month, true),
        ("thoa thuan", None, None, Vnd, Month, true),
        ("Cạnh tranh", None, None, Vnd, Month, true),
        ("Thương lượng", None, None, Vnd, Month, true),
        ("8 - 12 triệu, thỏa thuận theo năng lực", Some(8 * M), Some(12 * M), Vnd, Month, true),
        ("$1200 - $1800", Some(120_000), Some(180_000), Usd, Month, false),
        ("1.000 - 1.500 USD", Some(100_000), Some(150_000), Usd, Month, false),
        ("1,200 - 1,800 USD/tháng", Some(120_000), Some(180_000), Usd, Month, false),
        ("Up to $2000", None, Some(200_000), Usd, Month, false),
        ("180.000 yên/tháng", Some(180_000), Some(180_000), Jpy, Month, false),
        ("¥180,000", Some(180_000), Some(180_000), Jpy, Month, false),
        ("18 man", Some(180_000), Some(180_000), Jpy, Month, false),
        ("18 - 22 man/tháng", Some(180_000), Some(220_000), Jpy, Month, false),
        ("1.200 yên/giờ", Some(1_200), Some(1_200), Jpy, Hour, false),
        ("2.096.270 won", Some(2_096_270), Some(2_096_270), Krw, Month, false),
        ("28.590 Đài tệ/tháng", Some(2_859_000), Some(2_859_000), Twd, Month, false),
        ("2.000 EUR", Some(200_000), Some(200_000), Eur, Month, false),
        ("300k/ngày", Some(300_000), Some(300_000), Vnd, Day, false),
        ("300.000 đ/ngày", Some(300_000), Some(300_000), Vnd, Day, false),
        ("250.000 - 350.000 đ/ngày", Some(250_000), Some(350_000), Vnd, Day, false),
        ("25.000đ/giờ", Some(25_000), Some(25_000), Vnd, Hour, false),
        ("25 nghìn/giờ", Some(25_000), Some(25_000), Vnd, Hour, false),
        ("Lương theo giờ 30.000đ", Some(30_000), Some(30_000), Vnd, Hour, false),
        ("120 - 180 triệu/năm", Some(120 * M), Some(180 * M), Vnd, Year, false),
        ("Lương cơ bản 6 triệu + phụ cấp 1 triệu", Some(6 * M), Some(6 * M), Vnd, Month, false),
        ("10 - 15 triệu (chưa gồm thưởng tháng 13)", Some(10 * M), Some(15 * M), Vnd, Month, false),
        ("12 - 8 triệu", Some(8 * M), Some(12 * M), Vnd, Month, false),
        ("  8\u{00A0}-\u{00A0}12 TRIỆU  ", Some(8 * M), Some(12 * M), Vnd, Month, false),
        ("8 - 12 trie\u{0302}\u{0323}u", Some(8 * M), Some(12 * M), Vnd, Month, false),
    ];
    for (text, min, max, currency, period, negotiable) in cases {
        let range = parse_salary(text, Currency::Vnd).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            (range.min(), range.max(), range.currency(), range.period(), range.is_negotiable()),
            (*min, *max, *currency, *period, *negotiable),
            "{text}"
        );
    }
}

#[test]
fn default_currency_applies_to_bare_amounts_of_overseas_orders() {
    let range = parse_salary("160.000 - 200.000/tháng", Currency::Jpy).unwrap();
    assert_eq!((range.min(), range.max(), range.currency()), (Some(160_000), Some(200_000), Currency::Jpy));
    let negotiable = parse_salary("Thỏa thuận", Currency::Krw).unwrap();
    assert_eq!(negotiable.currency(), Currency::Krw);
}

#[test]
fn unreadable_wages_are_errors_with_vietnamese_messages() {
    for text in ["", "liên hệ", "xem chi tiết", "abc", "99999999999999999999999 triệu"] {
        let error = parse_salary(text, Currency::Vnd).unwrap_err();
        assert!(error.code == "salary.unparsed" || error.code == "salary.too_large", "{text}: {}", error.code);
        assert!(!error.message_vi.is_empty() && !error.message_en.is_empty());
    }
}
