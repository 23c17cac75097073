#pragma once
// Ranking full-text matches in milliseconds on a million rows. FTS5's bm25() counts every row a
// word appears in, once per query, by reading the word's whole posting list (half a million rows
// for a common word: tens of milliseconds). decision_rank() is the same BM25 formula, but is
// given those counts, which storage estimates from a sample of each word's newest matches.

struct sqlite3;

namespace storage {

// Registers decision_rank(table, 'n1,n2,...') on the connection: BM25 (k1 1.2, b 0.75) over the
// table's first two columns weighted 4 and 1, where ni is the number of rows holding phrase i of
// the MATCH query. Higher is better. Throws std::runtime_error when FTS5 is missing.
void register_search_rank(sqlite3* db);

}  // namespace storage
