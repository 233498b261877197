//! Vietnamese text analysis for tantivy.
//!
//! Vietnamese writes every syllable apart ("kỹ sư xây dựng"), marks tones with diacritics that
//! users on phones often leave out, and has đ/Đ, which Unicode does not decompose. So each text
//! is indexed three ways:
//! - `vi_fold`: lower-cased and folded to ASCII (đ→d) — recall, "tho han" finds "thợ hàn";
//! - `vi_exact`: lower-cased with diacritics kept — ranks exact matches higher ("đường" ≠ "dương");
//! - `vi_bigram`: folded syllable pairs ("ky_su", "xay_dung") — multi-syllable words score as units.
//!
//! Input must be NFC (a word in NFD splits at its combining marks); the store keeps text NFC
//! and queries are normalised with `caunoi_domain::text::normalize` before analysis.
//!
//! All three run on [`VietnameseTokenizer`], one pass over the text that splits, lower-cases and
//! folds together. Its tokens are those of tantivy's chain `SimpleTokenizer` → `RemoveLongFilter`
//! → `LowerCaser` (→ `AsciiFoldingFilter`), which it replaces because the chain walks every
//! token once per step and decodes Vietnamese letters in each step (a tenth of a rebuild's CPU):
//! the per-letter table below is made from that chain, and a token with any letter outside the
//! table is handed to the chain itself, so the two cannot disagree.

use std::sync::LazyLock;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

pub const FOLD: &str = "vi_fold";
pub const EXACT: &str = "vi_exact";
pub const BIGRAM: &str = "vi_bigram";

/// Longest token kept (in bytes as written); Vietnamese syllables have at most 7 letters,
/// longer tokens are codes.
const MAX_TOKEN_BYTES: usize = 40;

pub fn fold_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(VietnameseTokenizer::folding())
}

pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(VietnameseTokenizer::exact())
}

pub fn bigram_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(VietnameseTokenizer::folding()).filter(Bigrams).build()
}

/// Registers the three analyzers under their names.
pub fn register(tokenizers: &TokenizerManager) {
    tokenizers.register(FOLD, fold_analyzer());
    tokenizers.register(EXACT, exact_analyzer());
    tokenizers.register(BIGRAM, bigram_analyzer());
}

/// The tokens an analyzer makes of a text (used to build queries the same way as the index).
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The folded words of what someone typed (normalised first), as the folded fields index them.
pub fn folded_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    VietnameseTokenizer::folding().for_each_token(&caunoi_domain::text::normalize_cow(text), |token| out.push(token.to_owned()));
    out
}

/// What the tokenizer does with one character.
#[derive(Clone, Copy)]
enum Letter {
    /// Not alphanumeric: ends a token.
    Separator,
    /// Its lower case and its ASCII fold, as the chain makes them.
    Mapped { lower: char, folded: u8 },
    /// Alphanumeric, but its lower case or its fold is not one letter: the chain makes the token.
    Chain,
}

/// The non-ASCII characters of the table: Latin-1 and the Latin blocks Vietnamese (and most
/// names of employers and places) is written in.
const TABLE_START: u32 = 0x0080;
const TABLE_END: u32 = 0x1EFF;

/// [`Letter`] of every character from U+0080 to U+1EFF, made by asking the chain.
static LETTERS: LazyLock<Vec<Letter>> = LazyLock::new(|| {
    let (mut lower_chain, mut fold_chain) = (word_chain(false), word_chain(true));
    (TABLE_START..=TABLE_END)
        .map(|code| {
            let Some(c) = char::from_u32(code).filter(|c| c.is_alphanumeric()) else { return Letter::Separator };
            let text = c.to_string();
            match (single_char(&tokens(&mut lower_chain, &text)), single_char(&tokens(&mut fold_chain, &text))) {
                (Some(lower), Some(folded)) if folded.is_ascii_alphanumeric() => Letter::Mapped { lower, folded: folded as u8 },
                _ => Letter::Chain,
            }
        })
        .collect()
});

fn single_char(tokens: &[String]) -> Option<char> {
    let [token] = tokens else { return None };
    let mut chars = token.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

fn non_ascii_letter(c: char) -> Letter {
    let code = c as u32;
    if (TABLE_START..=TABLE_END).contains(&code) {
        LETTERS[(code - TABLE_START) as usize]
    } else if c.is_alphanumeric() {
        Letter::Chain
    } else {
        Letter::Separator
    }
}

/// tantivy's lower-casing (and folding) of one whole word: what the table is made from, and
/// what makes the tokens the table cannot.
fn word_chain(fold: bool) -> TextAnalyzer {
    let lower = TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser);
    if fold { lower.filter(AsciiFoldingFilter).build() } else { lower.build() }
}

