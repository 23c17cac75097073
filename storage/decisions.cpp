#include "storage/decisions.hpp"

#include "storage/cached_statement.hpp"
#include "storage/decision_writer.hpp"
#include "storage/search_rank.hpp"
#include "storage/vendor_name.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <set>

namespace storage {

namespace {

constexpr std::array<std::string_view, 4> outcome_names = {"approve", "reject", "defer",
                                                           "conditional"};

// The columns read_decision expects, in its order; d is decisions, v is vendors.
constexpr const char* decision_columns =
    "d.id, v.name, d.outcome, d.rationale, d.conditions, d.revisit_on, d.ticket, d.decided_by, "
    "d.decided_by_name, d.decided_at, d.source, d.place";

decision read_decision(SQLite::Statement& s, int first = 0) {
  decision d;
  d.id = s.getColumn(first + 0).getInt64();
  d.vendor = s.getColumn(first + 1).getString();
  d.what = outcome_from_name(s.getColumn(first + 2).getString()).value_or(outcome::defer);
  d.rationale = s.getColumn(first + 3).getString();
  d.conditions = s.getColumn(first + 4).getString();
  d.revisit_on = s.getColumn(first + 5).getString();
  d.ticket = s.getColumn(first + 6).getString();
  d.decided_by = s.getColumn(first + 7).getString();
  d.decided_by_name = s.getColumn(first + 8).getString();
  d.decided_at = s.getColumn(first + 9).getInt64();
  d.source = s.getColumn(first + 10).getString();
  d.place = s.getColumn(first + 11).getString();
  return d;
}

constexpr const char* review_columns =
    "r.id, r.source, r.content_hash, r.score, r.verdict, r.summary, r.reviewed_at";

review_summary read_review(SQLite::Statement& s) {
  review_summary r;
  r.id = s.getColumn(0).getInt64();
  r.source = s.getColumn(1).getString();
  r.content_hash = s.getColumn(2).getString();
  r.score = s.getColumn(3).getInt();
  r.verdict = s.getColumn(4).getString();
  r.summary = s.getColumn(5).getString();
  r.reviewed_at = s.getColumn(6).getInt64();
  return r;
}

std::string sql(std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  std::string out(a);
  out += b;
  out += c;
  return out;
}

// The user's words as FTS5 phrases that are only words: every run of letters and digits is one
// quoted term, so operators, quotes, column filters and NEAR in the input mean nothing. At most
// 16 terms, each once (a repeated common word made FTS5 walk its whole posting list).
std::vector<std::string> search_words(std::string_view words) {
  std::vector<std::string> out;
  std::string term;
  const auto flush = [&] {
    std::string lower = term;
    for (auto& c : lower)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!lower.empty() && out.size() < 16 && std::find(out.begin(), out.end(), lower) == out.end())
      out.push_back(std::move(lower));
    term.clear();
  };
  for (const char ch : words) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80)
      term += ch;
    else
      flush();
  }
  flush();
  return out;
}

// The terms as an FTS5 query, joined by `joiner` (" " is AND, " OR " is OR).
std::string fts_query(const std::vector<std::string>& terms, std::string_view joiner) {
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += joiner;
    out += '"' + t + '"';
  }
  return out;
}

// The key's distinct trigrams.
std::vector<std::string> trigrams_of(std::string_view key) {
  std::set<std::string> grams;
  for (std::size_t i = 0; i + 3 <= key.size(); ++i) grams.insert(std::string(key.substr(i, 3)));
  return {grams.begin(), grams.end()};
}

}  // namespace

std::string_view outcome_name(outcome o) { return outcome_names[static_cast<std::size_t>(o)]; }

std::optional<outcome> outcome_from_name(std::string_view name) {
  for (std::size_t i = 0; i < outcome_names.size(); ++i)
    if (outcome_names[i] == name) return static_cast<outcome>(i);
  return std::nullopt;
}

