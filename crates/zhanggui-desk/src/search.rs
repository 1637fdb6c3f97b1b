//! Script search that an agent can type into without thinking: Chinese words (jieba
//! segmentation), full pinyin (`tuihuo` finds 退货), pinyin initials (`fh` finds 发货), a
//! pinyin or Latin word with one letter wrong, missing or extra, a Chinese word with a
//! wrong character (one of the same sound finds the word; otherwise its other characters
//! still match), pinyin of several words typed as one (wuliudanhao), shortcuts; ranked by relevance
//! (BM25 over title and text, the title counting double, scaled by the share of the
//! query's words a script meets) and then by how often the agent has used the script.
//!
//! Everything is looked up in maps built once: words to scripts, pinyin and initials to
//! words, and every word's pinyin with one letter deleted (a query's word with one letter
//! deleted meets it there, which finds one edit in either).

use std::collections::HashMap;

use jieba_rs::Jieba;
use pinyin::ToPinyin;

/// What the index needs of a script.
#[derive(Debug, Clone)]
pub struct Doc {
    pub id: u64,
    pub title: String,
    pub text: String,
    pub shortcut: Option<String>,
    pub tags: Vec<String>,
}

impl Doc {
    /// A stored script as the index reads it: its categories count as tags.
    pub fn of(s: &zhanggui_storage::ScriptRecord) -> Doc {
        Doc {
            id: s.id.unwrap_or_default() as u64,
            title: s.title.clone(),
            text: s.body.clone(),
            shortcut: s.shortcut.clone(),
            tags: [s.category.clone()]
                .into_iter()
                .chain(s.subcategory.clone())
                .chain(s.tags.iter().cloned())
                .collect(),
        }
    }
}

/// A search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: u64,
    pub score: f32,
}

/// BM25's parameters (the usual ones).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// How much a match found another way than exactly counts.
const FULL_PINYIN: f32 = 0.9;
const INITIALS: f32 = 0.8;
const PREFIX: f32 = 0.6;
const ONE_EDIT: f32 = 0.5;
const CHARACTER: f32 = 0.4;
const SAME_SOUND: f32 = 0.7;
/// Words a short pinyin prefix may expand to.
const MAX_EXPANSION: usize = 64;

struct Word {
    /// Postings: (script index, weighted term frequency).
    postings: Vec<(u32, f32)>,
    idf: f32,
}

/// jieba's dictionary, loaded once per process (it takes a noticeable part of a second).
fn jieba() -> &'static Jieba {
    static JIEBA: std::sync::OnceLock<Jieba> = std::sync::OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// The search index over a library of scripts.
pub struct Index {
    jieba: &'static Jieba,
    ids: Vec<u64>,
    lengths: Vec<f32>,
    average_length: f32,
    words: Vec<Word>,
    word_ids: HashMap<String, u32>,
    /// Full pinyin (or the lowercase Latin word) → words, sorted for prefix ranges.
    spelled: Vec<(String, u32)>,
    initials: HashMap<String, Vec<u32>>,
    /// Spellings with one letter deleted → words.
    deletions: HashMap<String, Vec<u32>>,
    shortcuts: HashMap<String, u32>,
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// The full pinyin and initials of a word (Latin letters and digits kept, lowercased).
fn spell(word: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    for c in word.chars() {
        match c.to_pinyin() {
            Some(p) => {
                full.push_str(p.plain());
                initials.push_str(p.first_letter());
            }
            None if c.is_ascii_alphanumeric() => {
                let l = c.to_ascii_lowercase();
                full.push(l);
                initials.push(l);
            }
            None => {}
        }
    }
    (full, initials)
}

/// Every string of `s` with one character deleted.
fn deleted(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len())
        .map(|i| {
            chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| c)
                .collect()
        })
        .collect()
}

