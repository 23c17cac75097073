#pragma once
// For storage/ only: the writes behind decisions and reviews (vendor created on first mention,
// the row, its audit rows), shared by decision_store and ticket_store so that a decision or review
// recorded from a ticket is stored exactly as one recorded from chat.
//
// Every call runs inside the caller's transaction and under the caller's hold of
// database::mutex(); the writer takes no lock and opens no transaction itself. Errors are
// exceptions (SQLite::Exception, or write_error for input that cannot be stored); the caller's
// transaction rolls back.

#include "storage/decisions.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace SQLite {
class Database;
}

namespace storage {

class decision_writer {
 public:
  explicit decision_writer(SQLite::Database& db);  // prepares its statements on db
  ~decision_writer();
  decision_writer(const decision_writer&) = delete;
  decision_writer& operator=(const decision_writer&) = delete;

  // The decision row and its audit row (action: "decision.record", "decision.import"), creating
  // the vendor (with its "vendor.create" audit row) on first mention. Returns it as stored.
  decision insert_decision(const decision_input& in, std::string_view action);

  // The review row (and its vendor when named) with its "review.record" audit row; its id.
  std::int64_t insert_review(const review_input& in);

  // The vendor a normalised key (vendor_key) or alias names; nullopt when unknown.
  std::optional<vendor_ref> find_vendor(const std::string& key);

  // The vendor's id and display name, created (with its audit row) when new; write_error when the
  // name has no letter or digit.
  vendor_ref upsert_vendor(std::string_view name, const actor& by, std::int64_t at);

  // Another spelling (already normalised as key) pointing at vendor_id.
  void insert_alias(const std::string& key, std::string_view name, std::int64_t vendor_id);

  // One audit-log row; details_json is a JSON object's text.
  void audit(const actor& by, std::int64_t at, std::string_view action, std::string_view subject,
             const std::string& details_json);

 private:
  struct statements;
  SQLite::Database& db_;
  std::unique_ptr<statements> st_;
};

}  // namespace storage