// Statements prepared once per store and reused (reset and rebound) under the database's lock.
struct decision_store::statements {
  explicit statements(SQLite::Database& db)
      : writer(db),
        history(db, sql("SELECT ", decision_columns,
                        " FROM decisions d JOIN vendors v ON v.id = d.vendor_id WHERE d.vendor_id = ? "
                        "ORDER BY d.decided_at DESC, d.id DESC LIMIT ?")),
        count_for_vendor(db, "SELECT count(*) FROM decisions WHERE vendor_id = ?"),
        aliases(db, "SELECT name FROM vendor_aliases WHERE vendor_id = ? ORDER BY id"),
        latest_review(db, sql("SELECT ", review_columns,
                              " FROM reviews r WHERE r.vendor_id = ? "
                              "ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1")),
        recent(db, sql("SELECT ", decision_columns,
                       " FROM decisions d JOIN vendors v ON v.id = d.vendor_id "
                       "ORDER BY d.decided_at DESC, d.id DESC LIMIT ?")),
        recent_of(db, sql("SELECT ", decision_columns,
                          " FROM decisions d JOIN vendors v ON v.id = d.vendor_id WHERE d.outcome = ? "
                          "ORDER BY d.decided_at DESC, d.id DESC LIMIT ?")),
        decision_by_id(db, sql("SELECT ", decision_columns,
                               " FROM decisions d JOIN vendors v ON v.id = d.vendor_id WHERE d.id = ?")),
        review_by_id(db, sql("SELECT ", review_columns, " FROM reviews r WHERE r.id = ?")),
        // Ranked by BM25 (decision_rank, see storage/search_rank.hpp) among the newest matches
        // only: FTS5 walks a posting list newest-first (rowids count down, see migration 3) and
        // stops at the window, where ranking every match of a common word (most of a million
        // rows) takes half a second.
        search(db,
               "SELECT rowid, kind, ref FROM ("
               "  SELECT rowid, kind, ref, decision_rank(search_index, ?4) AS score "
               "  FROM search_index WHERE search_index MATCH ?1 ORDER BY rowid LIMIT ?3) "
               "ORDER BY score DESC, rowid LIMIT ?2"),
        term_sample(db,
                    "SELECT count(*), max(rowid) FROM (SELECT rowid FROM search_index "
                    "WHERE search_index MATCH ?1 ORDER BY rowid LIMIT ?2)"),
        // Rowids count down from -1 (migration 3), so the smallest is minus the rows indexed.
        index_rows(db, "SELECT -rowid FROM search_index ORDER BY rowid LIMIT 1"),
        // Highlights for the few rows shown, not for the whole window.
        search_marks(db,
                     "SELECT highlight(search_index, 0, char(2), char(3)), "
                     "snippet(search_index, 1, char(2), char(3), '…', 24) "
                     "FROM search_index WHERE search_index MATCH ?1 AND rowid = ?2"),
        // Document frequency of the typed name's trigrams, so the look-up uses the rarest.
        trigram_frequency(db, "SELECT doc FROM vendor_trigram_terms WHERE term = ?"),
        similar(db,
                "SELECT a.key, v.id, v.name FROM vendor_trigrams t "
                "JOIN vendor_aliases a ON a.id = t.rowid JOIN vendors v ON v.id = a.vendor_id "
                "WHERE vendor_trigrams MATCH ? ORDER BY t.rank LIMIT 64") {}

  // Vendors, decisions, reviews and their audit rows, written as ticket_store writes them.
  decision_writer writer;
  SQLite::Statement history, count_for_vendor, aliases, latest_review, recent, recent_of,
      decision_by_id, review_by_id, search, term_sample, index_rows, search_marks, trigram_frequency,
      similar;

  std::int64_t rows_indexed() {
    auto& s = fresh(index_rows);
    const reset_on_exit s_done(s);
    return s.executeStep() ? s.getColumn(0).getInt64() : 0;
  }
};

