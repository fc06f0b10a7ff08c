//! What the words around a found expression say about it: whether it opens a clause, is in
//! brackets, tells of a time ahead, is compared with, names a thing, looks back from a past
//! perfect, leads a section; "by"/"since" before it; a phrase in apposition after a day.

use super::form::{Form, Found};
use super::words::{is_dash, is_function_word, number_value, words};
use super::Modifier;
use crate::text::{TokKind, Token};

/// Set what the context of `f` says: `end_tok` is the token after it, `last` where the
/// expression before it began (byte offset), if any.
pub(super) fn read_context(
    f: &mut Found,
    text: &str,
    toks: &[Token],
    end_tok: usize,
    last: Option<usize>,
) {
    f.opens_clause = opens_clause(f.start, text, toks);
    // "lasted until the fall of Budapest in February 1945": the end of a span, told ahead
    let window = &toks[f.start.saturating_sub(7)..f.start];
    let cut = window
        .iter()
        .rposition(|t| t.kind == TokKind::Punct)
        .map_or(0, |p| p + 1);
    let clause = &window[cut..];
    f.bracketed = cut > 0 && window[cut - 1].is_punct('(');
    f.ahead = clause.iter().any(|t| words().ahead_cues.contains(&t.lower));
    f.pluperfect = !f.opens_clause && clause.iter().any(|t| t.lower == "had");
    f.compared = words().comparison_cues.iter().any(|cue| {
        clause
            .windows(cue.len())
            .any(|w| w.iter().zip(cue).all(|(t, c)| t.lower == *c))
    });
    // (only a bare year can be an aside; the search looks back no further than the last
    // expression, so a long text without new lines is not read again for each date)
    f.leads_section = matches!(f.form, Form::Date { month: None, .. })
        && leads_section(text, toks[f.start].start, last);
    f.attributive = (f.start > 0
        && matches!(
            toks[f.start - 1].lower.as_str(),
            "the" | "a" | "an" | "its" | "their" | "his" | "her"
        )
        && toks.get(end_tok).is_some_and(|t| {
            t.kind == TokKind::Word
                && t.text.chars().all(|c| c.is_lowercase())
                && !is_function_word(&t.lower)
        }))
        || (!f.opens_clause && designation(f, toks));
    // "by 3 April", "before May 1942", "until", "after"
    if f.modifier.is_none() && f.start > 0 && !matches!(f.form, Form::Relative { .. }) {
        let prev = toks[f.start - 1].lower.as_str();
        if matches!(prev, "by" | "before" | "until" | "till") {
            f.modifier = Some(Modifier::Before);
        } else if matches!(prev, "after" | "since") {
            f.modifier = Some(Modifier::After);
            // "since February": the last February before the story's time
            f.compared |= prev == "since";
        }
    }
}

/// "the (Amendment) Act 2021", "the assembly elections 2022": a bare year right after a noun names
/// that thing (no preposition, article, number or word of time before it).
fn designation(f: &Found, toks: &[Token]) -> bool {
    if !matches!(
        f.form,
        Form::Date {
            month: None,
            day: None,
            ..
        }
    ) || f.start == 0
    {
        return false;
    }
    let p = &toks[f.start - 1];
    let w = p.lower.as_str();
    p.kind == TokKind::Word
        && !is_function_word(w)
        && number_value(p).is_none()
        && words().month(w).is_none()
        && words().season(w).is_none()
        && words().unit(w).is_none()
        && !words().day_parts.contains(w)
        && !words().modifiers.contains_key(w)
        && !words().eras.contains_key(w)
}

/// Whether the expression at token `start` opens its sentence or clause: within the three
/// words before, a sentence start, a full stop, a semicolon or a comma ("U.S. troops by next
/// summer": the stop of an abbreviation ends nothing), or a new line (after a heading:
/// "Towards a ceasefire\n\n1987 saw …").
fn opens_clause(start: usize, text: &str, toks: &[Token]) -> bool {
    start == 0
        || (start.saturating_sub(3)..start).any(|k| {
            let t = &toks[k];
            let abbreviation = t.is_punct('.')
                && k > 0
                && toks[k - 1].kind == TokKind::Word
                && toks[k - 1].text.chars().count() == 1;
            t.kind == TokKind::Punct
                && matches!(t.text.as_str(), "." | ";" | "," | "(" | ":")
                && !abbreviation
        })
        || (start.saturating_sub(2)..start).any(|k| {
            text.get(toks[k].end..toks[k + 1].start)
                .is_some_and(|gap| gap.contains('\n'))
        })
}

/// Whether byte `at` of `text` is in a paragraph that follows a heading (a short line that no
/// stop ends) and no expression of that paragraph came before (`last`: where the last one began).
fn leads_section(text: &str, at: usize, last: Option<usize>) -> bool {
    let from = last.unwrap_or(0).min(at);
    let Some(para) = text[from..at].rfind('\n').map(|p| from + p) else {
        return false;
    };
    let Some(heading) = text[..para]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
    else {
        return false;
    };
    heading.chars().count() <= 80 && !heading.ends_with(['.', '!', '?', ':', ';', ',', '"'])
}

/// A noun phrase headed by "day" set off by a comma or dash after a date ("the fifth day of the
/// rebellion", "two days after the invasion", "the bloodiest day in its history"): where it ends.
pub(super) fn apposition(toks: &[Token], i: usize) -> Option<usize> {
    let sep = toks.get(i.checked_sub(1)?)?;
    if !(sep.is_punct(',') || is_dash(sep)) || sep.is_punct('/') {
        return None;
    }
    // the head within the first five words, none of them punctuation
    let head = (i..(i + 5).min(toks.len()))
        .take_while(|&k| toks[k].kind != TokKind::Punct)
        .find(|&k| matches!(toks[k].lower.as_str(), "day" | "days"))?;
    let opener = toks[i].lower.as_str();
    let opens = matches!(opener, "the" | "a" | "one" | "its" | "their")
        || number_value(&toks[i]).is_some()
        || words().ordinal_words.contains_key(opener);
    if !opens {
        return None;
    }
    // "days" only as "N days after/before …"
    if toks[head].lower == "days"
        && !matches!(
            toks.get(head + 1).map(|t| t.lower.as_str()),
            Some("after" | "before")
        )
    {
        return None;
    }
    let mut end = head + 1;
    while end < toks.len()
        && end < head + 12
        && toks[end].kind != TokKind::Punct
        && !matches!(toks[end].lower.as_str(), "and" | "when" | "which" | "while")
    {
        end += 1;
    }
    Some(end)
}
