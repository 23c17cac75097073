#include "storage/decision_writer.hpp"

#include "storage/cached_statement.hpp"
#include "storage/vendor_name.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace storage {

namespace {

std::string origin_of(const actor& by) {
  return by.place.empty() ? by.source : by.source + ":" + by.place;
}

}  // namespace

// Prepared once per writer and reused; the caller's hold of the database's lock keeps them
// single-threaded.
struct decision_writer::statements {
  explicit statements(SQLite::Database& db)
      : vendor_by_key(db,
                      "SELECT v.id, v.name FROM vendor_aliases a JOIN vendors v ON v.id = a.vendor_id "
                      "WHERE a.key = ?"),
        insert_vendor(db, "INSERT INTO vendors (name, key, created_at) VALUES (?, ?, ?)"),
        insert_alias(db, "INSERT INTO vendor_aliases (key, name, vendor_id) VALUES (?, ?, ?)"),
        insert_decision(db,
                        "INSERT INTO decisions (vendor_id, outcome, rationale, conditions, "
                        "revisit_on, ticket, decided_by, decided_by_name, decided_at, source, place) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        insert_review(db,
                      "INSERT INTO reviews (vendor_id, source, content_hash, score, verdict, "
                      "summary, findings, findings_text, reviewed_by, reviewed_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        insert_audit(db,
                     "INSERT INTO audit_log (at, actor, action, origin, subject, details) "
                     "VALUES (?, ?, ?, ?, ?, ?)"),
        // Audit details as JSON made by SQLite itself, so every string is escaped correctly.
        decision_json(db,
                      "SELECT json_object('decision_id', ?, 'outcome', ?, 'ticket', ?, "
                      "'revisit_on', ?)"),
        review_json(db, "SELECT json_object('review_id', ?, 'verdict', ?, 'score', ?)") {}

  SQLite::Statement vendor_by_key, insert_vendor, insert_alias, insert_decision, insert_review,
      insert_audit, decision_json, review_json;
};

decision_writer::decision_writer(SQLite::Database& db)
    : db_(db), st_(std::make_unique<statements>(db)) {}

decision_writer::~decision_writer() = default;

std::optional<vendor_ref> decision_writer::find_vendor(const std::string& key) {
  auto& s = fresh(st_->vendor_by_key);
  const reset_on_exit s_done(s);
  s.bind(1, key);
  if (!s.executeStep()) return std::nullopt;
  return vendor_ref{s.getColumn(0).getInt64(), s.getColumn(1).getString()};
}

vendor_ref decision_writer::upsert_vendor(std::string_view name, const actor& by, std::int64_t at) {
  const std::string key = vendor_key(name);
  if (key.empty()) throw write_error("a vendor name needs at least one letter or digit");
  if (auto found = find_vendor(key)) return *found;
  auto& v = fresh(st_->insert_vendor);
  const reset_on_exit v_done(v);
  v.bind(1, std::string(name));
  v.bind(2, key);
  v.bind(3, static_cast<std::int64_t>(at));
  v.exec();
  vendor_ref out{db_.getLastInsertRowid(), std::string(name)};
  insert_alias(key, name, out.id);
  audit(by, at, "vendor.create", out.name, "{}");
  return out;
}

void decision_writer::insert_alias(const std::string& key, std::string_view name,
                                   std::int64_t vendor_id) {
  auto& a = fresh(st_->insert_alias);
  const reset_on_exit a_done(a);
  a.bind(1, key);
  a.bind(2, std::string(name));
  a.bind(3, static_cast<std::int64_t>(vendor_id));
  a.exec();
}

void decision_writer::audit(const actor& by, std::int64_t at, std::string_view action,
                            std::string_view subject, const std::string& details_json) {
  auto& s = fresh(st_->insert_audit);
  const reset_on_exit s_done(s);
  s.bind(1, static_cast<std::int64_t>(at));
  s.bind(2, by.name.empty() ? by.id : by.id + " (" + by.name + ")");
  s.bind(3, std::string(action));
  s.bind(4, origin_of(by));
  s.bind(5, std::string(subject));
  s.bind(6, details_json);
  s.exec();
}

decision decision_writer::insert_decision(const decision_input& in, std::string_view action) {
  const auto vendor = upsert_vendor(in.vendor, in.by, in.at);
  auto& s = fresh(st_->insert_decision);
  const reset_on_exit s_done(s);
  s.bind(1, static_cast<std::int64_t>(vendor.id));
  s.bind(2, std::string(outcome_name(in.what)));
  s.bind(3, in.rationale);
  s.bind(4, in.conditions);
  s.bind(5, in.revisit_on);
  s.bind(6, in.ticket);
  s.bind(7, in.by.id);
  s.bind(8, in.by.name);
  s.bind(9, static_cast<std::int64_t>(in.at));
  s.bind(10, in.by.source);
  s.bind(11, in.by.place);
  s.exec();
  decision d;
  d.id = db_.getLastInsertRowid();
  d.vendor = vendor.name;
  d.what = in.what;
  d.rationale = in.rationale;
  d.conditions = in.conditions;
  d.revisit_on = in.revisit_on;
  d.ticket = in.ticket;
  d.decided_by = in.by.id;
  d.decided_by_name = in.by.name;
  d.decided_at = in.at;
  d.source = in.by.source;
  d.place = in.by.place;
  std::string details;
  {
    auto& j = fresh(st_->decision_json);
    const reset_on_exit j_done(j);
    j.bind(1, static_cast<std::int64_t>(d.id));
    j.bind(2, std::string(outcome_name(d.what)));
    j.bind(3, d.ticket);
    j.bind(4, d.revisit_on);
    j.executeStep();
    details = j.getColumn(0).getString();
  }
  audit(in.by, in.at, action, vendor.name, details);
  return d;
}

std::int64_t decision_writer::insert_review(const review_input& in) {
  std::optional<vendor_ref> vendor;
  if (!in.vendor.empty()) vendor = upsert_vendor(in.vendor, in.by, in.at);
  {
    auto& s = fresh(st_->insert_review);
    const reset_on_exit s_done(s);
    if (vendor)
      s.bind(1, static_cast<std::int64_t>(vendor->id));
    else
      s.bind(1);
    s.bind(2, in.source);
    s.bind(3, in.content_hash);
    s.bind(4, in.score);
    s.bind(5, in.verdict);
    s.bind(6, in.summary);
    s.bind(7, in.findings_json);
    s.bind(8, in.findings_text);
    s.bind(9, in.by.id);
    s.bind(10, static_cast<std::int64_t>(in.at));
    s.exec();
  }
  const auto id = db_.getLastInsertRowid();
  std::string details;
  {
    auto& j = fresh(st_->review_json);
    const reset_on_exit j_done(j);
    j.bind(1, static_cast<std::int64_t>(id));
    j.bind(2, in.verdict);
    j.bind(3, in.score);
    j.executeStep();
    details = j.getColumn(0).getString();
  }
  audit(in.by, in.at, "review.record", vendor ? vendor->name : std::string(), details);
  return id;
}

}  // namespace storage
