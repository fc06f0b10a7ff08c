//! The writes of a `RecordBatch` before they land: every document of the batch is recorded
//! against the store *and* the writes of the documents before it (a document may replace,
//! unlink or link to what an earlier one of the same batch wrote), and the whole batch is then
//! written as one sled batch per tree. sled writes its log buffer out twice for every batch or
//! transaction, so one batch per tree per call, rather than per document, is most of what a
//! group of short notes costs to record.

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::error::Result;

use super::{Index, SledStore};

/// The trees a record writes, in the order their batches are applied: the event records last
/// (an index entry whose event is not stored yet is skipped by every reader, so the batch's
/// events become visible together when the last batch lands).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tree {
    Meta,
    Time,
    Place,
    Actor,
    Kind,
    Doc,
    DupCanonical,
    CanonicalDup,
    Event,
}

const TREES: [Tree; 9] = [
    Tree::Meta,
    Tree::Time,
    Tree::Place,
    Tree::Actor,
    Tree::Kind,
    Tree::Doc,
    Tree::DupCanonical,
    Tree::CanonicalDup,
    Tree::Event,
];

/// Keys written (`Some`) or removed (`None`) and not yet applied, per tree.
type Writes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// The store as the batch's next document sees it: the stored trees under the batch's writes.
pub(super) struct Pending<'a> {
    store: &'a SledStore,
    writes: [Writes; 9],
}

impl<'a> Pending<'a> {
    pub fn new(store: &'a SledStore) -> Self {
        Pending {
            store,
            writes: Default::default(),
        }
    }

    fn tree(&self, t: Tree) -> &'a sled::Tree {
        tree_of(self.store, t)
    }

    pub fn get(&self, t: Tree, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(w) = self.writes[t as usize].get(key) {
            return Ok(w.clone());
        }
        Ok(self.tree(t).get(key)?.map(|v| v.to_vec()))
    }

    pub fn contains(&self, t: Tree, key: &[u8]) -> Result<bool> {
        Ok(self.get(t, key)?.is_some())
    }

    pub fn insert(&mut self, t: Tree, key: Vec<u8>, value: Vec<u8>) {
        self.writes[t as usize].insert(key, Some(value));
    }

    pub fn remove(&mut self, t: Tree, key: Vec<u8>) {
        self.writes[t as usize].insert(key, None);
    }

    /// The entries of `t` from `start` (inclusive) while their keys begin with `prefix`, in key
    /// order, the batch's writes over the stored ones.
    pub fn scan(
        &self,
        t: Tree,
        prefix: &[u8],
        start: &[u8],
    ) -> impl Iterator<Item = Result<(Vec<u8>, Vec<u8>)>> + '_ {
        let start = if start < prefix { prefix } else { start }.to_vec();
        let prefix = prefix.to_vec();
        let writes = &self.writes[t as usize];
        let mut pending = writes
            .range::<[u8], _>((Bound::Included(start.as_slice()), Bound::Unbounded))
            .take_while({
                let prefix = prefix.clone();
                move |(k, _)| k.starts_with(&prefix)
            })
            .peekable();
        let mut stored = self
            .tree(t)
            .range(start..)
            .take_while(move |kv| kv.as_ref().map_or(true, |(k, _)| k.starts_with(&prefix)))
            .map(|kv| {
                kv.map(|(k, v)| (k.to_vec(), v.to_vec()))
                    .map_err(Into::into)
            })
            .peekable();
        std::iter::from_fn(move || loop {
            let next_stored = match stored.peek() {
                Some(Err(_)) => return stored.next(),
                Some(Ok((k, _))) => Some(k.clone()),
                None => None,
            };
            let take_pending = match (pending.peek(), &next_stored) {
                (None, None) => return None,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some((pk, _)), Some(sk)) => pk.as_slice() <= sk.as_slice(),
            };
            if !take_pending {
                return stored.next();
            }
            let (k, w) = pending.next().expect("peeked");
            if next_stored.as_deref() == Some(k.as_slice()) {
                stored.next(); // the batch rewrote (or removed) this stored entry
            }
            if let Some(v) = w {
                return Some(Ok((k.clone(), v.clone())));
            }
        })
    }

    /// Write the batch: one sled batch per tree, the event records last.
    pub fn apply(self) -> Result<()> {
        // `writes` is indexed by `Tree as usize`, which is the order of `TREES`
        for (t, w) in TREES.into_iter().zip(self.writes) {
            if w.is_empty() {
                continue;
            }
            let mut batch = sled::Batch::default();
            for (k, v) in w {
                match v {
                    Some(v) => batch.insert(k, v),
                    None => batch.remove(k),
                }
            }
            tree_of(self.store, t).apply_batch(batch)?;
        }
        Ok(())
    }
}