decision_store::decision_store(database& db) : db_(db) {
  std::lock_guard lock(db_.mutex());
  register_search_rank(db_.handle().getHandle());
  st_ = std::make_unique<statements>(db_.handle());
}

decision_store::~decision_store() = default;

decision decision_store::record(const decision_input& in) {
  std::lock_guard lock(db_.mutex());
  try {
    SQLite::Transaction tx(db_.handle(), SQLite::TransactionBehavior::IMMEDIATE);
    auto d = st_->writer.insert_decision(in, "decision.record");
    tx.commit();
    return d;
  } catch (const write_error&) {
    throw;
  } catch (const std::exception& e) {
    throw write_error(e.what());
  }
}

std::size_t decision_store::import_all(const std::vector<decision_input>& rows) {
  std::lock_guard lock(db_.mutex());
  try {
    SQLite::Transaction tx(db_.handle(), SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& row : rows) st_->writer.insert_decision(row, "decision.import");
    tx.commit();
    return rows.size();
  } catch (const write_error&) {
    throw;
  } catch (const std::exception& e) {
    throw write_error(e.what());
  }
}

std::int64_t decision_store::record_review(const review_input& in) {
  std::lock_guard lock(db_.mutex());
  try {
    SQLite::Transaction tx(db_.handle(), SQLite::TransactionBehavior::IMMEDIATE);
    const auto id = st_->writer.insert_review(in);
    tx.commit();
    return id;
  } catch (const write_error&) {
    throw;
  } catch (const std::exception& e) {
    throw write_error(e.what());
  }
}

bool decision_store::add_alias(std::string_view vendor, std::string_view alias, const actor& by,
                               std::int64_t at) {
  std::lock_guard lock(db_.mutex());
  try {
    SQLite::Transaction tx(db_.handle(), SQLite::TransactionBehavior::IMMEDIATE);
    const auto target = st_->writer.find_vendor(vendor_key(vendor));
    const std::string key = vendor_key(alias);
    if (!target || key.empty()) return false;
    if (const auto existing = st_->writer.find_vendor(key)) return existing->id == target->id;
    st_->writer.insert_alias(key, alias, target->id);
    SQLite::Statement j(db_.handle(), "SELECT json_object('alias', ?)");
    j.bind(1, std::string(alias));
    j.executeStep();
    st_->writer.audit(by, at, "vendor.alias", target->name, j.getColumn(0).getString());
    tx.commit();
    return true;
  } catch (const std::exception& e) {
    throw write_error(e.what());
  }
}

std::optional<vendor_status> decision_store::find_vendor(std::string_view name,
                                                         std::size_t history_limit) {
  std::lock_guard lock(db_.mutex());
  const auto vendor = st_->writer.find_vendor(vendor_key(name));
  if (!vendor) return std::nullopt;
  vendor_status out;
  out.vendor = *vendor;
  auto& h = fresh(st_->history);
  const reset_on_exit h_done(h);
  h.bind(1, static_cast<std::int64_t>(vendor->id));
  h.bind(2, static_cast<std::int64_t>(history_limit));
  while (h.executeStep()) out.history.push_back(read_decision(h));
  auto& c = fresh(st_->count_for_vendor);
  const reset_on_exit c_done(c);
  c.bind(1, static_cast<std::int64_t>(vendor->id));
  c.executeStep();
  out.decision_count = static_cast<std::size_t>(c.getColumn(0).getInt64());
  auto& a = fresh(st_->aliases);
  const reset_on_exit a_done(a);
  a.bind(1, static_cast<std::int64_t>(vendor->id));
  while (a.executeStep()) {
    auto alias = a.getColumn(0).getString();
    if (alias != vendor->name) out.aliases.push_back(std::move(alias));
  }
  auto& r = fresh(st_->latest_review);
  const reset_on_exit r_done(r);
  r.bind(1, static_cast<std::int64_t>(vendor->id));
  if (r.executeStep()) out.latest_review = read_review(r);
  return out;
}