/// The chain's token of one word with a letter outside the table (rare: Greek, ligatures).
fn chain_token(fold: bool, word: &str) -> String {
    // The chain maps one token to one token.
    tokens(&mut word_chain(fold), word).pop().unwrap_or_default()
}

/// Splits at every character that is not alphanumeric, drops tokens of [`MAX_TOKEN_BYTES`] or
/// more, lower-cases, and folds to ASCII when `fold` — in one pass.
#[derive(Clone)]
pub struct VietnameseTokenizer {
    fold: bool,
    token: Token,
}

impl VietnameseTokenizer {
    pub fn folding() -> Self {
        Self { fold: true, token: Token::default() }
    }

    pub fn exact() -> Self {
        Self { fold: false, token: Token::default() }
    }

    /// Calls `each` with the text of every token, in order (no [`Token`] bookkeeping).
    fn for_each_token(&self, text: &str, mut each: impl FnMut(&str)) {
        let mut scanner = Scanner { text, at: 0, fold: self.fold };
        let mut buffer = String::new();
        while let Some(run) = scanner.next_run(&mut buffer) {
            if run.kept {
                each(&buffer);
            }
        }
    }
}

/// One run of alphanumerics: where it starts and ends, and whether it is short enough to be a
/// token (under [`MAX_TOKEN_BYTES`] as written, as `RemoveLongFilter` counts; a dropped run
/// still takes a position, as in the chain).
struct Run {
    start: usize,
    end: usize,
    kept: bool,
}

struct Scanner<'a> {
    text: &'a str,
    /// Byte offset of the next character to read.
    at: usize,
    fold: bool,
}

impl Scanner<'_> {
    /// The next run, its token text written into `out` (when kept).
    fn next_run(&mut self, out: &mut String) -> Option<Run> {
        out.clear();
        let bytes = self.text.as_bytes();
        let mut start = None;
        let mut needs_chain = false;
        while let Some(&byte) = bytes.get(self.at) {
            let (letter, len) = if byte.is_ascii() {
                let lower = byte.to_ascii_lowercase();
                (if byte.is_ascii_alphanumeric() { Letter::Mapped { lower: char::from(lower), folded: lower } } else { Letter::Separator }, 1)
            } else {
                let c = self.text[self.at..].chars().next()?;
                (non_ascii_letter(c), c.len_utf8())
            };
            match letter {
                // Left unread: the next call skips it.
                Letter::Separator if start.is_some() => break,
                Letter::Separator => {}
                Letter::Mapped { lower, folded } => {
                    start.get_or_insert(self.at);
                    out.push(if self.fold { char::from(folded) } else { lower });
                }
                Letter::Chain => {
                    start.get_or_insert(self.at);
                    needs_chain = true;
                }
            }
            self.at += len;
        }
        let start = start?;
        let run = Run { start, end: self.at, kept: self.at - start < MAX_TOKEN_BYTES };
        if run.kept && needs_chain {
            *out = chain_token(self.fold, &self.text[start..self.at]);
        }
        Some(run)
    }
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VietnameseTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietnameseTokenStream<'a> {
        self.token.reset();
        VietnameseTokenStream { scanner: Scanner { text, at: 0, fold: self.fold }, token: &mut self.token }
    }
}

pub struct VietnameseTokenStream<'a> {
    scanner: Scanner<'a>,
    token: &'a mut Token,
}

