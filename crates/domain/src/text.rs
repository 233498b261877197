//! Text normalisation for Vietnamese input.
//!
//! Vietnamese arrives in several byte forms: precomposed (NFC) or decomposed (NFD, common from
//! macOS and some IMEs), with old ("hoà") or new ("hòa") tone placement, with stray
//! non-breaking spaces. Every value is normalised before it is validated or stored, and
//! compared through [`fold`] when a match should ignore diacritics.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// NFC, trimmed, with every run of Unicode whitespace collapsed to one ASCII space.
pub fn normalize(s: &str) -> String {
    let composed: String = s.nfc().collect();
    composed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A diacritic-free, lower-case key for matching: "Thợ Hàn ĐIỆN" → "tho han dien".
///
/// ASCII for Vietnamese text. Byte form (NFC/NFD) and tone placement ("hoà"/"hòa") do not
/// change the result, because all combining marks are dropped.
pub fn fold(s: &str) -> String {
    normalize(s)
        .to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            // đ has no decomposition; ð (U+00F0, Icelandic eth) is a frequent look-alike typo.
            'đ' | 'ð' => 'd',
            other => other,
        })
        .collect()
}

/// A URL-safe key: [`fold`], then every run of non-alphanumerics becomes one `-`.
/// "Thành phố Hồ Chí Minh" → "thanh-pho-ho-chi-minh".
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Thousands grouped the Vietnamese way: "1234567" → "1.234.567".
pub fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NFD_HOA: &str = "ho\u{0061}\u{0300}"; // "hoà" with a combining grave accent

    #[test]
    fn normalize_composes_nfd_input() {
        let decomposed = "Vie\u{0302}\u{0323}t Nam"; // "Việt Nam", NFD
        assert_ne!(decomposed, "Việt Nam");
        assert_eq!(normalize(decomposed), "Việt Nam");
    }

    #[test]
    fn normalize_trims_and_collapses_unicode_whitespace() {
        assert_eq!(normalize("  Thợ \t\n hàn\u{00A0}\u{00A0}điện  "), "Thợ hàn điện");
        assert_eq!(normalize(" \u{3000} "), "");
    }

    #[test]
    fn fold_strips_diacritics_and_lowercases() {
        assert_eq!(fold("Thợ Hàn ĐIỆN"), "tho han dien");
        assert_eq!(fold("Nguyễn Thị Ánh Tuyết"), "nguyen thi anh tuyet");
    }

    #[test]
    fn fold_maps_d_with_stroke() {
        assert_eq!(fold("Đà Nẵng"), "da nang");
        assert_eq!(fold("đường ĐỒNG"), "duong dong");
    }

    #[test]
    fn fold_is_independent_of_byte_form_and_tone_placement() {
        assert_eq!(fold(NFD_HOA), fold("hoà"));
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("Thuỷ"), fold("Thủy"));
        assert_eq!(fold("hòa"), "hoa");
        let nfd: String = "Điện Biên Phủ".nfd().collect();
        assert_eq!(fold(&nfd), fold("Điện Biên Phủ"));
    }

    #[test]
    fn fold_of_vietnamese_is_ascii() {
        let all = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ";
        let folded = fold(all);
        assert!(folded.is_ascii(), "{folded}");
        assert_eq!(folded, fold(&all.to_lowercase()));
        assert_eq!(folded.len(), all.chars().count());
    }

    #[test]
    fn slug_joins_words_with_single_dashes() {
        assert_eq!(slug("Thành phố Hồ Chí Minh"), "thanh-pho-ho-chi-minh");
        assert_eq!(slug("  Bà Rịa – Vũng Tàu!! "), "ba-ria-vung-tau");
        assert_eq!(slug("Xã Đông Hòa (cũ)"), "xa-dong-hoa-cu");
        assert_eq!(slug("---"), "");
    }
}
