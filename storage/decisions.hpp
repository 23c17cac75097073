#pragma once
// Vendor decisions, reviews and the audit log in the bot's SQLite database. Decisions and reviews
// are append-only: a new decision supersedes the vendor's earlier one as its current status, and
// the history keeps every entry. Every write adds an audit-log row in the same transaction.
// Thread-safe: each call holds the database's lock for its duration.

#include "storage/database.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace storage {

enum class outcome { approve, reject, defer, conditional };

// "approve", "reject", "defer", "conditional": the stored names.
std::string_view outcome_name(outcome o);
// The outcome a stored name stands for; nullopt for anything else.
std::optional<outcome> outcome_from_name(std::string_view name);

// Who made a write and from where: for decisions' provenance and the audit log.
struct actor {
  std::string id;      // platform user id; for the CLI, the operating-system user
  std::string name;    // display name when known
  std::string source;  // "slack", "mattermost", "teams", "cli", "import", ...
  std::string place;   // channel, or the file imported from; "" when none
};

struct decision_input {
  std::string vendor;      // as typed; matched by storage::vendor_key
  outcome what = outcome::defer;
  std::string rationale;
  std::string conditions;  // for conditional approvals
  std::string revisit_on;  // an ISO date, or ""
  std::string ticket;      // e.g. "PROC-123", or ""
  actor by;
  std::int64_t at = 0;     // Unix seconds
};

struct decision {
  std::int64_t id = 0;
  std::string vendor;  // the vendor's display name
  outcome what = outcome::defer;
  std::string rationale;
  std::string conditions;
  std::string revisit_on;
  std::string ticket;
  std::string decided_by;
  std::string decided_by_name;
  std::int64_t decided_at = 0;
  std::string source;
  std::string place;
};

struct vendor_ref {
  std::int64_t id = 0;
  std::string name;
};

struct review_input {
  std::string vendor;        // "" when the review names no vendor (it is then not searchable)
  std::string source;        // "slack", "cli", "jira:PROC-12", ...
  std::string content_hash;  // of the reviewed text
  int score = 0;
  std::string verdict;
  std::string summary;        // one line
  std::string findings_json;  // the review as JSON
  std::string findings_text;  // the findings as plain text, for full-text search
  actor by;
  std::int64_t at = 0;
};

struct review_summary {
  std::int64_t id = 0;
  std::string source;
  std::string content_hash;
  int score = 0;
  std::string verdict;
  std::string summary;
  std::int64_t reviewed_at = 0;
};

struct vendor_status {
  vendor_ref vendor;
  std::vector<std::string> aliases;  // other spellings recorded for it
  std::vector<decision> history;     // newest first, at most the limit asked for
  std::size_t decision_count = 0;    // all of them
  std::optional<review_summary> latest_review;
};

// Highlighted matches in search snippets are wrapped in these (never in stored text: the bot
// refuses control characters).
inline constexpr char mark_begin = '\x02';
inline constexpr char mark_end = '\x03';

struct search_hit {
  std::string vendor;   // the vendor's name, matches marked
  std::string snippet;  // the matching text around the matches, matches marked
  std::optional<decision> found_decision;
  std::optional<review_summary> found_review;
};

// A write that did not happen; nothing of it was stored.
class write_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class decision_store {
 public:
  explicit decision_store(database& db);
  ~decision_store();
  decision_store(const decision_store&) = delete;
  decision_store& operator=(const decision_store&) = delete;

  // Stores a decision (creating the vendor on first mention) and its audit row in one
  // transaction; returns it as stored once committed. Throws write_error when it was not stored.
  decision record(const decision_input& in);

  // Stores every row and their audit rows in one transaction: all or nothing.
  std::size_t import_all(const std::vector<decision_input>& rows);

  // Stores a review (and its vendor when named) with its audit row; returns its id.
  std::int64_t record_review(const review_input& in);

  // Records another spelling for a vendor; false when the vendor is unknown or the spelling is
  // already another vendor's.
  bool add_alias(std::string_view vendor, std::string_view alias, const actor& by, std::int64_t at);

  // The vendor a name means (by key or alias) with its newest decisions; nullopt when unknown.
  std::optional<vendor_status> find_vendor(std::string_view name, std::size_t history_limit = 10);

  // Known vendors whose names look like name, most alike first; for "did you mean".
  std::vector<vendor_ref> similar_vendors(std::string_view name, std::size_t limit = 3);

  // The newest decisions across vendors, optionally of one outcome.
  std::vector<decision> recent(std::size_t limit, std::optional<outcome> only = std::nullopt);

  // Decisions and reviews whose vendor name, rationale, conditions or findings match the words,
  // all of them if any row has them all, else any; best match (BM25) first among the
  // search_window newest matches, so a word in half a million rows still answers in
  // milliseconds. Words are matched as words (stemmed), never as query syntax.
  std::vector<search_hit> search(std::string_view words, std::size_t limit = 10);
  static constexpr std::size_t search_window = 200;
  // From this many indexed rows on, words in more than a quarter of them are left out of a
  // search (unless all its words are), as search engines leave out "the".
  static constexpr std::int64_t common_word_min_rows = 10'000;
  // Newest matches read to estimate how many rows hold a word.
  static constexpr std::size_t term_sample_rows = 1000;

  // Every decision, oldest first (for export).
  void each_decision(const std::function<void(const decision&)>& visit);

  std::size_t decision_count();
  std::size_t audit_count(std::string_view action);

 private:
  struct statements;
  database& db_;
  std::unique_ptr<statements> st_;
};

}  // namespace storage