impl TokenStream for VietnameseTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some(run) = self.scanner.next_run(&mut self.token.text) {
            self.token.position = self.token.position.wrapping_add(1);
            if run.kept {
                self.token.offset_from = run.start;
                self.token.offset_to = run.end;
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Emits each pair of neighbouring tokens joined by `_`, and nothing for a single token.
#[derive(Clone, Copy)]
pub struct Bigrams;

impl TokenFilter for Bigrams {
    type Tokenizer<T: Tokenizer> = BigramTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> BigramTokenizer<T> {
        BigramTokenizer { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct BigramTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for BigramTokenizer<T> {
    type TokenStream<'a> = BigramTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        BigramTokenStream { tail: self.inner.token_stream(text), previous: None, token: Token::default() }
    }
}

pub struct BigramTokenStream<S> {
    tail: S,
    /// The previous token's start, position and text.
    previous: Option<(usize, usize, String)>,
    token: Token,
}

impl<S: TokenStream> TokenStream for BigramTokenStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let current = self.tail.token();
            let Some((offset_from, position, text)) = &mut self.previous else {
                self.previous = Some((current.offset_from, current.position, current.text.clone()));
                continue;
            };
            self.token.text.clear();
            self.token.text.push_str(text);
            self.token.text.push('_');
            self.token.text.push_str(&current.text);
            self.token.offset_from = *offset_from;
            self.token.offset_to = current.offset_to;
            self.token.position = *position;
            *offset_from = current.offset_from;
            *position = current.position;
            text.clone_from(&current.text);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn folding_makes_accents_case_and_d_stroke_equal() {
        let mut fold = fold_analyzer();
        for text in ["thợ hàn điện", "THỢ HÀN ĐIỆN", "tho han dien", "Thợ Hàn Điện"] {
            assert_eq!(tokens(&mut fold, text), ["tho", "han", "dien"], "{text}");
        }
        assert_eq!(tokens(&mut fold, "Đà Nẵng, Đắk Lắk"), ["da", "nang", "dak", "lak"]);
    }

    #[test]
    fn old_and_new_tone_placement_fold_together() {
        let mut fold = fold_analyzer();
        assert_eq!(tokens(&mut fold, "Hoà Bình"), tokens(&mut fold, "Hòa Bình"));
        assert_eq!(tokens(&mut fold, "thuỷ sản"), tokens(&mut fold, "thủy sản"));
    }

    #[test]
    fn exact_keeps_diacritics() {
        let mut exact = exact_analyzer();
        assert_eq!(tokens(&mut exact, "Đường Dương"), ["đường", "dương"]);
    }

    /// The tantivy chain the one-pass tokenizer replaces.
    fn chain(fold: bool) -> TextAnalyzer {
        use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer};
        let builder = TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES)).filter(LowerCaser);
        if fold { builder.filter(AsciiFoldingFilter).build() } else { builder.build() }
    }

    fn all_tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    fn assert_same_as_chain(text: &str) {
        assert_eq!(all_tokens(&mut fold_analyzer(), text), all_tokens(&mut chain(true), text), "fold: {text:?}");
        assert_eq!(all_tokens(&mut exact_analyzer(), text), all_tokens(&mut chain(false), text), "exact: {text:?}");
    }

    #[test]
    fn one_pass_tokens_equal_the_chains() {
        let long = "x".repeat(MAX_TOKEN_BYTES);
        let texts = [
            "Thợ hàn điện — ĐÀ NẴNG, Đắk Lắk; kỹ sư xây dựng (3 năm)",
            "Công nhân may: 8.000.000đ/tháng, làm việc tại KCN Quế Võ",
            "ÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ ÈÉẺẼẸ ÊỀẾỂỄỆ ÌÍỈĨỊ ÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ ÙÚỦŨỤ ƯỪỨỬỮỰ ỲÝỶỸỴ Đđ",
            "Straße Œuvre ﬁnance İstanbul ΣΟΦΊΑ Москва 東京 ½ ² ⅷ 🚗xe",
            "Vie\u{0302}\u{0323}t Nam",
            &format!("{long} {long}y ngắn {}ơ", "x".repeat(MAX_TOKEN_BYTES - 3)),
            "",
            "  ...  ",
        ];
        for text in texts {
            assert_same_as_chain(text);
        }
        // Every letter of the table's blocks, alone and inside a word.
        for code in TABLE_START - 0x40..=TABLE_END + 0x40 {
            if let Some(c) = char::from_u32(code) {
                assert_same_as_chain(&format!("{c} a{c}b {c}{c}"));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn one_pass_tokens_equal_the_chains_on_any_text(text in "\\PC{0,60}") {
            assert_same_as_chain(&text);
        }
    }

    #[test]
    fn folded_words_of_typed_text() {
        assert_eq!(folded_words("  Thợ HÀN\u{0111}iện "), ["tho", "handien"]);
        assert!(folded_words("!!! 🙂").is_empty());
    }

    #[test]
    fn bigrams_pair_neighbouring_syllables() {
        let mut bigram = bigram_analyzer();
        assert_eq!(tokens(&mut bigram, "Kỹ sư cơ khí"), ["ky_su", "su_co", "co_khi"]);
        assert!(tokens(&mut bigram, "may").is_empty());
    }
}
