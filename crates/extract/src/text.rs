//! Tokens with their byte offsets: the one tokenizer every stage of the extractor shares.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters, with inner hyphens and apostrophes ("al-Nusra", "Ma'br", "border-crossing").
    Word,
    /// Digits, with inner `.`/`,` ("12.7", "1,200") and ordinal or unit suffixes ("3rd", "20th").
    Number,
    /// Any other single character that is not white space.
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokKind,
    /// Byte offsets into the text the tokens were made from.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Lower-cased text with typographic apostrophes and dashes made plain.
    pub lower: String,
}

impl Token {
    pub fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    pub fn is(&self, word: &str) -> bool {
        self.lower == word
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokKind::Punct && self.text.starts_with(c)
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{02bf}' | '\u{02be}'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Plain lower case: typographic apostrophes become `'`, en and em dashes `-`.
pub fn plain_lower(s: &str) -> String {
    s.chars()
        .map(|c| {
            if is_apostrophe(c) {
                '\''
            } else if matches!(c, '\u{2013}' | '\u{2014}') || is_hyphen(c) {
                '-'
            } else {
                c
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether an Arabic article ("al-", "el ", "ash-") begins after the white space at `k`.
fn article_follows(chars: &[(usize, char)], k: usize) -> bool {
    if chars.get(k).is_none_or(|c| c.1 != ' ') {
        return false;
    }
    let word: String = chars[k + 1..]
        .iter()
        .map(|c| c.1)
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let after = chars.get(k + 1 + word.chars().count()).map(|c| c.1);
    matches!(
        word.as_str(),
        "al" | "el" | "ad" | "ar" | "as" | "ash" | "at" | "az" | "an"
    ) && after.is_some_and(|c| c == ' ' || is_hyphen(c))
}

/// Split `text` into tokens. Never fails; every non-space character belongs to some token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let mut out = Vec::new();
    let mut i = 0;
    let end_of = |k: usize| if k < n { chars[k].0 } else { text.len() };
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if c.is_alphabetic() {
            kind = TokKind::Word;
            i += 1;
            while i < n {
                let d = chars[i].1;
                if d.is_alphanumeric() {
                    i += 1;
                } else if is_hyphen(d)
                    && i + 2 < n
                    && is_apostrophe(chars[i + 1].1)
                    && chars[i + 2].1.is_alphabetic()
                {
                    // an article before an ayn: "Ra's al-'Ayn", "Wadi al-'Uyun"
                    i += 3;
                } else if (is_apostrophe(d) || is_hyphen(d))
                    && i + 1 < n
                    && (chars[i + 1].1.is_alphabetic()
                        || (is_apostrophe(d) && chars[i + 1].1.is_alphanumeric()))
                {
                    // a hyphen joins letters ("al-Nusra") but not a number ("August-24", "mid-2015")
                    // "Ma'br", "al-Nusra"; but not the possessive "Army's" (kept as its own token),
                    // unless a short word comes before and an Arabic article after: "Ra's al-'Ayn"
                    // is a name ("Hezbollah's al-Manar" is a possessive)
                    if is_apostrophe(d)
                        && chars[i + 1].1 == 's'
                        && (i + 2 >= n || !chars[i + 2].1.is_alphanumeric())
                        && !(i - start <= 3 && article_follows(&chars, i + 2))
                    {
                        break;
                    }
                    i += 2;
                } else {
                    break;
                }
            }
            // a name's final ayn ("Mare' town", "Sa'sa'") is a letter of it; a plural's possessive
            // ("the rebels' positions") and a quotation's close after lower-case words are not
            if i < n
                && is_apostrophe(chars[i].1)
                && chars[start].1.is_uppercase()
                && !matches!(chars[i - 1].1, 's' | 'S')
                && (i + 1 >= n || !chars[i + 1].1.is_alphanumeric())
            {
                i += 1;
            }
        } else if c.is_ascii_digit() {
            kind = TokKind::Number;
            i += 1;
            while i < n {
                let d = chars[i].1;
                if d.is_ascii_digit() {
                    i += 1;
                } else if (d == '.' || d == ',') && i + 1 < n && chars[i + 1].1.is_ascii_digit() {
                    // "12.7", "1,200"; but not "2015,1" lists: a thousands group has three digits
                    let group = (1..=3).all(|k| i + k < n && chars[i + k].1.is_ascii_digit());
                    if d == ',' && !(group && (i + 4 >= n || !chars[i + 4].1.is_ascii_digit())) {
                        break;
                    }
                    i += 2;
                } else if d.is_alphabetic() {
                    // ordinal and unit suffixes: 3rd, 20th, 1st, 12mm, 1940s
                    let mut j = i;
                    while j < n && chars[j].1.is_alphabetic() {
                        j += 1;
                    }
                    let suffix = plain_lower(&text[end_of(i)..end_of(j)]);
                    if matches!(
                        suffix.as_str(),
                        "st" | "nd" | "rd" | "th" | "s" | "km" | "mm" | "m" | "kg" | "am" | "pm"
                    ) {
                        i = j;
                    }
                    break;
                } else {
                    break;
                }
            }
        } else {
            kind = TokKind::Punct;
            i += 1;
            // the possessive "'s" is one token
            if is_apostrophe(c)
                && i < n
                && chars[i].1 == 's'
                && (i + 1 >= n || !chars[i + 1].1.is_alphanumeric())
            {
                i += 1;
            }
        }
        let (s, e) = (end_of(start), end_of(i));
        out.push(Token {
            kind,
            start: s,
            end: e,
            text: text[s..e].to_string(),
            lower: plain_lower(&text[s..e]),
        });
    }
    out
}

/// Code-point offset of a byte offset.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokens_keep_names_numbers_and_possessives() {
        assert_eq!(words("Ma'br Al-Kharbah"), ["Ma'br", "Al-Kharbah"]);
        assert_eq!(
            words("the Army's 1st Division"),
            ["the", "Army", "'s", "1st", "Division"]
        );
        assert_eq!(
            words("12.7 mm, 1,200 men"),
            ["12.7", "mm", ",", "1,200", "men"]
        );
        assert_eq!(
            words("Ras al-Marra-Arsal border-crossing."),
            ["Ras", "al-Marra-Arsal", "border-crossing", "."]
        );
        assert_eq!(words("11–13 May"), ["11", "–", "13", "May"]);
        assert_eq!(words("the 1940s"), ["the", "1940s"]);
        assert_eq!(
            words("near Kafr Sa' town, the Rebels' lines"),
            ["near", "Kafr", "Sa'", "town", ",", "the", "Rebels", "'", "lines"]
        );
        assert_eq!(
            words("he said 'go' now"),
            ["he", "said", "'", "go", "'", "now"]
        );
    }

    #[test]
    fn an_ayn_after_an_article_and_a_name_before_one_stay_whole() {
        assert_eq!(
            words("shelled Ra's al-'Ayn town"),
            ["shelled", "Ra's", "al-'Ayn", "town"]
        );
        assert_eq!(words("Wadi al-\u{2018}Uyun"), ["Wadi", "al-\u{2018}Uyun"]);
        // an English possessive is still one, before an Arabic name too
        assert_eq!(
            words("Hezbollah's al-Manar TV"),
            ["Hezbollah", "'s", "al-Manar", "TV"]
        );
        assert_eq!(words("Assad's forces"), ["Assad", "'s", "forces"]);
    }
}