/// The words of a text: jieba's search-mode segmentation, lowercased, without
/// punctuation; every pair of adjacent Chinese characters not already a word (so 退货 is
/// found in 退货运费, which jieba cuts 退/货运费); and each Chinese character on its own, so
/// that a word with a wrong character still meets the right ones.
///
/// Each comes with whether it is a word (pairs are not: their initials, such as 服换 → fh,
/// would match what an agent typed for another word; their full pinyin is kept).
fn words_of(jieba: &Jieba, text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut pairs: Vec<String> = chars
        .windows(2)
        .filter(|w| is_han(w[0]) && is_han(w[1]))
        .map(|w| w.iter().collect())
        .collect();
    for token in jieba.cut_for_search(text, true) {
        let w = token.word.trim().to_lowercase();
        if w.chars().any(|c| c.is_alphanumeric()) {
            if w.chars().count() > 1 {
                for c in w.chars().filter(|c| is_han(*c)) {
                    out.push((c.to_string(), true));
                }
            }
            if let Some(i) = pairs.iter().position(|p| *p == w) {
                pairs.swap_remove(i);
            }
            out.push((w, true));
        }
    }
    out.extend(pairs.into_iter().map(|p| (p, false)));
    out
}

impl Index {
    /// Builds the index of a library.
    pub fn build(docs: &[Doc]) -> Index {
        let jieba = jieba();
        let mut word_ids: HashMap<String, u32> = HashMap::new();
        let mut postings: Vec<HashMap<u32, f32>> = Vec::new();
        let mut lengths = Vec::with_capacity(docs.len());
        let mut is_word: Vec<bool> = Vec::new();
        let mut shortcuts = HashMap::new();
        for (d, doc) in docs.iter().enumerate() {
            let d = d as u32;
            let mut length = 0.0;
            let tags = doc.tags.join(" ");
            for (text, weight) in [(&doc.title, 2.0), (&doc.text, 1.0), (&tags, 1.0)] {
                for (w, word) in words_of(jieba, text) {
                    let next = word_ids.len() as u32;
                    let id = *word_ids.entry(w).or_insert(next);
                    if id as usize == postings.len() {
                        postings.push(HashMap::new());
                        is_word.push(false);
                    }
                    is_word[id as usize] |= word;
                    *postings[id as usize].entry(d).or_default() += weight;
                    length += weight;
                }
            }
            lengths.push(length);
            if let Some(s) = doc
                .shortcut
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                shortcuts.insert(s.to_lowercase(), d);
            }
        }
        let n = docs.len().max(1) as f32;
        let words: Vec<Word> = postings
            .into_iter()
            .map(|p| {
                let df = p.len() as f32;
                let mut postings: Vec<(u32, f32)> = p.into_iter().collect();
                postings.sort_unstable_by_key(|(d, _)| *d);
                Word {
                    postings,
                    idf: ((n - df + 0.5) / (df + 0.5) + 1.0).ln(),
                }
            })
            .collect();
        let mut spelled = Vec::new();
        let mut initials: HashMap<String, Vec<u32>> = HashMap::new();
        let mut deletions: HashMap<String, Vec<u32>> = HashMap::new();
        for (w, id) in &word_ids {
            let (full, first) = spell(w);
            if full.is_empty() {
                continue;
            }
            if full.chars().count() >= 4 {
                for d in deleted(&full) {
                    deletions.entry(d).or_default().push(*id);
                }
            }
            if first.chars().count() >= 2 && is_word[*id as usize] {
                initials.entry(first).or_default().push(*id);
            }
            spelled.push((full, *id));
        }
        spelled.sort();
        let average_length = lengths.iter().sum::<f32>() / n;
        Index {
            jieba,
            ids: docs.iter().map(|d| d.id).collect(),
            lengths,
            average_length,
            words,
            word_ids,
            spelled,
            initials,
            deletions,
            shortcuts,
        }
    }

    /// The words jieba finds in a text (lowercased, punctuation left out).
    pub fn words(&self, text: &str) -> Vec<String> {
        self.jieba
            .cut(&text.to_lowercase(), true)
            .iter()
            .map(|t| t.word.trim().to_owned())
            .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
            .collect()
    }

    /// Scripts in the index.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// A Chinese piece that is no word of the library, by its characters, each counting its
    /// share of `CHARACTER`: a word with a wrong character still meets the scripts that
    /// hold its other characters.
    fn characters(&self, piece: &str) -> Vec<(u32, f32)> {
        let han: Vec<char> = piece.chars().filter(|c| is_han(*c)).collect();
        if han.len() < 2 || self.word_ids.contains_key(piece) {
            return Vec::new();
        }
        let share = CHARACTER / han.len() as f32;
        han.iter()
            .filter_map(|c| self.word_ids.get(&c.to_string()).map(|id| (*id, share)))
            .collect()
    }

    /// Whether some word is spelled exactly so.
    fn spelled_exactly(&self, s: &str) -> bool {
        self.spelled
            .binary_search_by(|(x, _)| x.as_str().cmp(s))
            .is_ok()
    }

    /// A run of pinyin typed for several words at once (wuliudanhao for 物流 单号): the
    /// fewest words' spellings that make it up, if any.
    fn split_spelling(&self, piece: &str) -> Option<Vec<String>> {
        let chars: Vec<char> = piece.chars().collect();
        let n = chars.len();
        if n < 4 || !piece.chars().all(|c| c.is_ascii_lowercase()) || self.spelled_exactly(piece) {
            return None;
        }
        // best[i]: the fewest parts that spell chars[..i], and where the last one starts.
        let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0));
        for end in 1..=n {
            for start in 0..end {
                let Some((parts, _)) = best[start] else {
                    continue;
                };
                let part: String = chars[start..end].iter().collect();
                if self.spelled_exactly(&part) && best[end].is_none_or(|(p, _)| parts + 1 < p) {
                    best[end] = Some((parts + 1, start));
                }
            }
        }
        let mut out = Vec::new();
        let mut end = n;
        while end > 0 {
            let (_, start) = best[end]?;
            out.push(chars[start..end].iter().collect());
            end = start;
        }
        out.reverse();
        (out.len() > 1).then_some(out)
    }

    /// The words a query's piece may mean, each with how much a match counts.
    fn expand(&self, piece: &str) -> Vec<(u32, f32)> {
        let mut out: Vec<(u32, f32)> = Vec::new();
        let mut add = |id: u32, factor: f32| match out.iter_mut().find(|(w, _)| *w == id) {
            Some(slot) => slot.1 = slot.1.max(factor),
            None => out.push((id, factor)),
        };
        if let Some(id) = self.word_ids.get(piece) {
            add(*id, 1.0);
        }
        if piece.chars().any(is_han) {
            // A word typed with a wrong character of the same sound (退活 for 退货).
            if !self.word_ids.contains_key(piece) {
                let (full, _) = spell(piece);
                let start = self
                    .spelled
                    .partition_point(|(s, _)| s.as_str() < full.as_str());
                for (_, id) in self.spelled[start..]
                    .iter()
                    .take_while(|(s, _)| *s == full)
                    .take(MAX_EXPANSION)
                {
                    add(*id, SAME_SOUND);
                }
            }
            return out;
        }
        let letters = piece.chars().count();
        // Full pinyin: the whole word, or (from two letters) its beginning.
        let start = self.spelled.partition_point(|(s, _)| s.as_str() < piece);
        for (s, id) in self.spelled[start..]
            .iter()
            .take_while(|(s, _)| s.starts_with(piece))
            .take(MAX_EXPANSION)
        {
            if s == piece {
                add(*id, FULL_PINYIN);
            } else if letters >= 2 {
                add(*id, PREFIX);
            }
        }
        if let Some(ids) = self.initials.get(piece) {
            for id in ids.iter().take(MAX_EXPANSION) {
                add(*id, INITIALS);
            }
        }
        // One letter wrong, missing or extra.
        if letters >= 4 {
            let mut probes = deleted(piece);
            probes.push(piece.to_owned());
            for p in &probes {
                if let Some(ids) = self.deletions.get(p) {
                    for id in ids.iter().take(MAX_EXPANSION) {
                        add(*id, ONE_EDIT);
                    }
                }
            }
            for p in deleted(piece) {
                if let Ok(i) = self.spelled.binary_search_by(|(s, _)| s.as_str().cmp(&p)) {
                    add(self.spelled[i].1, ONE_EDIT);
                }
            }
        }
        out
    }

    /// The best `limit` scripts for a query; `own_use` gives how often the searching agent
    /// used a script (by id), which orders scripts of equal relevance.
    pub fn search(&self, query: &str, limit: usize, own_use: &dyn Fn(u64) -> u64) -> Vec<Hit> {
        let query = query.trim().to_lowercase();
        if query.is_empty() || self.is_empty() {
            return Vec::new();
        }
        let mut scores = vec![0.0_f32; self.ids.len()];
        let mut matched = vec![0_u16; self.ids.len()];
        let shortcut = self.shortcuts.get(query.trim_start_matches('/')).copied();
        // Pieces: jieba's words for Chinese runs, whole words for Latin runs.
        let mut pieces: Vec<String> = Vec::new();
        for token in self.jieba.cut(&query, true) {
            let w = token.word.trim();
            if w.chars().any(|c| c.is_alphanumeric()) {
                // Pinyin for several words at once, unless the whole means a word (with a
                // typo, say) by itself.
                match self.split_spelling(w).filter(|_| self.expand(w).is_empty()) {
                    Some(parts) => pieces.extend(parts),
                    None => pieces.push(w.to_owned()),
                }
            }
        }
        let bm25 = |word: u32, factor: f32, each: &mut dyn FnMut(u32, f32)| {
            let w = &self.words[word as usize];
            for &(d, tf) in &w.postings {
                let norm = K1 * (1.0 - B + B * self.lengths[d as usize] / self.average_length);
                each(d, factor * w.idf * tf * (K1 + 1.0) / (tf + norm));
            }
        };
        // Dense per-script buffers with the list of scripts touched, so that a common word
        // costs a pass over its postings and nothing more.
        let mut best = vec![0.0_f32; self.ids.len()];
        let mut by_character = vec![0.0_f32; self.ids.len()];
        let mut touched: Vec<u32> = Vec::new();
        for piece in &pieces {
            // Per script, the best of the piece's meanings counts, or its characters
            // together if they count more.
            for (word, factor) in self.expand(piece) {
                bm25(word, factor, &mut |d, s| {
                    let slot = &mut best[d as usize];
                    if *slot == 0.0 && by_character[d as usize] == 0.0 {
                        touched.push(d);
                    }
                    *slot = slot.max(s);
                });
            }
            for (word, factor) in self.characters(piece) {
                bm25(word, factor, &mut |d, s| {
                    let slot = &mut by_character[d as usize];
                    if *slot == 0.0 && best[d as usize] == 0.0 {
                        touched.push(d);
                    }
                    *slot += s;
                });
            }
            for &d in &touched {
                let d = d as usize;
                scores[d] += best[d].max(by_character[d]);
                matched[d] += 1;
                best[d] = 0.0;
                by_character[d] = 0.0;
            }
            touched.clear();
        }
        // A script meeting more of the query's pieces counts more (Lucene's coordination).
        let pieces_n = pieces.len().max(1) as f32;
        for (s, m) in scores.iter_mut().zip(&matched) {
            *s *= f32::from(*m) / pieces_n;
        }
        if let Some(d) = shortcut {
            scores[d as usize] += 1_000.0;
        }
        let mut hits: Vec<(u32, f32)> = scores
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .map(|(d, s)| (d as u32, *s))
            .collect();
        // Relevance first, in steps of 1 %, then the agent's own use.
        let rank = |s: f32| (s.ln() * 100.0).round() as i64;
        let key = |(d, s): &(u32, f32)| (rank(*s), own_use(self.ids[*d as usize]));
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit, |a, b| key(b).cmp(&key(a)));
            hits.truncate(limit);
        }
        hits.sort_by(|a, b| key(b).cmp(&key(a)).then(a.0.cmp(&b.0)));
        hits.into_iter()
            .map(|(d, score)| Hit {
                id: self.ids[d as usize],
                score,
            })
            .collect()
    }
}