std::vector<vendor_ref> decision_store::similar_vendors(std::string_view name, std::size_t limit) {
  const std::string key = vendor_key(name);
  if (key.empty()) return {};
  struct candidate {
    double score;
    vendor_ref vendor;
  };
  std::vector<candidate> found;
  {
    std::lock_guard lock(db_.mutex());
    // The rarest trigrams that some vendor has: a typo breaks a few trigrams, so several are
    // asked for, but common ones ("ing", "aca") would bring in thousands of names to rank.
    std::vector<std::pair<std::int64_t, std::string>> known;
    for (auto& gram : trigrams_of(key)) {
      auto& f = fresh(st_->trigram_frequency);
      const reset_on_exit f_done(f);
      f.bind(1, gram);
      if (f.executeStep()) known.emplace_back(f.getColumn(0).getInt64(), std::move(gram));
    }
    if (known.empty()) return {};
    std::sort(known.begin(), known.end());
    std::string query;
    for (std::size_t i = 0; i < known.size() && i < 8; ++i) {
      if (!query.empty()) query += " OR ";
      query += '"' + known[i].second + '"';
    }
    auto& s = fresh(st_->similar);
    const reset_on_exit s_done(s);
    s.bind(1, query);
    while (s.executeStep()) {
      const std::string candidate_key = s.getColumn(0).getString();
      double score = key_similarity(key, candidate_key);
      // "acme" is a fair guess for "acme ai academy": the whole typed key starts the name.
      if (candidate_key.starts_with(key + " ")) score = std::max(score, 0.5);
      if (score < 0.3) continue;
      found.push_back({score, {s.getColumn(1).getInt64(), s.getColumn(2).getString()}});
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const candidate& a, const candidate& b) { return a.score > b.score; });
  std::vector<vendor_ref> out;
  for (const auto& c : found) {
    if (out.size() >= limit) break;
    if (std::none_of(out.begin(), out.end(), [&](const vendor_ref& v) { return v.id == c.vendor.id; }))
      out.push_back(c.vendor);
  }
  return out;
}

std::vector<decision> decision_store::recent(std::size_t limit, std::optional<outcome> only) {
  std::lock_guard lock(db_.mutex());
  auto& s = fresh(only ? st_->recent_of : st_->recent);
  const reset_on_exit s_done(s);
  int at = 1;
  if (only) s.bind(at++, std::string(outcome_name(*only)));
  s.bind(at, static_cast<std::int64_t>(limit));
  std::vector<decision> out;
  while (s.executeStep()) out.push_back(read_decision(s));
  return out;
}

