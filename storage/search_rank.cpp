#include "storage/search_rank.hpp"

#include <sqlite3.h>

#include <array>
#include <cmath>
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <vector>

namespace storage {

namespace {

fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  if (api == nullptr) throw std::runtime_error("this SQLite has no FTS5");
  return api;
}

// Per-query state, computed on the first row and kept with the query (xSetAuxdata).
struct query_state {
  std::vector<double> idf;              // per phrase
  std::array<double, 2> average{1, 1};  // average tokens per column (vendor, body)
};

constexpr std::array<double, 2> column_weight = {4.0, 1.0};
constexpr double k1 = 1.2;
constexpr double b = 0.75;

query_state* state_for(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_value* counts) {
  if (auto* s = static_cast<query_state*>(api->xGetAuxdata(fts, 0))) return s;
  auto s = std::make_unique<query_state>();
  sqlite3_int64 rows = 0;
  api->xRowCount(fts, &rows);
  for (int c = 0; c < 2; ++c) {
    sqlite3_int64 total = 0;
    api->xColumnTotalSize(fts, c, &total);
    s->average[static_cast<std::size_t>(c)] = rows > 0 ? std::max(1.0, double(total) / double(rows)) : 1.0;
  }
  const char* text = counts ? reinterpret_cast<const char*>(sqlite3_value_text(counts)) : nullptr;
  const int phrases = api->xPhraseCount(fts);
  for (int p = 0; p < phrases; ++p) {
    double n = 0;
    if (text != nullptr && *text != '\0') {
      char* end = nullptr;
      n = std::strtod(text, &end);
      text = *end == ',' ? end + 1 : end;
    }
    // BM25's idf, never below a small positive floor so a word in most rows still counts.
    const double r = static_cast<double>(rows);
    s->idf.push_back(std::max(1e-6, std::log((r - n + 0.5) / (n + 0.5) + 1.0)));
  }
  auto* raw = s.release();
  api->xSetAuxdata(fts, raw, [](void* p) { delete static_cast<query_state*>(p); });
  return raw;
}

void decision_rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int n_args,
                   sqlite3_value** args) {
  const auto* s = state_for(api, fts, n_args > 0 ? args[0] : nullptr);
  const int phrases = static_cast<int>(s->idf.size());
  // tf[phrase][column]
  std::vector<std::array<int, 2>> tf(static_cast<std::size_t>(phrases), {0, 0});
  int instances = 0;
  if (api->xInstCount(fts, &instances) != SQLITE_OK) {
    sqlite3_result_error(ctx, "decision_rank: cannot read matches", -1);
    return;
  }
  for (int i = 0; i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    if (api->xInst(fts, i, &phrase, &column, &offset) != SQLITE_OK) continue;
    if (phrase < phrases && column >= 0 && column < 2) ++tf[static_cast<std::size_t>(phrase)][static_cast<std::size_t>(column)];
  }
  std::array<double, 2> length{0, 0};
  for (int c = 0; c < 2; ++c) {
    int n = 0;
    api->xColumnSize(fts, c, &n);
    length[static_cast<std::size_t>(c)] = n;
  }
  double score = 0;
  for (int p = 0; p < phrases; ++p) {
    for (std::size_t c = 0; c < 2; ++c) {
      const double f = tf[static_cast<std::size_t>(p)][c];
      if (f == 0) continue;
      const double norm = k1 * (1 - b + b * length[c] / s->average[c]);
      score += s->idf[static_cast<std::size_t>(p)] * column_weight[c] * f * (k1 + 1) / (f + norm);
    }
  }
  sqlite3_result_double(ctx, score);
}

}  // namespace

void register_search_rank(sqlite3* db) {
  fts5_api* api = fts5_of(db);
  if (api->xCreateFunction(api, "decision_rank", nullptr, &decision_rank, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot register decision_rank");
}

}  // namespace storage
