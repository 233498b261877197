//! Vietnamese text analysis for tantivy.
//!
//! Vietnamese writes every syllable apart ("kỹ sư xây dựng"), marks tones with diacritics that
//! users on phones often leave out, and has đ/Đ, which Unicode does not decompose. So each text
//! is indexed three ways:
//! - `vi_fold`: lower-cased and folded to ASCII (đ→d) — recall, "tho han" finds "thợ hàn";
//! - `vi_exact`: lower-cased with diacritics kept — ranks exact matches higher ("đường" ≠ "dương");
//! - `vi_bigram`: folded syllable pairs ("ky_su", "xay_dung") — multi-syllable words score as units.
//!
//! Input must be NFC (SimpleTokenizer splits NFD words at combining marks); the store keeps text
//! NFC and [`crate::query`] normalises queries with `caunoi_domain::text::normalize`.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer, TokenizerManager,
};

pub const FOLD: &str = "vi_fold";
pub const EXACT: &str = "vi_exact";
pub const BIGRAM: &str = "vi_bigram";

/// Longest token kept; Vietnamese syllables have at most 7 letters, longer tokens are codes.
const MAX_TOKEN_BYTES: usize = 40;

pub fn fold_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES)).filter(LowerCaser).build()
}

pub fn bigram_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Bigrams)
        .build()
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
    previous: Option<Token>,
    token: Token,
}

impl<S: TokenStream> TokenStream for BigramTokenStream<S> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.tail.advance() {
                return false;
            }
            let current = self.tail.token().clone();
            if let Some(previous) = self.previous.replace(current.clone()) {
                self.token = Token {
                    offset_from: previous.offset_from,
                    offset_to: current.offset_to,
                    position: previous.position,
                    text: format!("{}_{}", previous.text, current.text),
                    position_length: 1,
                };
                return true;
            }
        }
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

    #[test]
    fn bigrams_pair_neighbouring_syllables() {
        let mut bigram = bigram_analyzer();
        assert_eq!(tokens(&mut bigram, "Kỹ sư cơ khí"), ["ky_su", "su_co", "co_khi"]);
        assert!(tokens(&mut bigram, "may").is_empty());
    }
}