std::vector<search_hit> decision_store::search(std::string_view words, std::size_t limit) {
  std::lock_guard lock(db_.mutex());
  std::vector<search_hit> out;
  // How many rows hold each term, estimated from its newest matches: all of them when there are
  // fewer than a sample's worth, else the sample's density over the rowids it spans. FTS5 stores
  // no such counts, and counting a common word's rows exactly costs as much as the search.
  const std::int64_t indexed = st_->rows_indexed();
  std::vector<std::pair<std::string, std::int64_t>> counted;
  for (auto& term : search_words(words)) {
    auto& d = fresh(st_->term_sample);
    const reset_on_exit d_done(d);
    d.bind(1, fts_query({term}, ""));
    d.bind(2, static_cast<std::int64_t>(term_sample_rows));
    std::int64_t rows = 0;
    if (d.executeStep()) {
      rows = d.getColumn(0).getInt64();
      const std::int64_t oldest = d.getColumn(1).getInt64();  // rowids count down from -1
      if (rows >= static_cast<std::int64_t>(term_sample_rows) && indexed > 0)
        rows = std::min(indexed, rows * indexed / std::max<std::int64_t>(1, oldest + indexed + 1));
    }
    counted.emplace_back(std::move(term), rows);
  }
  // In a large index, a word in more than a quarter of all rows narrows nothing (its weight in
  // BM25 is near zero, like "the") and costs the most: joined with rarer words, FTS5 decodes its
  // whole posting list, tens of milliseconds for a million rows. Such words are left out unless all words are like that,
  // when the rarest of them is kept.
  if (indexed >= common_word_min_rows && !counted.empty()) {
    const auto rarest = *std::min_element(counted.begin(), counted.end(),
                                          [](const auto& a, const auto& b) { return a.second < b.second; });
    std::erase_if(counted, [&](const auto& c) { return c.second * 4 > indexed; });
    if (counted.empty()) counted.push_back(rarest);
  }
  std::vector<std::string> terms;
  std::string counts;
  for (const auto& [term, rows] : counted) {
    terms.push_back(term);
    if (!counts.empty()) counts += ',';
    counts += std::to_string(rows);
  }
  // All the words first; when nothing has them all, any of them.
  const std::string all = fts_query(terms, " ");
  const std::string any = fts_query(terms, " OR ");
  for (const std::string* query : {&all, &any}) {
    if (query->empty() || (query == &any && any == all)) break;
    struct row {
      std::int64_t rowid;
      std::string kind;
      std::int64_t ref;
      std::string vendor, snippet;
    };
    std::vector<row> rows;
    {
      auto& s = fresh(st_->search);
      const reset_on_exit s_done(s);
      s.bind(1, *query);
      s.bind(2, static_cast<std::int64_t>(limit));
      s.bind(3, static_cast<std::int64_t>(search_window));
      s.bind(4, counts);
      while (s.executeStep())
        rows.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString(),
                        s.getColumn(2).getInt64(), {}, {}});
    }
    for (auto& r : rows) {
      auto& m = fresh(st_->search_marks);
      const reset_on_exit m_done(m);
      m.bind(1, *query);
      m.bind(2, r.rowid);
      if (m.executeStep()) {
        r.vendor = m.getColumn(0).getString();
        r.snippet = m.getColumn(1).getString();
      }
    }
    for (const auto& r : rows) {
      search_hit hit{r.vendor, r.snippet, std::nullopt, std::nullopt};
      if (r.kind == "decision") {
        auto& d = fresh(st_->decision_by_id);
        const reset_on_exit d_done(d);
        d.bind(1, static_cast<std::int64_t>(r.ref));
        if (d.executeStep()) hit.found_decision = read_decision(d);
      } else {
        auto& d = fresh(st_->review_by_id);
        const reset_on_exit d_done(d);
        d.bind(1, static_cast<std::int64_t>(r.ref));
        if (d.executeStep()) hit.found_review = read_review(d);
      }
      out.push_back(std::move(hit));
    }
    if (!out.empty()) break;
  }
  return out;
}

void decision_store::each_decision(const std::function<void(const decision&)>& visit) {
  std::lock_guard lock(db_.mutex());
  SQLite::Statement s(db_.handle(),
                      sql("SELECT ", decision_columns,
                          " FROM decisions d JOIN vendors v ON v.id = d.vendor_id "
                          "ORDER BY d.decided_at, d.id"));
  while (s.executeStep()) visit(read_decision(s));
}

std::size_t decision_store::decision_count() {
  std::lock_guard lock(db_.mutex());
  return static_cast<std::size_t>(db_.handle().execAndGet("SELECT count(*) FROM decisions").getInt64());
}

std::size_t decision_store::audit_count(std::string_view action) {
  std::lock_guard lock(db_.mutex());
  SQLite::Statement s(db_.handle(), "SELECT count(*) FROM audit_log WHERE action = ?");
  s.bind(1, std::string(action));
  s.executeStep();
  return static_cast<std::size_t>(s.getColumn(0).getInt64());
}

}  // namespace storage
