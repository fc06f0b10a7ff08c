//! Folding of place names: the many romanisations of one Arabic name fold to one key.
//!
//! `Tallat Mūsá`, `Tal Moussa` and `Tallet Mussa` → `tal musa`; `Ras al-Maara`, `Ra's al Ma‘arrah`
//! and `Ras el Marra` → `ras mar`; `Dahr el Haoua` and `Dahr al-Hawa` → `dahr hawa`.
//! Steps: strip diacritics and transliteration marks; split on spaces and hyphens; drop articles
//! (al-, el-, and the sun-letter forms); map generic heads to one spelling; then, per word, fold
//! consonant digraphs (kh/k, q/k, sh/s, th/t, dh/d, gh/g), vowels (ou/oo/u, ee/i, a/e, o/u,
//! y/i), doubled letters, and a final -a/-ah/-e.

use std::sync::LazyLock;

use sitrep_extract::places::{words, NAME_ARTICLES};
use unicode_normalization::UnicodeNormalization;

/// Heads of the world's larger administrative units, as English reporting names them ("Kayah
/// state", "Kherson oblast"): an administrative area, as a province is. English heads too.
pub static ENGLISH_FIRST_UNITS: LazyLock<&'static [&'static str]> =
    LazyLock::new(|| words().first_units);

/// Heads of the world's local administrative units ("Kyaukpyu township", "Kalehe territory"):
/// the gazetteer knows them by their seat, the town they are named after. English heads too.
pub static ENGLISH_LOCAL_UNITS: LazyLock<&'static [&'static str]> =
    LazyLock::new(|| words().local_units);

/// What folding reads besides the name — the words it drops or maps — in a stable order: the
/// base index's name carries it, so an index built under other words (a `--words` file) is not
/// read.
pub fn vocabulary() -> String {
    let w = words();
    let mut s = String::new();
    for list in [NAME_ARTICLES, w.kind_words, w.first_units, w.local_units] {
        s.push_str(&list.join(","));
        s.push(';');
    }
    for (one, forms) in w.transliterated_heads {
        s.push_str(one);
        s.push(':');
        s.push_str(&forms.join(","));
        s.push(';');
    }
    s
}

/// Every English kind word (`places.json`'s kind words, one list in `sitrep-extract`) and the
/// administrative units.
pub fn english_heads() -> impl Iterator<Item = &'static str> {
    let w = words();
    w.kind_words
        .iter()
        .chain(w.first_units)
        .chain(w.local_units)
        .copied()
}

/// Whether a stripped, lower-case word is an English kind word.
pub fn is_english_head(w: &str) -> bool {
    english_heads().any(|h| h == w)
}

/// One folded word of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub key: String,
    /// A generic head (tal, jabal, ...): matches weigh less.
    pub head: bool,
}

/// Lower case, no diacritics, no transliteration marks.
pub fn strip(s: &str) -> String {
    s.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .filter(|c| {
            !matches!(
                c,
                '\'' | '\u{2018}'
                    | '\u{2019}'
                    | '\u{02bf}'
                    | '\u{02be}'
                    | '\u{02bc}'
                    | '`'
                    | '\u{00b4}'
            )
        })
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ı' => 'i',
            'ł' => 'l',
            'ø' => 'o',
            'đ' => 'd',
            'ħ' => 'h',
            _ => c,
        })
        .collect()
}

/// Fold one word (already stripped).
pub fn fold_word(w: &str) -> String {
    let mut s = w.to_string();
    for (from, to) in [
        ("dzh", "j"),
        ("zh", "j"),
        ("kh", "k"),
        ("gh", "g"),
        ("sh", "s"),
        ("ch", "s"),
        ("th", "t"),
        ("dh", "d"),
        ("dj", "j"),
        ("ph", "f"),
        ("q", "k"),
        ("c", "k"),
        ("x", "ks"),
    ] {
        s = s.replace(from, to);
    }
    // "ou" before a vowel is a w (Haoua → hawa, Ouadi → wadi), elsewhere a u
    let chars: Vec<char> = s.chars().collect();
    let mut t = String::with_capacity(s.len());
    let mut i = 0;
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    while i < chars.len() {
        if chars[i] == 'o' && chars.get(i + 1) == Some(&'u') {
            if chars.get(i + 2).is_some_and(|c| vowel(*c)) && chars.get(i + 2) != Some(&'u') {
                t.push('w');
            } else {
                t.push('u');
            }
            i += 2;
            continue;
        }
        if chars[i] == 'o' && chars.get(i + 1) == Some(&'o') {
            t.push('u');
            i += 2;
            continue;
        }
        if chars[i] == 'e' && chars.get(i + 1) == Some(&'e') {
            t.push('i');
            i += 2;
            continue;
        }
        let c = match chars[i] {
            'e' => 'a',
            'o' => 'u',
            'y' => 'i',
            'w' if i > 0 && chars.get(i + 1).is_none_or(|c| !vowel(*c)) => 'u',
            c => c,
        };
        t.push(c);
        i += 1;
    }
    // doubled letters
    let mut u = String::with_capacity(t.len());
    for c in t.chars() {
        if u.ends_with(c) {
            continue;
        }
        u.push(c);
    }
    // a final h after a vowel, and a final -a (ta marbuta, French mute e)
    if u.len() > 3 && u.ends_with('h') && u[..u.len() - 1].ends_with(['a', 'i', 'u']) {
        u.pop();
    }
    if u.len() > 3 && u.ends_with('a') {
        u.pop();
    }
    u
}