fn tree_of(s: &SledStore, t: Tree) -> &sled::Tree {
    match t {
        Tree::Meta => &s.meta,
        Tree::Event => &s.eventid_event,
        Tree::DupCanonical => &s.dup_canonical,
        Tree::CanonicalDup => &s.canonical_dup,
        Tree::Time => s.tree(Index::Time),
        Tree::Place => s.tree(Index::Place),
        Tree::Actor => s.tree(Index::Actor),
        Tree::Kind => s.tree(Index::Kind),
        Tree::Doc => s.tree(Index::Document),
    }
}

impl From<Index> for Tree {
    fn from(i: Index) -> Tree {
        match i {
            Index::Time => Tree::Time,
            Index::Place => Tree::Place,
            Index::Actor => Tree::Actor,
            Index::Kind => Tree::Kind,
            Index::Document => Tree::Doc,
        }
    }
}

#[cfg(test)]
mod tests {
    use sitrep_proto::v1::{ActorRef, Event, PlaceRef, RecordRequest, When};

    use super::super::SledStore;

    fn event(doc: &str, order: u32, place: &str, day: &str, actor: &str) -> Event {
        Event {
            id: format!("{doc}-e{order}"),
            document_id: doc.into(),
            order,
            kind: 3,
            when: Some(When {
                earliest: day.into(),
                latest: day.into(),
                ..Default::default()
            }),
            actors: vec![ActorRef {
                id: actor.into(),
                ..Default::default()
            }],
            places: vec![PlaceRef {
                id: place.into(),
                mention: place.into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn doc(id: &str, events: Vec<Event>, append: bool) -> RecordRequest {
        RecordRequest {
            document_id: id.into(),
            events,
            append,
        }
    }

    /// Every entry of every tree.
    fn contents(s: &SledStore) -> Vec<(String, Vec<(Vec<u8>, Vec<u8>)>)> {
        s.db.tree_names()
            .into_iter()
            .map(|n| {
                let t = s.db.open_tree(&n).unwrap();
                let kvs = t
                    .iter()
                    .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap())
                    .collect();
                (String::from_utf8_lossy(&n).into_owned(), kvs)
            })
            .collect()
    }

    #[test]
    fn a_batch_writes_what_its_documents_one_by_one_write() {
        let before = vec![doc(
            "a",
            vec![event("a", 0, "p:1", "2022-03-01", "x")],
            false,
        )];
        let batch = vec![
            // reports a's event (stored before the batch)
            doc("b", vec![event("b", 0, "p:1", "2022-03-01", "x")], false),
            // a first report, then its report in the same batch
            doc("c", vec![event("c", 0, "p:2", "2022-04-01", "y")], false),
            doc("d", vec![event("d", 0, "p:2", "2022-04-02", "y")], false),
            // other actors: no report of c's
            doc("e", vec![event("e", 0, "p:2", "2022-04-01", "z")], false),
            // c again, changed: its report by d is unlinked, its old entries go
            doc("c", vec![event("c", 0, "p:2", "2022-04-20", "y")], false),
            // a part appended to d, and a report of a's event after c's change
            doc("d", vec![event("d", 1, "p:1", "2022-03-01", "")], true),
            // a period of forty days: the longest span grows
            doc(
                "f",
                vec![Event {
                    when: Some(When {
                        earliest: "2022-01-01".into(),
                        latest: "2022-02-10".into(),
                        ..Default::default()
                    }),
                    ..event("f", 0, "p:3", "", "x")
                }],
                false,
            ),
        ];
        let (one, many) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (one, many) = (
            SledStore::open(one.path()).unwrap(),
            SledStore::open(many.path()).unwrap(),
        );
        for s in [&one, &many] {
            s.record_batch(&before).unwrap();
        }
        for d in &batch {
            one.record(&d.document_id, &d.events, d.append).unwrap();
        }
        assert_eq!(many.record_batch(&batch).unwrap(), vec![1; batch.len()]);
        assert_eq!(contents(&one), contents(&many));
        // and the links are what the documents say
        assert_eq!(many.canonical_of("b-e0").unwrap().as_deref(), Some("a-e0"));
        assert_eq!(many.canonical_of("d-e0").unwrap(), None);
        assert_eq!(many.canonical_of("e-e0").unwrap(), None);
        assert_eq!(many.canonical_of("d-e1").unwrap().as_deref(), Some("a-e0"));
        assert_eq!(many.reports_of("a-e0").unwrap(), ["b-e0", "d-e1"]);
        assert_eq!(many.max_span_days().unwrap(), 40);
        assert_eq!(many.event_count(), 7);
    }
}
