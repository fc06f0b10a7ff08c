//! Near spellings without a scan: a deletion-neighbourhood index over the vocabulary (the idea of
//! SymSpell). Every word is filed under itself and each string it gives with one letter deleted;
//! a query looks up itself and its own one- (and, for long words, two-) letter deletions, then
//! verifies the few candidates with a bounded edit distance. Cost: a few dozen hash lookups,
//! whatever the vocabulary's size; recall: every word within one edit, and most within two, that
//! shares the query's first letter (across the first letter, near spellings were mostly other
//! places' names).
//!
//! Keys are 32-bit hashes of the deletion strings (collisions only add candidates that the
//! verification drops), kept in a sorted vector (8 bytes an entry) plus a small map of recent
//! additions, merged in when it grows.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use crate::fold;

/// Words shorter than this get no near spellings (the resolver asks only for longer ones).
pub const MIN_LEN: usize = 4;
/// Recent entries kept in the map before they are merged into the sorted vector.
const MERGE_AT: usize = 200_000;

fn hash(s: &[u8]) -> u32 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish() as u32
}

/// The word and every string it gives with one letter (byte) deleted.
pub(crate) fn deletions(w: &[u8], out: &mut Vec<Vec<u8>>) {
    out.push(w.to_vec());
    for i in 0..w.len() {
        let mut d = Vec::with_capacity(w.len() - 1);
        d.extend_from_slice(&w[..i]);
        d.extend_from_slice(&w[i + 1..]);
        out.push(d);
    }
}

/// What a query looks up: itself, its one-letter deletions and, for `max` ≥ 2, its two-letter
/// ones (two deletions from the query meet one from the word: most two-edit pairs).
pub(crate) fn query_keys(word: &str, max: usize) -> Vec<Vec<u8>> {
    let mut keys = Vec::new();
    deletions(word.as_bytes(), &mut keys);
    if max >= 2 {
        let ones: Vec<Vec<u8>> = keys[1..].to_vec();
        for d in &ones {
            for i in 0..d.len() {
                let mut d2 = d.clone();
                d2.remove(i);
                keys.push(d2);
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Whether `w`, found near `word`, is kept: the same first letter (across it, near spellings
/// were mostly other places' names — measured on ACLED's notes: "Nijmeh" found Beirut's
/// "Najmeh"), not the word itself, within `max` edits.
pub(crate) fn keep_near(w: &str, word: &str, max: usize) -> bool {
    w.as_bytes().first() == word.as_bytes().first()
        && w != word
        && w.len().abs_diff(word.len()) <= max
        && fold::within_distance(w, word, max)
}

#[derive(Default)]
pub struct Vocabulary {
    /// Every distinct word (also the non-ASCII ones, which only the scan finds).
    words: BTreeSet<String>,
    /// ASCII words of MIN_LEN letters or more, by id.
    list: Vec<String>,
    /// (hash of a deletion string, word id), sorted.
    sorted: Vec<(u32, u32)>,
    /// Entries added since the last merge.
    recent: HashMap<u32, Vec<u32>>,
    recent_len: usize,
}

impl Vocabulary {
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Add a word (once).
    pub fn insert(&mut self, w: &str) {
        if self.words.contains(w) {
            return;
        }
        self.words.insert(w.to_string());
        if w.is_ascii() && w.len() >= MIN_LEN {
            let id = self.list.len() as u32;
            self.list.push(w.to_string());
            let mut ds = Vec::new();
            deletions(w.as_bytes(), &mut ds);
            ds.sort();
            ds.dedup();
            for d in ds {
                self.recent.entry(hash(&d)).or_default().push(id);
                self.recent_len += 1;
            }
            if self.recent_len >= MERGE_AT {
                self.merge();
            }
        }
    }

    /// Move the recent entries into the sorted vector.
    pub fn merge(&mut self) {
        for (h, ids) in self.recent.drain() {
            self.sorted.extend(ids.into_iter().map(|id| (h, id)));
        }
        self.recent_len = 0;
        self.sorted.sort_unstable();
    }

    fn ids_of(&self, h: u32, out: &mut Vec<u32>) {
        let start = self.sorted.partition_point(|e| e.0 < h);
        out.extend(
            self.sorted[start..]
                .iter()
                .take_while(|e| e.0 == h)
                .map(|e| e.1),
        );
        if let Some(ids) = self.recent.get(&h) {
            out.extend(ids);
        }
    }

    /// Words within `max` edits of `word` (not `word` itself). ASCII words of MIN_LEN letters or
    /// more go through the index; others scan at most `budget` words sharing their first two
    /// letters.
    pub fn near(&self, word: &str, max: usize, budget: usize) -> Vec<String> {
        if word.is_ascii() && word.len() >= MIN_LEN {
            let keys = query_keys(word, max);
            let mut ids = Vec::new();
            for k in &keys {
                self.ids_of(hash(k), &mut ids);
            }
            ids.sort_unstable();
            ids.dedup();
            return ids
                .into_iter()
                .filter_map(|id| self.list.get(id as usize))
                .filter(|w| keep_near(w, word, max))
                .cloned()
                .collect();
        }
        let prefix: String = word.chars().take(2).collect();
        if prefix.is_empty() {
            return Vec::new();
        }
        self.words
            .range(prefix.clone()..)
            .take_while(|w| w.starts_with(&prefix))
            .take(budget)
            .filter(|w| {
                w.as_str() != word
                    && w.len().abs_diff(word.len()) <= max * 4
                    && fold::within_distance(w, word, max)
            })
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_spellings_within_one_and_two_edits() {
        let mut v = Vocabulary::default();
        for w in [
            "yabrud",
            "yabroud",
            "qusayr",
            "kusair",
            "arsal",
            "ersal",
            "zabadani",
            "zabdani",
            "flita",
            "falita",
            "tallkalakh",
        ] {
            v.insert(w);
        }
        v.merge();
        v.insert("nabk"); // after the merge: found through the recent map
        let mut got = v.near("yabrud", 1, 100);
        got.sort();
        assert_eq!(got, ["yabroud"]);
        assert!(v.near("ersal", 1, 100).is_empty()); // the first letter is kept
        assert_eq!(
            v.near("zabadany", 2, 100),
            ["zabadani", "zabdani"]
                .iter()
                .filter(|w| fold::within_distance(w, "zabadany", 2))
                .cloned()
                .collect::<Vec<_>>()
        );
        assert_eq!(v.near("nabak", 1, 100), ["nabk"]);
        assert!(v.near("flita", 1, 100).contains(&"falita".to_string()));
        assert!(v.near("damascus", 2, 100).is_empty());
    }
}
