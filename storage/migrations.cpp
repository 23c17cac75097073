#include "storage/migrations.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <stdexcept>
#include <string>

namespace storage {

namespace {

// Version 1: vendors, decisions, reviews and the audit log.
// - Vendor names are looked up by a normalised key (storage/vendor_name.hpp); every spelling a
//   vendor was recorded under is an alias pointing at it, the first one included.
// - Decisions and reviews are append-only: triggers refuse UPDATE and DELETE, so history cannot be
//   rewritten through any connection, not only the bot's.
// - Times are Unix seconds (UTC); revisit dates are ISO dates as typed.
constexpr std::string_view v1 = R"sql(
CREATE TABLE vendors (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  key         TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);
CREATE TABLE vendor_aliases (
  id         INTEGER PRIMARY KEY,
  key        TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  vendor_id  INTEGER NOT NULL REFERENCES vendors(id)
);
CREATE INDEX vendor_aliases_by_vendor ON vendor_aliases(vendor_id);
CREATE TABLE decisions (
  id               INTEGER PRIMARY KEY,
  vendor_id        INTEGER NOT NULL REFERENCES vendors(id),
  outcome          TEXT NOT NULL CHECK (outcome IN ('approve', 'reject', 'defer', 'conditional')),
  rationale        TEXT NOT NULL DEFAULT '',
  conditions       TEXT NOT NULL DEFAULT '',
  revisit_on       TEXT NOT NULL DEFAULT '',
  ticket           TEXT NOT NULL DEFAULT '',
  decided_by       TEXT NOT NULL,
  decided_by_name  TEXT NOT NULL DEFAULT '',
  decided_at       INTEGER NOT NULL,
  source           TEXT NOT NULL,
  place            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX decisions_by_vendor ON decisions(vendor_id, decided_at DESC, id DESC);
CREATE INDEX decisions_by_time ON decisions(decided_at DESC, id DESC);
CREATE INDEX decisions_by_outcome ON decisions(outcome, decided_at DESC, id DESC);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
  BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
  BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TABLE reviews (
  id             INTEGER PRIMARY KEY,
  vendor_id      INTEGER REFERENCES vendors(id),
  source         TEXT NOT NULL,
  content_hash   TEXT NOT NULL,
  score          INTEGER NOT NULL,
  verdict        TEXT NOT NULL,
  summary        TEXT NOT NULL DEFAULT '',
  findings       TEXT NOT NULL,
  findings_text  TEXT NOT NULL DEFAULT '',
  reviewed_by    TEXT NOT NULL DEFAULT '',
  reviewed_at    INTEGER NOT NULL
);
CREATE INDEX reviews_by_vendor ON reviews(vendor_id, reviewed_at DESC, id DESC);
CREATE INDEX reviews_by_hash ON reviews(content_hash);
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
  BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
  BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,
  origin   TEXT NOT NULL,
  subject  TEXT NOT NULL,
  details  TEXT NOT NULL DEFAULT '{}'
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";

// Version 2: full-text search (FTS5) over vendor names, rationales and review findings, kept in
// sync by triggers (rows are append-only, so inserts are all there is to follow), and a trigram
// index of vendor-name keys for "did you mean". Rows written at version 1 are indexed here.
constexpr std::string_view v2 = R"sql(
CREATE VIRTUAL TABLE search_index USING fts5(
  vendor, body, kind UNINDEXED, ref UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER decisions_search AFTER INSERT ON decisions BEGIN
  INSERT INTO search_index (vendor, body, kind, ref)
  VALUES ((SELECT name FROM vendors WHERE id = new.vendor_id),
          trim(new.rationale || ' ' || new.conditions), 'decision', new.id);
END;
CREATE TRIGGER reviews_search AFTER INSERT ON reviews WHEN new.vendor_id IS NOT NULL BEGIN
  INSERT INTO search_index (vendor, body, kind, ref)
  VALUES ((SELECT name FROM vendors WHERE id = new.vendor_id),
          trim(new.summary || ' ' || new.findings_text), 'review', new.id);
END;
INSERT INTO search_index (vendor, body, kind, ref)
  SELECT v.name, trim(d.rationale || ' ' || d.conditions), 'decision', d.id
  FROM decisions d JOIN vendors v ON v.id = d.vendor_id ORDER BY d.id;
INSERT INTO search_index (vendor, body, kind, ref)
  SELECT v.name, trim(r.summary || ' ' || r.findings_text), 'review', r.id
  FROM reviews r JOIN vendors v ON v.id = r.vendor_id ORDER BY r.id;

CREATE VIRTUAL TABLE vendor_trigrams USING fts5(
  key, content = 'vendor_aliases', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER vendor_aliases_trigrams AFTER INSERT ON vendor_aliases BEGIN
  INSERT INTO vendor_trigrams (rowid, key) VALUES (new.id, new.key);
END;
CREATE TRIGGER vendor_aliases_no_update BEFORE UPDATE ON vendor_aliases
  BEGIN SELECT RAISE(ABORT, 'vendor aliases are append-only'); END;
CREATE TRIGGER vendor_aliases_no_delete BEFORE DELETE ON vendor_aliases
  BEGIN SELECT RAISE(ABORT, 'vendor aliases are append-only'); END;
INSERT INTO vendor_trigrams (vendor_trigrams) VALUES ('rebuild');
)sql";

// Version 3: the search index rebuilt with rowids that count down, so the newest row has the
// smallest rowid: FTS5 walks a posting list forwards three times faster than backwards, and
// search looks at the newest matches first. Also how many names hold each vendor-name trigram, so
// "did you mean" looks up the rarest trigrams of a typed name instead of all of them.
constexpr std::string_view v3 = R"sql(
DROP TRIGGER decisions_search;
DROP TRIGGER reviews_search;
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(
  vendor, body, kind UNINDEXED, ref UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO search_index (rowid, vendor, body, kind, ref)
  SELECT -row_number() OVER (ORDER BY at, kind, ref), vendor, body, kind, ref FROM (
    SELECT d.decided_at AS at, v.name AS vendor, trim(d.rationale || ' ' || d.conditions) AS body,
           'decision' AS kind, d.id AS ref
    FROM decisions d JOIN vendors v ON v.id = d.vendor_id
    UNION ALL
    SELECT r.reviewed_at, v.name, trim(r.summary || ' ' || r.findings_text), 'review', r.id
    FROM reviews r JOIN vendors v ON v.id = r.vendor_id);
CREATE TRIGGER decisions_search AFTER INSERT ON decisions BEGIN
  INSERT INTO search_index (rowid, vendor, body, kind, ref)
  VALUES (coalesce((SELECT rowid FROM search_index ORDER BY rowid LIMIT 1), 0) - 1,
          (SELECT name FROM vendors WHERE id = new.vendor_id),
          trim(new.rationale || ' ' || new.conditions), 'decision', new.id);
END;
CREATE TRIGGER reviews_search AFTER INSERT ON reviews WHEN new.vendor_id IS NOT NULL BEGIN
  INSERT INTO search_index (rowid, vendor, body, kind, ref)
  VALUES (coalesce((SELECT rowid FROM search_index ORDER BY rowid LIMIT 1), 0) - 1,
          (SELECT name FROM vendors WHERE id = new.vendor_id),
          trim(new.summary || ' ' || new.findings_text), 'review', new.id);
END;
CREATE VIRTUAL TABLE vendor_trigram_terms USING fts5vocab(vendor_trigrams, 'row');
)sql";

// Version 4: ticket webhooks. The inbox holds every verified webhook delivery, committed before the
// sender gets its 2xx, until a worker has handled it; (system, delivery) is unique, so a
// re-delivered webhook is stored once. ticket_state is what the bot knows about a ticket it has
// reviewed (its comment, the hash of the content reviewed, the last decision). The outbox holds
// the comments to post, each with its attempts, lease and last answer.
// - Events are handled in order per ticket: inbox_by_ticket finds a ticket's older pending event.
// - inbox_by_state and outbox_by_state walk the pending rows oldest first (and count them).
// - Handled events keep their row (the dedup key) without their payload.
constexpr std::string_view v4 = R"sql(
CREATE TABLE inbox (
  id               INTEGER PRIMARY KEY,
  system           TEXT NOT NULL,
  delivery         TEXT NOT NULL,
  ticket           TEXT NOT NULL,
  payload          TEXT NOT NULL DEFAULT '',
  request_id       TEXT NOT NULL DEFAULT '',
  received_at      INTEGER NOT NULL,
  state            TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'done', 'ignored', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  note             TEXT NOT NULL DEFAULT '',
  finished_at      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (system, delivery)
);
CREATE INDEX inbox_by_state ON inbox(state, id);
CREATE INDEX inbox_by_ticket ON inbox(system, ticket, id) WHERE state = 'pending';
CREATE TABLE ticket_state (
  system        TEXT NOT NULL,
  ticket        TEXT NOT NULL,
  comment_id    TEXT NOT NULL DEFAULT '',
  content_hash  TEXT NOT NULL DEFAULT '',
  review_id     INTEGER NOT NULL DEFAULT 0,
  decision      TEXT NOT NULL DEFAULT '',
  target        TEXT NOT NULL DEFAULT '',
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (system, ticket)
) WITHOUT ROWID;
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  system           TEXT NOT NULL,
  ticket           TEXT NOT NULL,
  target           TEXT NOT NULL,
  body             TEXT NOT NULL,
  body_hash        TEXT NOT NULL,
  state            TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'delivered', 'failed', 'dropped', 'superseded')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  next_attempt_at  INTEGER NOT NULL,
  leased_until     INTEGER NOT NULL DEFAULT 0,
  updated_at       INTEGER NOT NULL,
  last_status      INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  comment_id       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_by_state ON outbox(state, id);
CREATE INDEX outbox_by_ticket ON outbox(system, ticket, id);
)sql";

// Version 5: the request id of the work that queued an outbox item (the webhook's, carried
// through the inbox event), so a comment's delivery can be followed back to the request in the
// logs. Rows queued before it have ''.
constexpr std::string_view v5 = R"sql(
ALTER TABLE outbox ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
)sql";

}  // namespace

const std::vector<migration>& migrations() {
  static const std::vector<migration> list = {
      {"vendors, decisions, reviews and the audit log", v1},
      {"full-text search and vendor-name trigrams", v2},
      {"newest-first search index and vendor-name trigram frequencies", v3},
      {"ticket webhooks: inbox, ticket state and outbox", v4},
      {"request ids on outbox items", v5},
  };
  return list;
}

void migrate(SQLite::Database& db, int target) {
  const auto& list = migrations();
  int version = db.execAndGet("PRAGMA user_version").getInt();
  while (version < target && version < static_cast<int>(list.size())) {
    const auto& m = list[static_cast<std::size_t>(version)];
    try {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      // Another process may have migrated between our read and our lock.
      if (db.execAndGet("PRAGMA user_version").getInt() != version) {
        version = db.execAndGet("PRAGMA user_version").getInt();
        continue;
      }
      db.exec(std::string(m.sql));
      db.exec("PRAGMA user_version = " + std::to_string(version + 1));
      tx.commit();
    } catch (const std::exception& e) {
      throw std::runtime_error("migration to version " + std::to_string(version + 1) + " (" +
                               std::string(m.name) + ") failed: " + e.what());
    }
    ++version;
  }
}

}  // namespace storage