/// Fold a whole name into words, dropping articles and English kind words.
pub fn fold(name: &str) -> Vec<Word> {
    let stripped = strip(name);
    let mut out = Vec::new();
    for raw in stripped.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '-' | '\u{2013}' | '\u{2010}' | ',' | '(' | ')' | '.' | '/'
            )
    }) {
        let w: String = raw.chars().filter(|c| c.is_alphanumeric()).collect();
        if w.is_empty() || NAME_ARTICLES.contains(&w.as_str()) || is_english_head(&w) {
            continue;
        }
        // "ra's" lost its mark above; heads are matched on the stripped word
        if let Some((canon, _)) = words()
            .transliterated_heads
            .iter()
            .find(|(_, forms)| forms.iter().any(|f| f.replace('\'', "") == w))
        {
            out.push(Word {
                key: (*canon).to_string(),
                head: true,
            });
            continue;
        }
        out.push(Word {
            key: fold_word(&w),
            head: false,
        });
    }
    out
}

/// The whole folded name as one key ("tal musa").
pub fn key(name: &str) -> String {
    fold(name)
        .into_iter()
        .map(|w| w.key)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The English kind word of a mention, if any ("hill" in "Al-Barouh hill").
pub fn english_head(name: &str) -> Option<String> {
    strip(name)
        .split(|c: char| c.is_whitespace() || c == '-')
        .rev()
        .find(|w| {
            is_english_head(w)
                && !matches!(
                    *w,
                    "of" | "western"
                        | "eastern"
                        | "northern"
                        | "southern"
                        | "upper"
                        | "lower"
                        | "old"
                        | "new"
                        | "strategic"
                        | "half"
                )
        })
        .map(str::to_string)
}

/// Levenshtein distance, giving up past `max` (bounded cost).
pub fn within_distance(a: &str, b: &str, max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max * 4 {
        return false; // even in 4-byte characters, too far apart
    }
    if a.is_ascii() && b.is_ascii() {
        // folded keys are ASCII: compare bytes, rows on the stack
        return bounded_levenshtein(a.as_bytes(), b.as_bytes(), max);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    bounded_levenshtein(&a, &b, max)
}

/// Levenshtein distance ≤ `max`. Only the band of cells within `max` of the diagonal can hold
/// such a distance, so only those are computed (Ukkonen), and a row whose band all exceeds `max`
/// ends the comparison.
fn bounded_levenshtein<T: PartialEq>(a: &[T], b: &[T], max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    const STACK: usize = 48;
    const FAR: usize = usize::MAX / 2;
    let (mut prev_s, mut cur_s) = ([FAR; STACK], [FAR; STACK]);
    let (mut prev_h, mut cur_h);
    let (prev, cur): (&mut [usize], &mut [usize]) = if b.len() < STACK {
        (&mut prev_s[..=b.len()], &mut cur_s[..=b.len()])
    } else {
        prev_h = vec![FAR; b.len() + 1];
        cur_h = vec![FAR; b.len() + 1];
        (&mut prev_h[..], &mut cur_h[..])
    };
    for (j, v) in prev.iter_mut().enumerate().take(max + 1) {
        *v = j;
    }
    for i in 1..=a.len() {
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(b.len());
        cur.fill(FAR);
        cur[0] = if i <= max { i } else { FAR };
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return false;
        }
        prev.copy_from_slice(cur);
    }
    prev[b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) {
        assert_eq!(key(a), key(b), "{a} vs {b}");
    }

    #[test]
    fn diacritics_and_marks() {
        same("Tallat Mūsá", "Tallat Musa");
        same("Ra's al Ma‘arrah", "Ras al-Marra");
        same("Ḩarf ath Thallājah", "Harf Thallajah");
    }

    #[test]
    fn articles_and_sun_letters() {
        same("Az-Zabadani", "Zabadani");
        same("Ash-Shaykh Maskin", "Shaykh Maskin");
        same("Dahr el Haoua", "Dahr al-Hawa");
    }

    #[test]
    fn vowels_and_consonants_of_romanisations() {
        same("Tal Moussa", "Tallat Mussa");
        same("Al-Juba", "Al Jubbah");
        same("Ras al-Maara", "Ras al-Marra");
        same("Younine", "Yunin");
        same("Khan Shaykhun", "Kan Shaykhoun");
        same("Qarah", "Kara");
        same("Ouadi Barada", "Wadi Barada");
        same("Deir Atiyah", "Dayr Atiyah");
        same("Ain al-Fijah", "Ayn al-Fijah");
        same("Jaroud Jarajeer", "Jurd Jarajir");
    }

    #[test]
    fn english_kind_words_are_not_part_of_the_key() {
        same("Al-Barouh hill", "Barouh");
        assert_eq!(
            english_head("the Ras al-Marra-Arsal border-crossing").as_deref(),
            Some("crossing")
        );
    }

    #[test]
    fn bounded_edit_distance() {
        assert!(within_distance("talj", "talaj", 1));
        assert!(!within_distance("talj", "tarabulus", 2));
    }
}
